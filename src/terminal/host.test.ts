import { describe, expect, it } from 'vitest';
import { InProcessTransport, SandboxConnection } from './connection';
import { SandboxHost, probeOk } from './host';
import type { ServerMessage } from './protocol';
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

  it('stops an endless loop with the engine budget', async () => {
    const { conn, output } = connect();
    await conn.start('ingress-service-a');
    expect(await conn.run('while true; do :; done')).toBe(130);
    expect(output()).toMatch(/stopped/);
  });

  it('bounds a flood of output', async () => {
    const { conn, output } = connect({ maxOutput: 1000 });
    await conn.start('ingress-service-a');
    await conn.run('seq 1 100000');
    expect(output().length).toBeLessThan(1200);
    expect(output()).toMatch(/вывод обрезан/);
  });

  it('completes commands, kubectl verbs, resources, namespaces and paths', async () => {
    const { conn } = connect();
    await conn.start('ingress-service-a');
    expect((await conn.complete('kubec', 5)).candidates).toEqual(['kubectl']);
    expect((await conn.complete('kubectl ap', 10)).candidates).toEqual(['apply']);
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
    [{ command: '', missing: '', expect: 'c', reject: 'b' }, 0, 'c b', false],
  ])('%j, status %i, %j → %s', (probe, code, out, ok) => {
    expect(probeOk(probe, code, out)).toBe(ok);
  });
});

describe('applying an edited manifest', () => {
  it('runs kubectl apply with the text as a here-document', async () => {
    const { applyCommand } = await import('./store');
    const { splitCommands } = await import('./splitCommands');
    const { conn, output } = connect();
    await conn.start('ingress-service-a');
    const yaml = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: edited\n  labels:\n    note: EOF\n';
    const line = applyCommand(yaml);
    expect(splitCommands(line)).toEqual([line]);
    expect(await conn.run(line)).toBe(0);
    expect(output()).toContain('namespace/edited created');
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
