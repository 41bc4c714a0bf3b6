import { describe, expect, it } from 'vitest';
import { InProcessTransport } from './connection';
import { SandboxHost } from './host';
import { PASTE_MAX_LINES, TerminalSession } from './session';
import { readExamples } from './testSupport';

const examples = readExamples();

function session(): { s: TerminalSession; screen: () => string; idle: () => Promise<void> } {
  let text = '';
  const s = new TerminalSession({
    scenario: 'ingress-service-a',
    screen: { write: (d) => (text += d), clear: () => (text = ''), cols: 120 },
    makeTransport: () => new InProcessTransport((post) => new SandboxHost({ examples, flushMs: 0, virtualTime: true, post })),
  });
  const idle = async (): Promise<void> => {
    for (let i = 0; i < 200 && s.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 5));
  };
  // eslint-disable-next-line no-control-regex
  return { s, screen: () => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''), idle };
}

describe('TerminalSession', () => {
  it('runs commands sent by run buttons before the sandbox is ready, in order', async () => {
    const { s, screen, idle } = session();
    const started = s.start();
    s.runCommands('echo one\necho two');
    await started;
    await idle();
    expect(screen()).toMatch(/\$ echo one\r\none\n[\s\S]*\$ echo two\r\ntwo\n/);
  });

  it('runs typed lines and completes with Tab', async () => {
    const { s, screen, idle } = session();
    await s.start();
    for (const ch of 'echo привет') s.input(ch);
    s.input('\r');
    await idle();
    expect(screen()).toContain('привет\n');
    for (const ch of 'kubectl appl') s.input(ch);
    s.input('\t');
    await new Promise((r) => setTimeout(r, 20));
    expect(s.editor.line).toBe('kubectl apply ');
  });

  it('refuses a huge paste with a Russian message and runs a small one line by line', async () => {
    const { s, screen, idle } = session();
    await s.start();
    s.input(Array.from({ length: PASTE_MAX_LINES + 5 }, (_, i) => `echo ${i}`).join('\r'));
    expect(screen()).toMatch(/Вставка слишком большая/);
    s.input("cat > f.txt <<'EOF'\rпервая\rEOF\rcat f.txt\r");
    await new Promise((r) => setTimeout(r, 50));
    await idle();
    expect(screen()).toMatch(/\$ cat f\.txt\r\nпервая\n/);
  });
});

describe('hard interrupt', () => {
  it('replaces a sandbox that does not answer Ctrl-C and replays the journal', async () => {
    let text = '';
    let transports = 0;
    const s = new TerminalSession({
      scenario: 'ingress-service-a',
      screen: { write: (d) => (text += d), clear: () => undefined, cols: 120 },
      makeTransport: () => {
        transports++;
        const real = new InProcessTransport((post) => new SandboxHost({ examples, flushMs: 0, virtualTime: true, post }));
        if (transports > 1) return real;
        // the first sandbox hangs on a command line: it never answers, not even Ctrl-C
        return {
          send: (m) => (m.type === 'run' && m.line === 'hang' ? undefined : m.type === 'interrupt' ? undefined : real.send(m)),
          listen: (cb) => real.listen(cb),
          close: () => real.close(),
        };
      },
    });
    await s.start();
    s.runCommands('export KEPT=yes');
    for (let i = 0; i < 100 && s.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 5));
    s.runCommands('hang');
    await new Promise((r) => setTimeout(r, 20));
    expect(s.status).toBe('busy');
    s.input('\x03');
    for (let i = 0; i < 400 && (transports < 2 || s.status !== 'ready'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(transports).toBe(2);
    expect(text).toMatch(/песочница не ответила/);
    s.runCommands('echo $KEPT');
    for (let i = 0; i < 100 && !/yes\n/.test(text); i++) await new Promise((r) => setTimeout(r, 5));
    expect(text).toMatch(/\$ echo \$KEPT\r\nyes\n/);
  });
});
