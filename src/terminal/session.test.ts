import { describe, expect, it } from 'vitest';
import { InProcessTransport } from './connection';
import { SandboxHost } from './host';
import { editedPath, PASTE_MAX_LINES, TerminalSession } from './session';
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

describe('colours', () => {
  it('shows stderr as a terminal does: istioctl analyze’s success line (on stderr) is not red', async () => {
    let raw = '';
    const s = new TerminalSession({
      scenario: 'ingress-service-a',
      screen: { write: (d) => (raw += d), clear: () => undefined, cols: 120 },
      // istioctl analyze runs Istio's analyzers from src/validation, as the browser worker loads them
      makeTransport: () =>
        new InProcessTransport((post) => new SandboxHost({ examples, flushMs: 0, virtualTime: true, post, loadValidation: async () => (await import('../validation/sandbox')).sandboxValidation })),
    });
    await s.start();
    s.runCommands('kubectl label namespace default istio-injection=enabled\nistioctl analyze -n default');
    for (let i = 0; i < 200 && (s.status !== 'ready' || !raw.includes('✔')); i++) await new Promise((r) => setTimeout(r, 5));
    expect(raw).toMatch(/\r\n✔ No validation issues found when analyzing namespace: default\.\n/);
  });
});

describe('type-ahead, as a tty keeps it', () => {
  const type = (s: TerminalSession, text: string): void => {
    for (const ch of text) s.input(ch);
  };

  it('delivers keys typed while the sandbox starts, once the prompt is up', async () => {
    const { s, screen, idle } = session();
    const started = s.start();
    type(s, 'echo early\r');
    await started;
    await idle();
    expect(screen()).toMatch(/\r\nearly\n/);
    expect(screen()).not.toContain('command not found');
  });

  it('delivers keys typed during a command after it, in order', async () => {
    const { s, screen, idle } = session();
    await s.start();
    s.runCommands('echo first');
    expect(s.status).toBe('busy');
    type(s, 'echo second\recho third\r');
    await idle();
    await new Promise((r) => setTimeout(r, 20));
    await idle();
    expect(screen()).toMatch(/\r\nfirst\n[\s\S]*\r\nsecond\n[\s\S]*\r\nthird\n/);
  });

  it('discards them on Ctrl-C', async () => {
    const { s, screen, idle } = session();
    await s.start();
    s.runCommands('sleep 1');
    type(s, 'echo lost\r');
    s.input('\x03');
    await idle();
    await new Promise((r) => setTimeout(r, 20));
    expect(screen()).not.toContain('lost');
    expect(s.editor.line).toBe('');
  });
});

describe('applying an edited manifest from the page', () => {
  it('shows the apply of a file and runs nothing else, whatever the text holds', async () => {
    const { s, screen, idle } = session();
    await s.start();
    s.applyManifest('ingress-service-a/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n# \rEOF\recho PWNED\r\n');
    await idle();
    expect(screen()).toContain('$ kubectl apply -f ~/edited/ingress-service-a/namespace.yaml\r\n');
    expect(screen()).not.toContain('PWNED');
  });

  it('keeps edited files under ~/edited whatever the block path says', () => {
    expect(editedPath('ingress-service-a/gateway.yaml')).toBe('edited/ingress-service-a/gateway.yaml');
    expect(editedPath('../../etc/x')).toBe('edited/manifest.yaml');
    expect(editedPath('a b;$(id).yaml')).toBe('edited/manifest.yaml');
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

describe('a further terminal on the same sandbox', () => {
  it('keeps keys typed right after it opens, has its own cwd, and reopens after a reset', async () => {
    const { s: primary, idle } = session();
    await primary.start();
    let text = '';
    const second = new TerminalSession({
      scenario: 'ingress-service-a',
      screen: { write: (d) => (text += d), clear: () => (text = ''), cols: 120 },
      makeTransport: () => {
        throw new Error('a further terminal has no transport of its own');
      },
      attach: { id: '2', primary },
    });
    const started = second.start();
    for (const ch of 'cd examples && pwd\r') second.input(ch);
    await started;
    for (let i = 0; i < 200 && !text.includes('/home/learner/examples\n'); i++) await new Promise((r) => setTimeout(r, 5));
    // eslint-disable-next-line no-control-regex
    const plain = (): string => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(plain()).toMatch(/^Ещё одна сессия оболочки[^\n]*\n[\s\S]*cd examples && pwd\s*\/home\/learner\/examples\n/);
    expect(plain()).not.toMatch(/not found|Песочница готова/);
    for (let i = 0; i < 200 && second.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(plain()).toMatch(/\(default\) ~\/examples \$ \r?$/);
    primary.runCommands('pwd');
    await idle();
    await primary.reset();
    expect(plain()).toMatch(/Песочница запущена заново: в этом терминале новая сессия оболочки \(каталог ~\)\.\r\n\r?\(default\) ~ \$ \r?$/);
    second.dispose();
  });
});

describe('kubectl exec -it in the terminal', () => {
  it('shows the pod shell’s prompt, and exit brings the node’s prompt back', async () => {
    let text = '';
    const s = new TerminalSession({
      scenario: 'service-a-service-b',
      screen: { write: (d) => (text += d), clear: () => (text = ''), cols: 120 },
      makeTransport: () => new InProcessTransport((post) => new SandboxHost({ examples, flushMs: 0, virtualTime: true, post })),
    });
    const idle = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, 10));
      for (let i = 0; i < 300 && s.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 5));
    };
    await s.start();
    s.runCommands('kubectl exec -it deploy/service-a -n demo -- sh');
    await idle();
    // eslint-disable-next-line no-control-regex
    const plain = (): string => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(plain()).toMatch(/\r?\/ # \r?$/);
    s.runCommands('hostname');
    await idle();
    expect(plain()).toMatch(/\/ # hostname\r\nservice-a-[a-z0-9]+-[a-z0-9]{5}\n/);
    s.runCommands('exit');
    await idle();
    expect(plain()).toMatch(/\(default\) ~ \$ \r?$/);
    s.dispose();
  });
});

describe('the marker of a command’s requests', () => {
  function markedSession(): { s: TerminalSession; screen: () => string; marks: string[]; idle: () => Promise<void> } {
    let text = '';
    const marks: string[] = [];
    const s = new TerminalSession({
      scenario: 'service-a-service-b',
      screen: {
        write: (d) => (text += d),
        clear: () => (text = ''),
        cols: 120,
        // where on the screen the marker goes, and for which requests
        markRequests: (r) => {
          marks.push(`${r.first}-${r.last}`);
          text += '[marker]';
        },
        forgetRequests: () => marks.push('forgotten'),
      },
      makeTransport: () => new InProcessTransport((post) => new SandboxHost({ examples, flushMs: 0, virtualTime: true, post })),
    });
    const idle = async (): Promise<void> => {
      for (let i = 0; i < 400 && s.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 5));
    };
    // eslint-disable-next-line no-control-regex
    return { s, screen: () => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''), marks, idle };
  }

  it('follows the output of a line that sent requests, names them, and is no part of what a pipe reads', async () => {
    const { s, screen, marks, idle } = markedSession();
    await s.start();
    s.runCommands('echo no-requests');
    await idle();
    expect(marks).toEqual([]);
    s.runCommands('curl -s http://$INGRESS_HOST/ | grep -c service-');
    await idle();
    expect(marks).toEqual(['1-1']);
    // grep counted curl's own output; the marker comes after the line's output, before the next prompt
    expect(screen()).toMatch(/grep -c service-\r\n\d+\n\[marker\]\r?\(default\) ~ \$ \r?$/);
    s.runCommands('for i in 1 2 3; do curl -s -o /dev/null http://$INGRESS_HOST/; done');
    await idle();
    expect(marks).toEqual(['1-1', '2-4']);
    // output without a final newline: the marker still gets a line of its own
    s.runCommands('printf no-newline; curl -s -o /dev/null http://$INGRESS_HOST/');
    await idle();
    expect(screen()).toMatch(/no-newline⏎\r\n\[marker\]\r?\(default\) ~ \$ \r?$/);
    // a reset starts the trace ids again: the markers so far are forgotten, new ones count from 1
    await s.reset();
    s.runCommands('curl -s -o /dev/null http://$INGRESS_HOST/');
    await idle();
    expect(marks.slice(-3)).toEqual(['5-5', 'forgotten', '1-1']);
  });
});
