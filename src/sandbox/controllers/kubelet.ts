/**
 * The kubelet of node "sandbox": binds pods to the node, gives them an IP, and moves them
 * through a real-looking life on the clock:
 *
 *   Pending → (Init:0/1 → PodInitializing when a sidecar was injected) → ContainerCreating
 *   → Running (the sidecar turns ready a moment later: READY 1/2 → 2/2)
 *   unknown image → ErrImagePull ⇄ ImagePullBackOff;  a container that exits → CrashLoopBackOff
 *   deleted → Terminating → gone.
 *
 * podStatusAt() is a pure function of the pod and the elapsed time, so tests can table it.
 */
import type { ApiClient } from '../api/client';
import { isoSeconds } from '../core/clock';
import { plainString } from '../api/labels';
import { deepClone, isRecord, jsonEqual, type KubeObject } from '../api/types';
import type { ApiServer } from '../api/server';
import { keepsRunning, lookupImage, parseImage, pullError } from '../workloads/images';
import type { ContainerSpecLite } from '../workloads/types';
import type { Controller } from './controller';
import type { EventRecorder } from './events';
import { isRestartableInit } from './injection';

export const NODE_NAME = 'sandbox';
export const NODE_IP = '172.18.0.2';

/** Milliseconds of each stage (virtual time). */
export const TIMING = {
  init: 1500,
  pull: 1500,
  sidecarReady: 1000,
  pullRetry: 15_000,
  errImagePullFor: 3000,
};

export function containersOf(spec: Record<string, unknown>, field = 'containers'): ContainerSpecLite[] {
  const list = Array.isArray(spec[field]) ? (spec[field] as unknown[]) : [];
  return list.filter(isRecord).map((c) => ({
    name: plainString(c.name ?? ''),
    image: plainString(c.image ?? ''),
    env: Object.fromEntries(
      (Array.isArray(c.env) ? c.env : []).filter(isRecord).map((e) => [plainString(e.name), e.value === undefined ? '' : plainString(e.value)]),
    ),
    command: Array.isArray(c.command) ? c.command.map(String) : undefined,
    args: Array.isArray(c.args) ? c.args.map(String) : undefined,
    ports: (Array.isArray(c.ports) ? c.ports : []).filter(isRecord).map((p) => ({ name: typeof p.name === 'string' ? p.name : undefined, containerPort: Number(p.containerPort) })),
  }));
}

/** A container's status by name: among containerStatuses, or initContainerStatuses (a native sidecar, a finished init container). */
export function containerStatus(status: unknown, name: string): Record<string, unknown> | undefined {
  const st = isRecord(status) ? status : {};
  return [...(Array.isArray(st.containerStatuses) ? st.containerStatuses : []), ...(Array.isArray(st.initContainerStatuses) ? st.initContainerStatuses : [])].filter(isRecord).find((c) => c.name === name);
}

function imageId(image: string): string {
  const r = parseImage(image);
  let h = 0;
  for (const ch of image) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `${r.registry}/${r.repository}@sha256:${h.toString(16).padStart(8, '0').repeat(8)}`;
}

function fullImage(image: string): string {
  const r = parseImage(image);
  return `${r.registry}/${r.repository}:${r.tag}`;
}

/** Restart times of a crashing container: back-off 10 s, 20 s, 40 s … capped at 5 min. */
export function restartsAt(sinceStart: number): { restarts: number; nextAt: number; lastAt: number } {
  let t = 0;
  let restarts = 0;
  let delay = 10_000;
  for (;;) {
    const next = t + 500 + delay;
    if (next > sinceStart) return { restarts, nextAt: next, lastAt: t };
    t = next;
    restarts++;
    delay = Math.min(delay * 2, 300_000);
  }
}

export function podStatusAt(pod: KubeObject, elapsed: number, createdMs: number, podIp: string): Record<string, unknown> {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const rawInits = (Array.isArray(spec.initContainers) ? spec.initContainers : []).filter(isRecord);
  const inits = containersOf(spec, 'initContainers').map((c, i) => ({ ...c, restartable: rawInits[i]?.restartPolicy === 'Always' }));
  const containers = containersOf(spec);
  const ts = (ms: number): string => isoSeconds(createdMs + ms);
  // The init containers run in order. One that completes (istio-init) takes TIMING.init; a native
  // sidecar (restartPolicy: Always, KEP-753) starts and keeps running, and the next container
  // starts once its startup probe passes, TIMING.sidecarReady later (Envoy ready).
  let t = 0;
  const initStatuses = inits.map((c) => {
    const startAt = t;
    if (c.restartable) {
      const runningAt = startAt + 500;
      const readyAt = runningAt + TIMING.sidecarReady;
      t = readyAt;
      const base = { name: c.name, image: fullImage(c.image), imageID: elapsed >= runningAt ? imageId(c.image) : '', restartCount: 0 };
      if (elapsed < runningAt) return { ...base, ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } };
      return { ...base, ready: elapsed >= readyAt, started: elapsed >= readyAt, state: { running: { startedAt: ts(runningAt) } } };
    }
    const doneAt = startAt + TIMING.init;
    t = doneAt;
    const done = elapsed >= doneAt;
    return {
      name: c.name,
      image: fullImage(c.image),
      imageID: done ? imageId(c.image) : '',
      ready: done,
      restartCount: 0,
      started: false,
      state: done
        ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: ts(startAt + 200), finishedAt: ts(doneAt), containerID: `containerd://${imageId(c.name).slice(-64)}` } }
        : { waiting: { reason: 'PodInitializing' } },
    };
  });
  const initDone = t;
  const nativeSidecar = inits.some((c) => c.restartable);
  // with a native sidecar the image is pulled while it starts; otherwise after the init containers
  const runAt = nativeSidecar ? initDone : initDone + TIMING.pull;
  let allRunning = true;
  const statuses = containers.map((c) => {
    const base = { name: c.name, image: fullImage(c.image), imageID: '', ready: false, restartCount: 0, started: false };
    if (elapsed < initDone) {
      allRunning = false;
      return { ...base, state: { waiting: { reason: 'PodInitializing' } } };
    }
    if (!lookupImage(c.image)) {
      allRunning = false;
      if (elapsed < runAt) return { ...base, state: { waiting: { reason: 'ContainerCreating' } } };
      const inCycle = (elapsed - runAt) % TIMING.pullRetry;
      const reason = inCycle < TIMING.errImagePullFor ? 'ErrImagePull' : 'ImagePullBackOff';
      const message = reason === 'ErrImagePull' ? `rpc error: code = NotFound desc = ${pullError(c.image)}` : `Back-off pulling image "${c.image}"`;
      return { ...base, state: { waiting: { reason, message } } };
    }
    if (elapsed < runAt) {
      allRunning = false;
      return { ...base, state: { waiting: { reason: 'ContainerCreating' } } };
    }
    const running = { ...base, imageID: imageId(c.image), started: true };
    if (!keepsRunning(c)) {
      const { restarts, nextAt, lastAt } = restartsAt(elapsed - runAt);
      const crashing = elapsed - runAt - lastAt > 500;
      const term = { exitCode: 2, reason: 'Error', startedAt: ts(runAt + lastAt), finishedAt: ts(runAt + lastAt + 100) };
      return {
        ...running,
        started: false,
        restartCount: restarts,
        state: crashing
          ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.round((nextAt - lastAt - 500) / 1000)}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } }
          : { terminated: term },
        lastState: restarts > 0 ? { terminated: term } : {},
      };
    }
    // a classic istio-proxy container turns ready when Envoy is
    const ready = c.name === 'istio-proxy' ? elapsed >= runAt + TIMING.sidecarReady : true;
    return { ...running, ready, state: { running: { startedAt: ts(runAt) } } };
  });
  // a pod is ready when its containers and its native sidecars are (KEP-753)
  const sidecarStatuses = initStatuses.filter((_, i) => inits[i].restartable);
  const containersReady = statuses.length > 0 && [...statuses, ...sidecarStatuses].every((s) => s.ready);
  const anyStarted = statuses.some((s) => s.started);
  const phase = allRunning || anyStarted ? 'Running' : 'Pending';
  const cond = (type: string, ok: boolean, at: number): Record<string, unknown> => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: ts(ok ? at : 0),
    ...(ok || type === 'PodScheduled' || type === 'Initialized' ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${[...sidecarStatuses, ...statuses].filter((s) => !s.ready).map((s) => s.name).join(' ')}]` }),
  });
  const readyAt = runAt + (containers.some((c) => c.name === 'istio-proxy') ? TIMING.sidecarReady : 0);
  const hasIp = elapsed >= Math.min(initDone, TIMING.pull) / 2;
  const status: Record<string, unknown> = {
    phase,
    conditions: [
      cond('PodReadyToStartContainers', hasIp, 300),
      cond('Initialized', elapsed >= initDone, initDone),
      cond('Ready', containersReady, readyAt),
      cond('ContainersReady', containersReady, readyAt),
      cond('PodScheduled', true, 0),
    ],
    hostIP: NODE_IP,
    hostIPs: [{ ip: NODE_IP }],
    ...(hasIp ? { podIP: podIp, podIPs: [{ ip: podIp }] } : {}),
    startTime: ts(0),
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: 'Burstable',
  };
  return status;
}

export class PodIpam {
  private next = 5;
  private byUid = new Map<string, string>();
  constructor(private readonly prefix = '10.244.0') {}
  ipFor(uid: string): string {
    let ip = this.byUid.get(uid);
    if (!ip) {
      const n = this.next++;
      ip = n < 255 ? `${this.prefix}.${n}` : `10.244.${Math.floor(n / 254)}.${(n % 254) + 1}`;
      this.byUid.set(uid, ip);
    }
    return ip;
  }
  release(uid: string): void {
    this.byUid.delete(uid);
  }
  snapshot(): PodIpamSnapshot {
    return { next: this.next, byUid: Object.fromEntries(this.byUid) };
  }
  restore(s: PodIpamSnapshot): void {
    this.next = s.next;
    this.byUid = new Map(Object.entries(s.byUid));
  }
}

export interface PodIpamSnapshot {
  next: number;
  /** Pod uid → IP. */
  byUid: Record<string, string>;
}

/** What the kubelet remembers beyond the pods' status: IPs handed out, pods it started to kill. */
export interface KubeletSnapshot {
  podIps: PodIpamSnapshot;
  killing: string[];
}

type ContainerState = { name: string; state?: Record<string, unknown>; image?: string; restartCount?: number };

/** The events the kubelet records when a container moves from one state to the next. */
export function containerEvents(prev: ContainerState | undefined, next: ContainerState, image: string, podRef: string): { type: 'Normal' | 'Warning'; reason: string; message: string }[] {
  const out: { type: 'Normal' | 'Warning'; reason: string; message: string }[] = [];
  const waiting = (c: ContainerState | undefined): string | undefined => (c?.state && isRecord(c.state.waiting) ? String(c.state.waiting.reason) : undefined);
  const started = (c: ContainerState | undefined): boolean => !!c?.state && (isRecord(c.state.running) || isRecord(c.state.terminated));
  const pw = waiting(prev);
  const nw = waiting(next);
  if (!started(prev) && started(next) && !(prev?.restartCount ?? 0)) {
    out.push({ type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` });
    out.push({ type: 'Normal', reason: 'Created', message: `Created container ${next.name}` });
    out.push({ type: 'Normal', reason: 'Started', message: `Started container ${next.name}` });
  }
  if (nw === 'ErrImagePull' && pw !== 'ErrImagePull') {
    out.push({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` });
    out.push({ type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${isRecord(next.state?.waiting) ? String(next.state!.waiting.message ?? '') : ''}` });
    out.push({ type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' });
  }
  if (nw === 'ImagePullBackOff' && pw !== 'ImagePullBackOff') {
    out.push({ type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${image}"` });
    out.push({ type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff' });
  }
  if (nw === 'CrashLoopBackOff' && pw !== 'CrashLoopBackOff') out.push({ type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${next.name} in pod ${podRef}` });
  return out;
}

export class Kubelet implements Controller {
  readonly name = 'kubelet';
  readonly ipam = new PodIpam();
  constructor(
    private readonly client: ApiClient,
    private readonly server: ApiServer,
    private readonly onStart: (pod: KubeObject, at: number) => void = () => undefined,
    private readonly events?: EventRecorder,
  ) {}

  private killing = new Set<string>();

  snapshot(): KubeletSnapshot {
    return { podIps: this.ipam.snapshot(), killing: [...this.killing] };
  }
  restore(s: KubeletSnapshot): void {
    this.ipam.restore(s.podIps);
    this.killing = new Set(s.killing);
  }

  private recordContainerEvents(p: KubeObject, status: Record<string, unknown>, now: number): void {
    if (!this.events) return;
    const prevStatus = isRecord(p.status) ? p.status : {};
    const spec = isRecord(p.spec) ? p.spec : {};
    const images = new Map([...containersOf(spec, 'initContainers'), ...containersOf(spec)].map((c) => [c.name, c.image]));
    for (const field of ['initContainerStatuses', 'containerStatuses']) {
      const prev = (Array.isArray(prevStatus[field]) ? (prevStatus[field] as ContainerState[]) : []);
      const next = (Array.isArray(status[field]) ? (status[field] as ContainerState[]) : []);
      for (const n of next) {
        const before = prev.find((x) => x.name === n.name);
        for (const e of containerEvents(before, n, images.get(n.name) ?? '', `${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`))
          this.events.record(p, e.type, e.reason, e.message, { component: 'kubelet', host: NODE_NAME }, now, `${field === 'initContainerStatuses' ? 'spec.initContainers' : 'spec.containers'}{${n.name}}`);
      }
    }
  }

  reconcile(now: number): boolean {
    const c = this.client;
    const P = c.kind('Pod');
    const pods = c.cached(P);
    if (!pods.ok) return false;
    let changed = false;
    for (const p of pods.value) {
      const created = Date.parse(p.metadata.creationTimestamp ?? '') || now;
      if (p.metadata.deletionTimestamp) {
        if (!this.killing.has(p.metadata.uid ?? '')) {
          this.killing.add(p.metadata.uid ?? '');
          const spec = isRecord(p.spec) ? p.spec : {};
          for (const ctr of containersOf(spec))
            this.events?.record(p, 'Normal', 'Killing', `Stopping container ${ctr.name}`, { component: 'kubelet', host: NODE_NAME }, now, `spec.containers{${ctr.name}}`);
          // native sidecars stop after the containers, in reverse order (KEP-753)
          for (const ctr of (Array.isArray(spec.initContainers) ? spec.initContainers : []).filter(isRestartableInit).reverse())
            this.events?.record(p, 'Normal', 'Killing', `Stopping container ${String(ctr.name)}`, { component: 'kubelet', host: NODE_NAME }, now, `spec.initContainers{${String(ctr.name)}}`);
        }
        if (now >= Date.parse(p.metadata.deletionTimestamp)) {
          this.server.forceRemove(P, p.metadata.namespace, p.metadata.name ?? '');
          this.ipam.release(p.metadata.uid ?? '');
          changed = true;
        }
        continue;
      }
      const spec = isRecord(p.spec) ? p.spec : {};
      if (!spec.nodeName) {
        const u = deepClone(p);
        u.spec = { ...spec, nodeName: NODE_NAME };
        if (c.update(P, u).ok) {
          changed = true;
          this.events?.record(p, 'Normal', 'Scheduled', `Successfully assigned ${p.metadata.namespace}/${p.metadata.name} to ${NODE_NAME}`, { component: 'default-scheduler' }, now);
        }
        continue;
      }
      const ip = this.ipam.ipFor(p.metadata.uid ?? '');
      const status = podStatusAt(p, now - created, created, ip);
      if (!jsonEqual(p.status ?? {}, status)) {
        const wasRunning = isRecord(p.status) && p.status.phase === 'Running';
        const u = deepClone(p);
        u.status = status;
        if (c.updateStatus(P, u).ok) {
          changed = true;
          if (!wasRunning && status.phase === 'Running') this.onStart(u, now);
          this.recordContainerEvents(p, status, now);
        }
      }
    }
    return changed;
  }
}
