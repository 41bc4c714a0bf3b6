/**
 * Tests of the real-cluster mode type into a participant's PTY as a person would: a command line,
 * then (bounded) its output and exit status, found by a marker the shell echoes after it.
 */
import type { ClusterMode, ClusterPty } from '../clusterMode';

/** The terminal's text without colours and bash's bracketed-paste switches. */
export const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

export class PtyDriver {
  output = '';
  exited: number | undefined;
  readonly pty: ClusterPty;
  private n = 0;

  constructor(mode: ClusterMode, room: string, participant: string, private readonly namespace: string) {
    this.pty = mode.openPty(room, participant, { cols: 200, rows: 40 }, (d) => (this.output += d), (c) => (this.exited = c));
  }

  /** Waits (bounded) for the shell's prompt: what is typed before it would be echoed twice. */
  async prompt(): Promise<void> {
    const until = Date.now() + 10_000;
    while (!plain(this.output).includes(`${this.namespace} $ `)) {
      if (Date.now() > until) throw new Error(`no prompt; output: ${plain(this.output)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Types a command line and waits (bounded) for its output and exit status. */
  async run(line: string, timeoutMs = 20_000): Promise<{ out: string; code: number }> {
    const id = ++this.n;
    const from = this.output.length;
    // the marker is split in the typed line, so only the shell's own echo of it matches
    this.pty.write(`${line}; echo "@@DO""NE${id} $?"\r`);
    const re = new RegExp(`@@DONE${id} (\\d+)`);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const text = plain(this.output.slice(from));
      const m = re.exec(text);
      if (m) return { out: text.slice(text.indexOf('\n') + 1, m.index), code: Number(m[1]) };
      if (Date.now() > until) throw new Error(`no answer to ${line} in ${timeoutMs} ms; output: ${text}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
