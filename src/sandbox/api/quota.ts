/**
 * LimitRange and ResourceQuota as the apiserver's admission plugins apply them:
 *
 *  - LimitRanger (kubernetes plugin/pkg/admission/limitranger/admission.go): a container without
 *    requests or limits gets the Container-type item's default / defaultRequest (the LimitRange's own
 *    defaulting first: default from max, defaultRequest from default or min — pkg/apis/core/v1/defaults.go
 *    SetDefaults_LimitRangeItem) and the pod the annotation `kubernetes.io/limit-ranger`.
 *  - ResourceQuota (staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go
 *    CheckRequest): object counts (`pods`, `services`, `configmaps`, `secrets`, `count/<resource>.<group>`)
 *    and the pods' compute resources (requests.cpu/memory, limits.cpu/memory, cpu, memory; the pod evaluator
 *    pkg/quota/v1/evaluator/core/pods.go: containers summed, the largest init container if larger), refused with
 *    `exceeded quota: NAME, requested: …, used: …, limited: …` or `failed quota: NAME: must specify …`.
 *  - the quota controller's status (status.hard = spec.hard, status.used) kept by `quotaStatus()` on every sync.
 *
 * Not modelled: quota scopes and scopeSelector, LimitRange min/max/maxLimitRequestRatio validation,
 * Pod- and PersistentVolumeClaim-type limit items, extended resources and storage quotas.
 */
import type { AdmissionRequest, MutatingPlugin } from './admission';
import type { ApiClient } from './client';
import { KINDS, type ResourceKind } from './kinds';
import { isRecord, jsonEqual, deepClone, type KubeObject } from './types';

type R = Record<string, unknown>;
const rec = (v: unknown): R => (isRecord(v) ? v : {});
const arr = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isRecord) : []);

// ---- quantities (k8s.io/apimachinery pkg/api/resource/quantity.go, the forms the lessons use) ----

const SUFFIX: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A quantity in milli-units (exact for what pods request), or undefined when it does not parse. */
export function parseQuantity(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1) * SUFFIX[m[3] ?? ''];
  return Math.round(n * 1000);
}

/** Quantity.String() in the canonical form of the reference's format: binary (Ki, Mi, Gi…) when it uses one. */
export function formatQuantity(milli: number, like: unknown): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  const n = milli / 1000;
  if (n === 0) return '0';
  const binary = typeof like === 'string' && /i$/.test(like.trim());
  const units = binary ? ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] : ['E', 'P', 'T', 'G', 'M', 'k'];
  for (const u of units) if (n % SUFFIX[u] === 0) return `${n / SUFFIX[u]}${u}`;
  return String(n);
}

// ---- LimitRanger ----

/** The Container item of a LimitRange after SetDefaults_LimitRangeItem. */
function containerDefaults(lr: KubeObject): { limits: R; requests: R } | undefined {
  const item = arr(rec(lr.spec).limits).find((l) => l.type === 'Container');
  if (!item) return undefined;
  const limits: R = { ...rec(item.max), ...rec(item.default) };
  const requests: R = { ...rec(item.min), ...limits, ...rec(item.defaultRequest) };
  return { limits, requests };
}

export function limitRanger(client: ApiClient): MutatingPlugin {
  return {
    name: 'LimitRanger',
    admit(req: AdmissionRequest) {
      if (req.operation !== 'CREATE' || req.resource.kind !== 'Pod') return;
      const ranges = client.cached(client.kind('LimitRange'), req.object.metadata.namespace);
      if (!ranges.ok || ranges.value.length === 0) return;
      const set: string[] = [];
      const spec = rec(req.object.spec);
      for (const lr of ranges.value) {
        const d = containerDefaults(lr);
        if (!d) continue;
        for (const list of ['initContainers', 'containers'])
          for (const c of arr(spec[list])) {
            const res = isRecord(c.resources) ? c.resources : (c.resources = {});
            const limits = isRecord(res.limits) ? res.limits : {};
            const requests = isRecord(res.requests) ? res.requests : {};
            // the apiserver's defaulting came first: a limit without a request is also the request (SetDefaults_Pod)
            for (const [k, v] of Object.entries(limits)) requests[k] ??= v;
            const setLimits = Object.keys(d.limits).filter((k) => limits[k] === undefined);
            const setRequests = Object.keys(d.requests).filter((k) => requests[k] === undefined);
            for (const k of setLimits) limits[k] = d.limits[k];
            for (const k of setRequests) requests[k] = d.requests[k];
            if (Object.keys(limits).length) res.limits = limits;
            if (Object.keys(requests).length) res.requests = requests;
            // mergeContainerResources: "cpu, memory request for container web", then the limits
            const who = `${list === 'initContainers' ? 'init container' : 'container'} ${String(c.name)}`;
            if (setRequests.length) set.push(`${setRequests.sort().join(', ')} request for ${who}`);
            if (setLimits.length) set.push(`${setLimits.sort().join(', ')} limit for ${who}`);
          }
      }
      if (set.length) req.object.metadata.annotations = { ...(req.object.metadata.annotations ?? {}), 'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${set.join('; ')}` };
    },
  };
}

// ---- ResourceQuota ----

const COMPUTE = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory'];
const CORE_COUNTS: Record<string, string> = { Pod: 'pods', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets', ResourceQuota: 'resourcequotas' };

/** A pod stops counting once it is terminal or being deleted (the pod evaluator's QuotaV1Pod). */
function podCounts(p: KubeObject): boolean {
  const phase = rec(p.status).phase;
  return !p.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** PodUsageFunc: what one pod uses, in milli-units, by quota resource name. */
export function podUsage(pod: KubeObject): Record<string, number> {
  const spec = rec(pod.spec);
  const sum = (cs: R[], part: 'requests' | 'limits', r: string): number => cs.reduce((n, c) => n + (parseQuantity(rec(rec(c.resources)[part])[r]) ?? 0), 0);
  // resourcehelper.PodRequests (KEP-753): native sidecars (restartable init containers) run beside
  // the containers and add to them; an init container that completes needs its own amount plus the
  // sidecars started before it
  const inits = arr(spec.initContainers);
  const of = (part: 'requests' | 'limits', r: string): number => {
    let sidecars = 0;
    let initPeak = 0;
    for (const c of inits) {
      const v = sum([c], part, r);
      if (c.restartPolicy === 'Always') sidecars += v;
      else initPeak = Math.max(initPeak, v + sidecars);
    }
    return Math.max(sum(arr(spec.containers), part, r) + sidecars, initPeak);
  };
  const u: Record<string, number> = { pods: 1000 };
  u['requests.cpu'] = u.cpu = of('requests', 'cpu');
  u['requests.memory'] = u.memory = of('requests', 'memory');
  u['limits.cpu'] = of('limits', 'cpu');
  u['limits.memory'] = of('limits', 'memory');
  return u;
}

function countKeys(r: ResourceKind): string[] {
  const keys = [`count/${r.group ? `${r.plural}.${r.group}` : r.plural}`];
  if (!r.group && CORE_COUNTS[r.kind]) keys.push(CORE_COUNTS[r.kind]);
  return keys;
}

/** What the namespace uses of each resource a quota names (what the quota controller writes to status.used). */
function namespaceUsage(client: ApiClient, namespace: string, names: string[]): Record<string, number> {
  const used: Record<string, number> = {};
  const pods = client.cached(client.kind('Pod'), namespace);
  const live = pods.ok ? pods.value.filter(podCounts) : [];
  for (const name of names) {
    if (name === 'pods' || COMPUTE.includes(name)) {
      used[name] = live.reduce((n, p) => n + (podUsage(p)[name] ?? 0), 0);
      continue;
    }
    const m = /^count\/([^.]+)(?:\.(.+))?$/.exec(name);
    const core = Object.entries(CORE_COUNTS).find(([, v]) => v === name)?.[0];
    const r = KINDS.find((k) => (core ? k.kind === core && k.group === '' : m !== null && k.plural === m[1] && k.group === (m[2] ?? '')));
    if (!r) continue;
    const items = client.cached(r, namespace);
    used[name] = (items.ok ? (r.kind === 'Pod' ? items.value.filter(podCounts) : items.value).length : 0) * 1000;
  }
  return used;
}

const prettyPrint = (m: Record<string, string>): string =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}=${m[k]}`)
    .join(',');

/**
 * The quota check of a create: the refusal's message (after `<resource> "<name>" is forbidden: `), or
 * undefined when every quota of the namespace has room.
 */
export function quotaRefusal(client: ApiClient, req: AdmissionRequest): string | undefined {
  if (req.operation !== 'CREATE' || !req.resource.namespaced) return undefined;
  const namespace = req.object.metadata.namespace ?? '';
  const quotas = client.cached(client.kind('ResourceQuota'), namespace);
  if (!quotas.ok || quotas.value.length === 0) return undefined;
  const isPod = req.resource.kind === 'Pod';
  const delta: Record<string, number> = isPod ? podUsage(req.object) : {};
  for (const k of countKeys(req.resource)) delta[k] = 1000;
  for (const q of quotas.value) {
    const hard = rec(rec(q.spec).hard);
    const tracked = Object.keys(hard).filter((k) => delta[k] !== undefined);
    if (tracked.length === 0) continue;
    if (isPod) {
      // pods.go Constraints: each container must name the compute resources the quota tracks
      const required = tracked.filter((k) => COMPUTE.includes(k));
      const missing = new Map<string, string[]>();
      const spec = rec(req.object.spec);
      for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
        const has = (k: string): boolean => rec(rec(c.resources)[k.startsWith('limits.') ? 'limits' : 'requests'])[k.replace(/^(requests|limits)\./, '')] !== undefined;
        for (const k of required) if (!has(k)) missing.set(k, [...(missing.get(k) ?? []), String(c.name)]);
      }
      if (missing.size)
        return `failed quota: ${q.metadata.name}: must specify ${[...missing.keys()]
          .sort()
          .map((k) => `${k} for: ${[...new Set(missing.get(k))].sort().join(',')}`)
          .join('; ')}`;
    }
    const used = namespaceUsage(client, namespace, tracked);
    const exceeded = tracked.filter((k) => (used[k] ?? 0) + delta[k] > (parseQuantity(hard[k]) ?? 0));
    if (exceeded.length === 0) continue;
    const show = (f: (k: string) => string): Record<string, string> => Object.fromEntries(exceeded.map((k) => [k, f(k)]));
    return `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(show((k) => formatQuantity(delta[k], hard[k])))}, used: ${prettyPrint(
      show((k) => formatQuantity(used[k] ?? 0, hard[k])),
    )}, limited: ${prettyPrint(show((k) => String(hard[k])))}`;
  }
  return undefined;
}

/** The quota controller: status.hard and status.used of every ResourceQuota; true when it wrote. */
export function syncQuotaStatus(client: ApiClient): boolean {
  const R = client.kind('ResourceQuota');
  const quotas = client.cached(R);
  if (!quotas.ok) return false;
  let changed = false;
  for (const q of quotas.value) {
    const hard = rec(rec(q.spec).hard);
    const used = namespaceUsage(client, q.metadata.namespace ?? '', Object.keys(hard));
    const status = { hard: { ...hard }, used: Object.fromEntries(Object.keys(hard).map((k) => [k, formatQuantity(used[k] ?? 0, hard[k])])) };
    if (jsonEqual(q.status, status)) continue;
    const next = deepClone(q);
    next.status = status;
    if (client.updateStatus(R, next).ok) changed = true;
  }
  return changed;
}
