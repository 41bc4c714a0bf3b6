/**
 * Output must never become input. A terminal answers some control sequences it prints by
 * "typing" a reply (device attributes, cursor position, mode and setting reports, colour
 * queries) and, in some modes, sends focus and mouse reports. A command's output can ask
 * for them (`printf '\e[c'`), and the answers would reach the prompt as if the learner had
 * typed them (`[>0;276;0c1$r0m\` after a DA2 and a DECRQSS query).
 *
 * Nothing in this terminal asks for such reports (the line editor is ours and needs none), so
 * the queries are swallowed in xterm's parser before xterm answers them, and the modes that
 * make xterm send mouse or focus reports are not turned on. The sequence names follow
 * xterm's ctlseqs (https://invisible-island.net/xterm/ctlseqs/ctlseqs.html).
 */
import type { IParser } from '@xterm/xterm';

/** DEC private modes that make the terminal send reports: X10/normal/button/any-event mouse, focus events, mouse encodings. */
const REPORTING_MODES = new Set([9, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1015, 1016]);

/** The parts of xterm's Terminal this needs (also satisfied by a Terminal that is not opened, in tests). */
export interface ParserHost {
  readonly parser: IParser;
}

const swallow = (): boolean => true;

/** Installs the guards; returns a function that removes them. */
export function blockTerminalReports(term: ParserHost): () => void {
  const p = term.parser;
  const handlers = [
    p.registerCsiHandler({ final: 'c' }, swallow), // DA1 (primary device attributes)
    p.registerCsiHandler({ prefix: '>', final: 'c' }, swallow), // DA2 (secondary)
    p.registerCsiHandler({ prefix: '=', final: 'c' }, swallow), // DA3 (tertiary)
    p.registerCsiHandler({ final: 'n' }, swallow), // DSR: status and cursor position report
    p.registerCsiHandler({ prefix: '?', final: 'n' }, swallow), // DECDSR
    p.registerCsiHandler({ intermediates: '$', final: 'p' }, swallow), // DECRQM (ANSI modes)
    p.registerCsiHandler({ prefix: '?', intermediates: '$', final: 'p' }, swallow), // DECRQM (DEC modes)
    p.registerCsiHandler({ final: 't' }, swallow), // XTWINOPS: window reports and manipulation
    p.registerCsiHandler({ prefix: '>', final: 'q' }, swallow), // XTVERSION
    p.registerDcsHandler({ intermediates: '$', final: 'q' }, swallow), // DECRQSS
    p.registerDcsHandler({ intermediates: '+', final: 'q' }, swallow), // XTGETTCAP
    // colour queries (OSC 4/10/11/12 with "?"); setting colours stays allowed
    ...[4, 10, 11, 12].map((id) => p.registerOscHandler(id, (data) => data.split(';').includes('?'))),
    // mouse and focus reporting modes (DECSET): swallowed when the sequence asks for one
    p.registerCsiHandler({ prefix: '?', final: 'h' }, (params) => params.some((v) => typeof v === 'number' && REPORTING_MODES.has(v))),
  ];
  return () => {
    for (const h of handlers) h.dispose();
  };
}

/** The address a link in the terminal may open: http(s) only, anything else is not a link. */
export function safeLink(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
