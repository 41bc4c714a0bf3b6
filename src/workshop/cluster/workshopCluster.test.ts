/**
 * The workshop server in cluster mode (`--cluster KUBECONFIG`) against the sandbox served over
 * HTTPS: joining provisions a namespace (the roster shows it), the participant's socket carries
 * pty-input / pty-output frames with sequence numbers to a PTY running the real kubectl, and the
 * room's end deletes the namespaces.
 */
import { writeFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../sandbox/core/clock';
import { kubeconfigFor } from '../../sandbox/http/kubeconfig';
import { serveSandbox, type ServedSandbox } from '../../sandbox/http/node';
import { Sandbox } from '../../sandbox/sandbox';
import { realKubectl } from '../../../tests/conformance/realKubectl';
import { ParticipantClient, participantSocketUrl } from '../client';
import type { ClusterSeat, Roster } from '../protocol';
import { PtySession, type PtyLink } from '../ptyTerminal';
import { lessonBashBlocks } from '../../terminal/testSupport';
import type { WorkshopServer } from '../server';
import { api, createRoom, join, startTestServer, tempDataDir, until, within, wsWithOrigin } from '../testSupport';
import { createClusterMode } from './index';

let served: ServedSandbox;
let sb: Sandbox;
let server: WorkshopServer;
const clients: ParticipantClient[] = [];

/** The terminal's text without escape sequences (bash's bracketed paste) and carriage returns. */
const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

beforeAll(async () => {
  const dataDir = tempDataDir();
  sb = new Sandbox({ seed: 8, clock: new RealClock() });
  served = await serveSandbox(sb, { token: 'organiser', rateLimit: 10_000 });
  const admin = pathJoin(dataDir, 'admin.kubeconfig');
  writeFileSync(admin, kubeconfigFor(served.url, 'organiser', served.caPem));
  const cluster = await createClusterMode(admin, { dataDir, kubectl: realKubectl() });
  server = await startTestServer({ dataDir, cluster });
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
  await served?.close();
});

describe('workshop server in cluster mode', () => {
  it('gives each participant a namespace and a PTY with the real kubectl; ending the room deletes the namespaces', async () => {
    const room = await createRoom(server, { title: 'Кластер' });
    expect(room.mode).toBe('cluster');
    const anna = await join(server, room.code, 'Анна');
    const boris = await join(server, room.code, 'Борис');
    const roster = (await api<Roster>(server, 'GET', `/api/rooms/${room.code}/roster`)).body;
    const nsOf = (id: string): string => roster.participants.find((p) => p.id === id)?.namespace ?? '';
    expect(nsOf(anna.participantId)).toMatch(/^ws-[a-z0-9]+-[0-9a-f]{10}$/);
    expect(nsOf(boris.participantId)).not.toBe(nsOf(anna.participantId));

    let out = '';
    const client = new ParticipantClient({
      url: participantSocketUrl(server.url, anna.token),
      WebSocket: wsWithOrigin(server.url),
      events: { ptyOutput: (d) => (out += d) },
    });
    clients.push(client);
    const send = client.send.bind(client);
    client.connect();
    await until(() => client.state === 'open', 5000, 'socket open');
    send({ type: 'pty-resize', cols: 160, rows: 40 });
    send({ type: 'pty-input', data: `kubectl get pods -n ${nsOf(boris.participantId)}\r` });
    const forbidden = `Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:${nsOf(anna.participantId)}:participant" cannot list resource "pods" in API group "" in the namespace "${nsOf(boris.participantId)}"`;
    await within(until(() => plain(out).includes(forbidden), 20_000, 'Forbidden line'), 25_000, 'kubectl answer');
    send({ type: 'pty-input', data: 'kubectl auth can-i create deployments\r' });
    await until(() => /\nyes\n/.test(plain(out)), 20_000, 'can-i yes');
    // pty-output frames carry sequence numbers: a page that reconnects from 0 gets the whole terminal replayed
    expect(client.lastSeq).toBeGreaterThan(0);
    let replayed = '';
    const again = new ParticipantClient({ url: participantSocketUrl(server.url, anna.token), WebSocket: wsWithOrigin(server.url), events: { ptyOutput: (d) => (replayed += d) } });
    clients.push(again);
    again.connect();
    await until(() => plain(replayed).includes(forbidden) && /\nyes\n/.test(plain(replayed)), 5000, 'replay');
    expect(again.lastSeq).toBe(client.lastSeq);

    expect((await api(server, 'POST', `/api/rooms/${room.code}/end`)).status).toBeLessThan(300);
    const gone = (ns: string): boolean => sb.cluster.server.handle({ method: 'GET', path: `/api/v1/namespaces/${ns}` }).code === 404;
    await until(() => gone(nsOf(anna.participantId)) && gone(nsOf(boris.participantId)), 10_000, 'namespaces deleted');
  }, 60_000);

  it("runs a lesson's run button in the participant's PTY as their page does: mapped to their namespace, the real kubectl's answers on screen", async () => {
    const room = await createRoom(server, { title: 'Кнопки', lessons: ['practice/resilience'] });
    const vera = await join(server, room.code, 'Вера');
    let seat: ClusterSeat | undefined;
    const listeners = new Set<(d: string) => void>();
    const client = new ParticipantClient({
      url: participantSocketUrl(server.url, vera.token),
      WebSocket: wsWithOrigin(server.url),
      events: { welcome: (w) => (seat = w.cluster), ptyOutput: (d) => listeners.forEach((l) => l(d)) },
    });
    clients.push(client);
    // the page's PtyLink (roomLink.ts) over the same client
    const link: PtyLink = {
      input: (data) => client.send({ type: 'pty-input', data }),
      resize: (cols, rows) => client.send({ type: 'pty-resize', cols, rows }),
      output: (l) => (listeners.add(l), () => listeners.delete(l)),
      seat: async () => {
        await until(() => seat !== undefined, 5000, 'welcome with the cluster seat');
        return seat!;
      },
    };
    let screen = '';
    const session = new PtySession({ link, scenario: 'resilience', screen: { write: (d) => (screen += d), cols: 160, rows: 40 } });
    client.connect();
    await session.start();
    const ns = seat!.namespace;
    expect(ns).toMatch(/^ws-[a-z0-9]+-[0-9a-f]{10}$/);
    expect(seat!.lessons['practice/resilience']).toEqual({ from: 'shop', namespaceOnlyFiles: ['examples/resilience/namespace.yaml'] });

    session.runCommands(lessonBashBlocks('docs/practice/resilience.mdx')[0]);
    await within(until(() => plain(screen).includes('deployment "fortio" successfully rolled out'), 60_000, 'the block ran'), 65_000, 'rollout');
    const text = plain(screen);
    expect(text).toContain(`Namespace ${ns} уже создан для вас (с istio-injection=enabled): урок работает в нём.`);
    expect(text).toMatch(/^deployment\.apps\/inventory created$/m);
    expect(text).toContain(`kubectl rollout status deployment/inventory -n ${ns}`);
    expect(text).not.toMatch(/Forbidden|forbidden|\bshop\b/);
    await expect(session.check([])).rejects.toThrow(/проверки шагов не выполняются/);
    session.dispose();
  }, 90_000);
});
