/**
 * What an instructor's read-only mirror writes to its screen for each item the server mirrors:
 * the text the participant's own terminal showed for it (output, prompts, the lines they ran,
 * which their screen echoed itself). Browser-safe; MirrorView feeds it to xterm.js.
 */
import { formatPrompt } from '../terminal/session';
import type { InstructorServerFrame } from './protocol';

export type MirrorFrame = Extract<InstructorServerFrame, { type: 'mirror-frame' | 'mirror-input' }>;

/** The screen text of one mirrored item ('' for what the first terminal did not show). */
export function mirrorText(f: MirrorFrame): string {
  // a line typed in a further terminal of theirs is not on the mirrored (first) screen
  if (f.type === 'mirror-input') return f.session ? '' : `${f.line}\r\n`;
  const frame = f.frame;
  switch (frame.type) {
    case 'terminal': {
      const m = frame.msg;
      if ('session' in m && m.session !== undefined) return ''; // a further terminal of theirs
      if (m.type === 'output') return m.data;
      if (m.type === 'exit' || m.type === 'ready') return formatPrompt(m.prompt);
      if (m.type === 'clear') return '\x1b[H\x1b[2J\x1b[3J';
      if (m.type === 'error' || m.type === 'progress') return `\x1b[2m${m.message}\x1b[0m\r\n`;
      return '';
    }
    case 'pty-output':
      return frame.data;
    case 'reset':
      return '\r\n\x1b[33mПесочница участника сброшена.\x1b[0m\r\n';
    default:
      return '';
  }
}
