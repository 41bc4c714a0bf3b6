import { describe, expect, it } from 'vitest';
import { InProcessTransport, SandboxConnection } from './connection';
import { SandboxHost, probeOk, type SnapshotStore } from './host';
import { isClientMessage, type ServerMessage } from './protocol';
import { connect, readExamples } from './testSupport';

describe('SandboxHost over the protocol', () => {
  it('starts a scenario in its start state and reports the prompt', async () => {
    const { conn, output } = connect();
    await conn.start('service-a-service-b');
    expect(conn.prompt).toEqual({ namespace: 'default', cwd: '~' });
    expect(await conn.run('kubectl get pods -n demo')).toBe(0);
    expect(output()).toMatch(/service-a-\S+\s+2\/2\s+Running/);
    expect(await conn.run('echo $INGRESS_HOST')).toBe(0);
    expect(output()).toMatch(/\d+\.\d+\.\d+\.\d+/);
  });

  it('streams stdout and stderr, returns the exit status, tracks the namespace', async () => {
    const msgs: ServerMessage[] = [];
    const transport = new InProcessTransport((post) => new SandboxHost({ examples: {}, flushMs: 0, virtualTime: true, post: (m) => (msgs.push(m), post(m)) }));
    const conn = new SandboxConnection(transport);
    await conn.start('ingress-service-a');
    expect(await conn.run('kubectl get nosuchkind')).not.toBe(0);
    expect(msgs.some((m) => m.type === 'output' && m.stream === 'stderr')).toBe(true);
    await conn.run('kubectl config set-context --current --namespace=istio-system');
    expect(conn.prompt.namespace).toBe('istio-system');
    await conn.run('cd examples');
    expect(conn.prompt.cwd).toBe('~/examples');
  });

  it('answers traffic with the requests a curl made, then only the newer ones', async () => {
    const { conn } = connect();
    await conn.start('service-a-service-b');
    const empty = await conn.traffic();
    expect(empty.traces).toEqual([]);
    expect(empty.workloads.map((w) => w.app)).toContain('istio-ingressgateway');
    await conn.run('curl -s -o /dev/null http://$INGRESS_HOST/');
    const first = await conn.traffic();
    expect(first.traces).toHaveLength(1);
    expect(first.traces[0]).toMatchObject({ method: 'GET', code: 200, from: { kind: 'client' } });
    expect(first.traces[0].hops.some((h) => h.type === 'proxy' && h.direction === 'gateway')).toBe(true);
    expect((await conn.traffic(first.traces[0].id)).traces).toEqual([]);
  });

  it('tells, with each line’s exit, the requests the line sent', async () => {
    const msgs: ServerMessage[] = [];
    const transport = new InProcessTransport((post) => new SandboxHost({ examples: readExamples(), flushMs: 0, virtualTime: true, post: (m) => (msgs.push(m), post(m)) }));
    const conn = new SandboxConnection(transport);
    await conn.start('service-a-service-b');
    const exits = (): ServerMessage[] => msgs.filter((m) => m.type === 'exit');
    await conn.run('kubectl get pods -n demo');
    expect(exits().at(-1)).not.toHaveProperty('requests');
    await conn.run('curl -s -o /dev/null http://$INGRESS_HOST/ && curl -s -o /dev/null http://$INGRESS_HOST/');
    expect(exits().at(-1)).toMatchObject({ requests: { first: 1, last: 2 } });
    expect(conn.lastRequests).toEqual({ first: 1, last: 2 });
    expect((await conn.traffic(0)).traces.map((t) => t.id)).toEqual([1, 2]);
    await conn.run('echo done');
    expect(conn.lastRequests).toBeUndefined();
  });

  it('keeps order: lines sent together run one after another', async () => {
    const { conn, output } = connect();
    await conn.start('ingress-service-a');
    const codes = await Promise.all([conn.run('echo one'), conn.run('false'), conn.run('echo three')]);
    expect(codes).toEqual([0, 1, 0]);
    expect(output()).toBe('one\nthree\n');
  });

  it('interrupts a running command and drops the queued ones (Ctrl-C on a pasted block)', async () => {
    const { conn, output } = connect({ virtualTime: false, wall: () => Date.now() });
    await conn.start('ingress-service-a');
    const first = conn.run('sleep 30; echo never');
    const second = conn.run('echo queued');
    await new Promise((r) => setTimeout(r, 20));
    conn.interrupt();
    expect(await first).toBe(130);
    conn.abandonRuns();
    await second;
    expect(output()).not.toMatch(/never|queued/);
  });

  it('delivers Ctrl-C into a busy loop that never waits (the engine yields to the host)', async () => {
    const { conn, output } = connect({ virtualTime: false, wall: () => Date.now() });
    await conn.start('ingress-service-a');
    const started = Date.now();
    const loop = conn.run('while true; do kubectl get pods -A > /dev/null; done'); // ~10 s to its loop bound
    await new Promise((r) => setTimeout(r, 100));
    conn.interrupt();
    expect(await loop).toBe(130);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(output()).toContain('^C');
    expect(output()).not.toMatch(/предел одной строки/);
  });

  it('stops an endless loop with the engine budget', async () => {
    const { conn, output } = connect();
    await conn.start('ingress-service-a');
    expect(await conn.run('while true; do :; done')).toBe(130);
    expect(output()).toMatch(/\(песочница: (цикл остановлен после \d+ итераций|командная строка остановлена после \d+ команд — это предел одной строки)\)/);
  });

  it('bounds a flood of output', async () => {
    const { conn, output } = connect({ maxOutput: 1000 });
    await conn.start('ingress-service-a');
    await conn.run('seq 1 100000');
    // the beginning, a notice of what was left out, and the end (what a terminal's scrollback keeps)
    expect(output().length).toBeLessThan(1000 + 2 * 250 + 200);
    expect(output()).toMatch(/^1\n2\n3\n/);
    expect(output()).toMatch(/\[… пропущено [\d\s\u00a0]+ символов вывода: песочница показывает начало и конец …\]\n/);
    expect(output()).toMatch(/\n99999\n100000\n$/);
    // the next command line has the whole budget again
    await conn.run('echo after');
    expect(output()).toMatch(/after\n$/);
  });

  it('completes commands, kubectl verbs, resources, namespaces and paths', async () => {
    const { conn } = connect();
    await conn.start('ingress-service-a');
    expect((await conn.complete('kubec', 5)).candidates).toEqual(['kubectl']);
    expect((await conn.complete('kubectl ap', 10)).candidates).toEqual(['api-resources', 'apply']); // as kubectl's own bash completion offers
    expect((await conn.complete('kubectl get virt', 16)).candidates).toEqual(['virtualservices']);
    expect((await conn.complete('kubectl get pods -n istio-', 26)).candidates).toEqual(['istio-system']);
    const paths = await conn.complete('kubectl apply -f examples/ingress-service-a/ga', 46);
    expect(paths).toEqual({ start: 17, end: 46, candidates: ['examples/ingress-service-a/gateway.yaml'] });
    expect((await conn.complete('cat examples/traf', 17)).candidates).toEqual(['examples/traffic-split/']);
  });

  it('answers step checks with what is missing', async () => {
    const { conn } = connect();
    await conn.start('ingress-service-a');
    const missing = await conn.check([{ command: 'kubectl get gateway demo-gateway -n demo -o name', missing: 'Нет Gateway' }]);
    expect(missing).toEqual([{ ok: false, missing: 'Нет Gateway' }]);
    await conn.run('kubectl apply -f examples/ingress-service-a/namespace.yaml');
    await conn.run('kubectl apply -f examples/ingress-service-a/gateway.yaml');
    expect((await conn.check([{ command: 'kubectl get gateway demo-gateway -n demo -o name', missing: 'Нет Gateway' }]))[0].ok).toBe(true);
  });

  it('rebuilds the state from replayed lines and returns them as history', async () => {
    const { conn } = connect();
    let history: string[] = [];
    conn.events.ready = (_p, h) => (history = h);
    await conn.start('ingress-service-a', { replay: ['kubectl apply -f examples/ingress-service-a/namespace.yaml', 'export GREETING=привет'] });
    expect(history).toEqual(['kubectl apply -f examples/ingress-service-a/namespace.yaml', 'export GREETING=привет']);
    const { conn: c2, output } = connect();
    await c2.start('ingress-service-a', { replay: ['export GREETING=привет'] });
    await c2.run('echo $GREETING');
    expect(output()).toBe('привет\n');
  });

  it('resets to the start state', async () => {
    const { conn, output } = connect();
    await conn.start('ingress-service-a');
    await conn.run('kubectl apply -f examples/ingress-service-a/namespace.yaml');
    await conn.reset();
    await conn.run('kubectl get namespace demo');
    expect(output()).toMatch(/NotFound|not found/);
  });

  it('rejects malformed messages without dying', async () => {
    const posted: ServerMessage[] = [];
    const host = new SandboxHost({ examples: readExamples(), post: (m) => posted.push(m) });
    await host.handle({ type: 'run' });
    expect(posted).toEqual([{ type: 'error', message: expect.stringMatching(/Неизвестное/) }]);
  });
});

describe('probeOk', () => {
  it.each([
    [{ command: '', missing: '' }, 0, '', true],
    [{ command: '', missing: '' }, 1, '', false],
    [{ command: '', missing: '', expect: 'b' }, 1, 'abc', true],
    [{ command: '', missing: '', expect: 'b', atLeast: 2 }, 0, 'b\nb', true],
    [{ command: '', missing: '', expect: 'b', atLeast: 3 }, 0, 'b\nb', false],
    [{ command: '', missing: '', expect: 'b', atLeast: 1, atMost: 2 }, 0, 'b\nb', true],
    [{ command: '', missing: '', expect: 'b', atLeast: 1, atMost: 2 }, 0, 'b\nb\nb', false],
    [{ command: '', missing: '', expect: 'c', reject: 'b' }, 0, 'c b', false],
  ])('%j, status %i, %j → %s', (probe, code, out, ok) => {
    expect(probeOk(probe, code, out)).toBe(ok);
  });
});

describe('applying an edited manifest', () => {
  const file = (content: string) => [{ path: 'edited/ingress-service-a/namespace.yaml', content }];
  const APPLY = 'kubectl apply -f ~/edited/ingress-service-a/namespace.yaml';

  it('writes the text into the sandbox as a file and applies that file', async () => {
    const { conn, output } = connect();
    await conn.start('ingress-service-a');
    expect(await conn.run(APPLY, file('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: edited\n'))).toBe(0);
    expect(output()).toContain('namespace/edited created');
    await conn.run('cat ~/edited/ingress-service-a/namespace.yaml');
    expect(output()).toContain('name: edited');
  });

  // A share link's YAML with lone carriage returns once broke out of the here-document the
  // apply was typed as, and ran the link author's commands while the validator found nothing.
  it.each([
    ['a lone CR ending the here-document', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n# \rEOF\rkubectl delete namespace istio-system\recho PWNED\r\n'],
    ['here-document delimiters and command substitutions', "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\nEOF\n$(echo PWNED)\n`echo PWNED`\n'\nEOF'\necho PWNED\n"],
  ])('runs nothing but the apply for %s', async (_name, content) => {
    const { conn, output, clearOutput } = connect();
    await conn.start('ingress-service-a');
    await conn.run(APPLY, file(content));
    expect(output()).not.toContain('PWNED');
    expect(output()).not.toContain('deleted');
    clearOutput();
    await conn.run('kubectl get ns istio-system -o name');
    expect(output()).toBe('namespace/istio-system\n');
    await conn.run('cat ~/edited/ingress-service-a/namespace.yaml');
    expect(output()).toContain(content);
  });

  it('refuses file paths that leave the home directory or mean something to the shell', () => {
    for (const path of ['../etc/passwd', '/etc/hosts', 'a/../../b', '~/x', 'a b', 'x;rm', '$(id)', '']) {
      expect(isClientMessage({ type: 'run', line: 'true', files: [{ path, content: '' }] }), path).toBe(false);
    }
    expect(isClientMessage({ type: 'run', line: 'true', files: [{ path: 'edited/a/b.yaml', content: '' }] })).toBe(true);
  });
});

describe('adopting a sandbox that was started early', () => {
  it('ignores the ready of an earlier start for another lesson', async () => {
    const { conn, transport } = connect();
    transport.send({ type: 'start', scenario: 'ingress-service-a' });
    transport.send({ type: 'start', scenario: 'traffic-split' });
    await conn.adopt('traffic-split');
    expect(await conn.run('kubectl get deploy service-b -n demo -o name')).toBe(0);
  });
});

/** A SnapshotStore in memory that round-trips through JSON, as a real store would copy. */
function memoryStore(): SnapshotStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    load: async (s) => (data.has(s) ? (JSON.parse(data.get(s) ?? 'null') as unknown) : undefined),
    save: async (s, snap) => void data.set(s, JSON.stringify(snap)),
    clear: async (s) => void data.delete(s),
  };
}

const PROXY_LOG = 'kubectl logs -n demo -l app=service-a-app -c istio-proxy';

describe('the sandbox survives a reload through its snapshot', () => {
  it('restores objects, access logs, variables and history exactly, without replaying', async () => {
    const store = memoryStore();
    const first = connect({ store });
    await first.conn.start('service-a-service-b');
    await first.conn.run('for i in 1 2 3; do curl -s http://$INGRESS_HOST/ > /dev/null; done');
    await first.conn.run('export GREETING=привет');
    first.clearOutput();
    await first.conn.run(PROXY_LOG);
    await first.conn.run('kubectl get pods -n demo');
    const before = first.output();
    expect(before.match(/"GET \/ HTTP\/1.1" 200/g)?.length).toBeGreaterThanOrEqual(3);
    expect(store.data.has('service-a-service-b')).toBe(true);

    const second = connect({ store });
    let history: string[] = [];
    second.conn.events.ready = (_p, h) => (history = h);
    await second.conn.start('service-a-service-b'); // no journal to replay
    expect(history.slice(-2)).toEqual([PROXY_LOG, 'kubectl get pods -n demo']);
    await second.conn.run(PROXY_LOG);
    await second.conn.run('kubectl get pods -n demo');
    await second.conn.run('echo $GREETING');
    // the same access-log lines and the same pods as before the reload (AGE moves on with the clock)
    const withoutAge = (t: string): string => t.replace(/\s+\d+s$/gm, '');
    expect(withoutAge(second.output())).toBe(withoutAge(`${before}привет\n`));
  });

  it('with snapshotEveryMs saves at most once per interval, and the newest state when it ends (the workshop server)', async () => {
    const store = memoryStore();
    let saves = 0;
    const counting: SnapshotStore = { ...store, save: (sc, snap) => (saves++, store.save(sc, snap)) };
    const first = connect({ store: counting, snapshotEveryMs: 400 });
    await first.conn.start('ingress-service-a');
    await first.conn.run('export STEP=1'); // the first command is saved at once
    expect(saves).toBe(1);
    await first.conn.run('export STEP=2');
    await first.conn.run('export STEP=3');
    expect(saves).toBe(1); // within the interval: no save yet
    const deadline = Date.now() + 3000;
    while (saves < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(saves).toBe(2); // the interval ended: one save with the newest state

    const second = connect({ store });
    await second.conn.start('ingress-service-a');
    second.clearOutput();
    await second.conn.run('echo $STEP');
    expect(second.output()).toBe('3\n');
  });

  it('starts fresh on «Сбросить урок» and forgets the saved state', async () => {
    const store = memoryStore();
    const { conn, output } = connect({ store });
    await conn.start('ingress-service-a');
    await conn.run('kubectl apply -f examples/ingress-service-a/namespace.yaml');
    expect(store.data.has('ingress-service-a')).toBe(true);
    await conn.start('ingress-service-a', { fresh: true });
    expect(store.data.has('ingress-service-a')).toBe(false);
    await conn.run('kubectl get namespace demo');
    expect(output()).toMatch(/namespaces "demo" not found/);
  });

  it.each([
    ['garbage text', '"garbage"'],
    ['a snapshot of this version with a broken cluster', JSON.stringify({ version: 1, fs: { dirs: [], files: [] }, cluster: 'x', shell: {} })],
    ['a prototype-polluting object', '{"__proto__": {"version": 1}, "constructor": {}}'],
  ])('discards an unreadable snapshot (%s) and starts the lesson afresh, telling the page', async (_name, saved) => {
    const store = memoryStore();
    store.data.set('ingress-service-a', saved);
    const ready: ServerMessage[] = [];
    const transport = new InProcessTransport((post) => new SandboxHost({ examples: readExamples(), flushMs: 0, virtualTime: true, store, post: (m) => (m.type === 'ready' && ready.push(m), post(m)) }));
    let out = '';
    const conn = new SandboxConnection(transport, { output: (d) => (out += d) });
    await conn.start('ingress-service-a', { replay: ['export GREETING=привет'] });
    expect(ready[0]).toMatchObject({ type: 'ready', discarded: true });
    expect(store.data.has('ingress-service-a')).toBe(false);
    await conn.run('echo "[$GREETING]"; kubectl get deploy -A -o name | wc -l');
    const fresh = connect();
    await fresh.conn.start('ingress-service-a');
    await fresh.conn.run('echo "[$GREETING]"; kubectl get deploy -A -o name | wc -l');
    expect(out).toBe(fresh.output());
  });

  it('falls back to replaying the journal when the saved snapshot is from another build', async () => {
    const store = memoryStore();
    store.data.set('ingress-service-a', JSON.stringify({ version: 999 }));
    const { conn, output } = connect({ store });
    await conn.start('ingress-service-a', { replay: ['export GREETING=привет'] });
    await conn.run('echo $GREETING');
    expect(output()).toBe('привет\n');
    expect(store.data.get('ingress-service-a')).not.toContain('"version":999');
  });
});

describe('step checks', () => {
  it('leave no trace in the learner’s sandbox: no access-log lines, no history, same $?', async () => {
    const { conn, output, clearOutput } = connect();
    await conn.start('service-a-service-b');
    await conn.run(PROXY_LOG);
    const logBefore = output();
    await conn.run('false');
    const results = await conn.check([{ command: 'curl -s http://$INGRESS_HOST/', expect: '"name": "service-a"', missing: 'нет ответа ServiceA' }]);
    expect(results[0].ok).toBe(true);
    clearOutput();
    await conn.run('echo $?');
    expect(output()).toBe('1\n');
    clearOutput();
    await conn.run(PROXY_LOG);
    expect(output()).toBe(logBefore);
  });
});

describe('schema validation in the sandbox', () => {
  it('rejects an unknown field the way the apiserver does, once the engine has loaded', async () => {
    let loads = 0;
    const { conn, output } = connect({
      loadValidation: async () => {
        loads++;
        return (await import('../validation/sandbox')).sandboxValidation;
      },
    });
    await conn.start('ingress-service-a');
    await conn.run('kubectl apply -f examples/ingress-service-a/namespace.yaml');
    const vs = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: typo\n  namespace: demo\nspec:\n  hosts: ["a"]\n  http:\n  - rout:\n    - destination:\n        host: a\n';
    const apply = (text: string): Promise<number> => conn.run('kubectl apply -f ~/edited/vs.yaml', [{ path: 'edited/vs.yaml', content: text }]);
    expect(await apply(vs)).not.toBe(0);
    expect(output()).toContain('strict decoding error: unknown field "spec.http[0].rout"');
    // istioctl analyze runs Istio's analyzers and prints what istioctl prints: no course hints (PRK…)
    await apply(vs.replace('rout:', 'route:').replace('host: a\n', 'host: a\n      weight: 30\n'));
    await conn.run('istioctl analyze -n demo');
    expect(output()).toContain('Error [IST0101] (VirtualService typo.demo) Referenced host not found: "a"');
    expect(output()).not.toMatch(/PRK\d/);
    await conn.reset();
    expect(loads).toBe(1);
  });
});

describe('several terminals on one sandbox', () => {
  it('each terminal is its own shell: cwd, variables, history and $? of its own; the cluster is shared', async () => {
    const { conn, output } = connect();
    await conn.start('service-a-service-b');
    let second = '';
    const t2 = conn.channel('2', { output: (d) => (second += d) });
    expect(t2.prompt).toEqual({ namespace: 'default', cwd: '~' });
    await conn.run('cd examples; MINE=one; false');
    expect(await t2.run('pwd; echo "[$MINE] $?"; echo $INGRESS_HOST')).toBe(0);
    expect(second).toMatch(/^\/home\/learner\n\[\] 0\n\d+\.\d+\.\d+\.\d+\n$/);
    expect(t2.prompt.cwd).toBe('~');
    expect(conn.prompt.cwd).toBe('~/examples');
    await t2.run('kubectl create namespace from-two');
    await conn.run('kubectl get ns from-two -o name');
    expect(output()).toContain('namespace/from-two\n');
    // the kubeconfig is a file: its namespace is the same in every terminal
    await t2.run('kubectl config set-context --current --namespace=demo');
    expect(t2.prompt.namespace).toBe('demo');
    await conn.run('true');
    expect(conn.prompt.namespace).toBe('demo');
  });

  it('follows logs in one terminal while another sends requests; Ctrl-C stops only that terminal', async () => {
    const { conn, output } = connect({ virtualTime: false, wall: () => Date.now() });
    await conn.start('service-a-service-b');
    let logs = '';
    const t2 = conn.channel('2', { output: (d) => (logs += d) });
    const follow = t2.run('kubectl logs -f deploy/service-a -c istio-proxy -n demo --tail=0');
    await new Promise((r) => setTimeout(r, 50));
    expect(await conn.run('curl -s -o /dev/null -w "%{http_code}\\n" -H "User-Agent: from-terminal-1" http://$INGRESS_HOST/')).toBe(0);
    expect(output()).toBe('200\n');
    for (let i = 0; i < 40 && !logs.includes('from-terminal-1'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(logs).toMatch(/"GET \/ HTTP\/1\.1" 200 .*"from-terminal-1"/);
    expect(t2.busy).toBe(true);
    t2.interrupt();
    expect(await follow).toBe(130);
    expect(await conn.run('echo still here')).toBe(0);
    expect(output()).toContain('still here\n');
  });

  it('a closed terminal stops its command and forgets its shell; a reset gives every terminal a new shell', async () => {
    const { conn, transport } = connect({ virtualTime: false, wall: () => Date.now() });
    await conn.start('ingress-service-a');
    const t2 = conn.channel('2', {});
    const sleeping = t2.run('sleep 30');
    await new Promise((r) => setTimeout(r, 20));
    t2.close();
    expect(await sleeping).toBe(130);
    await Promise.all(transport.done);
    let out = '';
    const t3 = conn.channel('3', { output: (d) => (out += d) });
    await t3.run('cd examples');
    expect(t3.prompt.cwd).toBe('~/examples');
    await conn.reset();
    expect(t3.prompt.cwd).toBe('~');
    await t3.run('pwd');
    expect(out).toBe('/home/learner\n');
  });

  it('rejects a malformed session id', () => {
    expect(isClientMessage({ type: 'run', line: 'true', session: '../x' })).toBe(false);
    expect(isClientMessage({ type: 'close' })).toBe(false);
    expect(isClientMessage({ type: 'interrupt', session: '2' })).toBe(true);
  });
});

describe('step checks with several terminals', () => {
  it('a check answers while another terminal follows logs, and still waits for a line run just before it', async () => {
    const { conn } = connect({ virtualTime: false, wall: () => Date.now() });
    await conn.start('ingress-service-a');
    const t2 = conn.channel('2', {});
    const follow = t2.run('kubectl logs -f deploy/istio-ingressgateway -n istio-system --tail=0');
    void conn.run('kubectl create namespace checked');
    const started = Date.now();
    const [r] = await conn.check([{ command: 'kubectl get ns checked', missing: 'нет' }]);
    expect(r.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(4_000);
    t2.interrupt();
    expect(await follow).toBe(130);
  });
});
