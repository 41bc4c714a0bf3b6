/**
 * A serializable snapshot of a whole Sandbox (see Sandbox.snapshot / restore / fork): the
 * cluster (ClusterSnapshot), the file system (VfsSnapshot) and the shell. Plain JSON: it
 * survives `JSON.parse(JSON.stringify(s))` unchanged.
 *
 * assertSnapshot() checks the shape of untrusted input (e.g. read back from localStorage)
 * before anything is changed, so a bad snapshot throws a clear Error and the sandbox stays as
 * it was.
 */
import { kindFor } from './api/kinds';
import { storeKey } from './api/server';
import type { KubeObject } from './api/types';
import type { ClusterSnapshot } from './cluster';
import type { Shell } from './shell/interpreter';
import type { VfsSnapshot } from './shell/vfs';

/** Bump when the shape changes; restore() refuses other versions (the caller falls back to replaying commands). */
export const SNAPSHOT_VERSION = 1;

/** Log lines kept per container in a snapshot (the newest ones). */
export const SNAPSHOT_LOG_LINES = 1000;

export interface ShellSnapshot {
  cwd: string;
  /** [name, value, exported] */
  vars: [string, string, boolean][];
  history: string[];
  lastStatus: number;
}

export interface SandboxSnapshot {
  version: number;
  cluster: ClusterSnapshot;
  fs: VfsSnapshot;
  shell: ShellSnapshot;
}

export function shellSnapshot(sh: Shell): ShellSnapshot {
  return { cwd: sh.cwd, vars: [...sh.vars].map(([k, v]) => [k, v.value, v.exported]), history: [...sh.history], lastStatus: sh.lastStatus };
}

export function restoreShell(sh: Shell, s: ShellSnapshot): void {
  sh.cwd = s.cwd;
  sh.vars.clear();
  for (const [k, value, exported] of s.vars) sh.vars.set(k, { value, exported });
  sh.history.splice(0, sh.history.length, ...s.history);
  sh.lastStatus = s.lastStatus;
}

// ---- shape checks ---------------------------------------------------------------------------

type Check = (v: unknown, path: string) => void;

function fail(path: string, expected: string): never {
  throw new Error(`invalid sandbox snapshot: ${path} must be ${expected}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : fail(p, 'a finite number'));
const str: Check = (v, p) => (typeof v === 'string' ? undefined : fail(p, 'a string'));
const bool: Check = (v, p) => (typeof v === 'boolean' ? undefined : fail(p, 'a boolean'));
const orNull =
  (c: Check): Check =>
  (v, p) =>
    v === null ? undefined : c(v, p);
const arrayOf =
  (c: Check): Check =>
  (v, p) =>
    Array.isArray(v) ? v.forEach((x, i) => c(x, `${p}[${i}]`)) : fail(p, 'an array');
const tuple =
  (...cs: Check[]): Check =>
  (v, p) =>
    Array.isArray(v) && v.length === cs.length ? cs.forEach((c, i) => c(v[i], `${p}[${i}]`)) : fail(p, `an array of ${cs.length}`);
const recordOf =
  (c: Check): Check =>
  (v, p) =>
    isObj(v) ? Object.entries(v).forEach(([k, x]) => c(x, `${p}.${k}`)) : fail(p, 'an object');
const shape =
  (fields: Record<string, Check>): Check =>
  (v, p) =>
    isObj(v) ? Object.entries(fields).forEach(([k, c]) => c(v[k], `${p}.${k}`)) : fail(p, 'an object');

const optional =
  (c: Check): Check =>
  (v, p) =>
    v === undefined ? undefined : c(v, p);
const obj: Check = (v, p) => (isObj(v) ? undefined : fail(p, 'an object'));
const labels = optional(recordOf(str));

/** ObjectMeta as the apiserver stores it: every field the controllers read has its type. */
const objectMeta = shape({
  name: str,
  namespace: optional(str),
  uid: str, // the apiserver sets it on create; the controllers find what they own by it (an owner without one made its controller create pods without end)
  resourceVersion: optional(str),
  generation: optional(num),
  creationTimestamp: optional(str),
  deletionTimestamp: optional(str),
  generateName: optional(str),
  labels,
  annotations: labels,
  finalizers: optional(arrayOf(str)),
  ownerReferences: optional(arrayOf(shape({ apiVersion: str, kind: str, name: str, uid: str, controller: optional(bool), blockOwnerDeletion: optional(bool) }))),
});

const numOrStr: Check = (v, p) => (typeof v === 'string' ? undefined : num(v, p));
/** The port fields the printers and the network read (the apiserver stores them as int32 and strings only). */
const containerPort = shape({ containerPort: num, name: optional(str), protocol: optional(str) });
const servicePort = shape({ port: num, name: optional(str), protocol: optional(str), targetPort: optional(numOrStr), nodePort: optional(num), appProtocol: optional(str) });
const container = shape({ name: str, image: optional(str), ports: optional(arrayOf(containerPort)), env: optional(arrayOf(shape({ name: str }))), command: optional(arrayOf(str)), args: optional(arrayOf(str)) });
const podSpec = shape({ containers: arrayOf(container), initContainers: optional(arrayOf(container)), nodeName: optional(str) });
const podTemplate = shape({ metadata: optional(shape({ labels, annotations: labels })), spec: podSpec });
const selector = optional(shape({ matchLabels: labels }));

/** What the controllers read of each kind's spec (a wrong type there would break them after restore). */
const SPECS: Record<string, Check> = {
  Pod: podSpec,
  Deployment: shape({ replicas: optional(num), selector, template: podTemplate }),
  ReplicaSet: shape({ replicas: optional(num), selector, template: podTemplate }),
  Service: shape({ selector: labels, ports: optional(arrayOf(servicePort)), type: optional(str), clusterIP: optional(str) }),
};

/** What the printers and the controllers read of each kind's status (kubectl get prints these counts). */
const conditions = optional(arrayOf(shape({ type: str, status: str, reason: optional(str), message: optional(str) })));
const replicaCounts = shape({ replicas: optional(num), readyReplicas: optional(num), availableReplicas: optional(num), updatedReplicas: optional(num), unavailableReplicas: optional(num), observedGeneration: optional(num), conditions });
const containerStatus = shape({ name: str, ready: optional(bool), restartCount: optional(num), state: optional(obj), lastState: optional(obj) });
const STATUSES: Record<string, Check> = {
  Pod: shape({ phase: optional(str), reason: optional(str), conditions, containerStatuses: optional(arrayOf(containerStatus)), initContainerStatuses: optional(arrayOf(containerStatus)) }),
  Deployment: replicaCounts,
  ReplicaSet: replicaCounts,
};

const kubeObject: Check = (v, p) => {
  shape({ apiVersion: str, kind: str, metadata: objectMeta, spec: optional(obj), status: optional(obj) })(v, p);
  const o = v as Record<string, unknown>;
  // own keys only: a kind named "__proto__" or "constructor" must not reach Object.prototype
  const kind = o.kind as string;
  const spec = Object.hasOwn(SPECS, kind) ? SPECS[kind] : undefined;
  if (spec && o.spec !== undefined) spec(o.spec, `${p}.spec`);
  const status = Object.hasOwn(STATUSES, kind) ? STATUSES[kind] : undefined;
  if (status && o.status !== undefined) status(o.status, `${p}.status`);
  try {
    storeKey(v as KubeObject);
  } catch (e) {
    fail(p, `an object of a known kind (${e instanceof Error ? e.message : String(e)})`);
  }
  // the apiserver stores a namespaced object with its namespace and a cluster-scoped one without
  // (a ReplicaSet without one made its controller create pods it could never count, without end)
  const namespaced = kindFor(o.apiVersion as string, o.kind as string)?.namespaced;
  const namespace = (o.metadata as { namespace?: string }).namespace;
  if (namespaced && !namespace) fail(`${p}.metadata.namespace`, `set (${o.kind as string} is a namespaced kind)`);
  if (!namespaced && namespace !== undefined) fail(`${p}.metadata.namespace`, `absent (${o.kind as string} is a cluster-scoped kind)`);
};

const envoy = shape({
  lb: recordOf(shape({ rrIndex: num, active: recordOf(num) })),
  outlier: recordOf(recordOf(shape({ consecutive5xx: num, ejectedUntil: num, ejections: num }))),
  inflight: recordOf(arrayOf(shape({ start: num, end: num }))),
  stats: recordOf(num),
});

/** An allocator: the next number to hand out and what was handed out (key → IP). */
const allocator = (field: string): Check => shape({ next: num, [field]: recordOf(str) });

const SNAPSHOT: Check = shape({
  cluster: shape({
    now: num,
    rng: num,
    api: shape({ resourceVersion: num, objects: arrayOf(kubeObject) }),
    clusterIps: shape({ next: num, used: arrayOf(str) }),
    kubelet: shape({ podIps: allocator('byUid'), killing: arrayOf(str) }),
    loadBalancer: allocator('assigned'),
    logs: recordOf(arrayOf(tuple(num, str))),
    network: shape({ proxies: recordOf(envoy), portForwards: arrayOf(tuple(num, shape({ namespace: str, pod: str, port: num }))) }),
    lastSync: shape({ revision: num, at: orNull(num) }),
  }),
  fs: shape({ dirs: arrayOf(tuple(str, num)), files: arrayOf(tuple(str, num, orNull(str))) }),
  shell: shape({ cwd: str, vars: arrayOf(tuple(str, str, bool)), history: arrayOf(str), lastStatus: num }),
});

/** The file tree must be a tree: absolute paths, and no file standing where a directory is needed. */
function assertTree(fs: VfsSnapshot): void {
  const files = new Set<string>();
  fs.files.forEach(([path], i) => {
    if (!path.startsWith('/') || path.split('/').some((part, j) => j > 0 && (part === '' || part === '.' || part === '..'))) fail(`snapshot.fs.files[${i}][0]`, 'an absolute normalized path');
    files.add(path);
  });
  const parents = [...fs.dirs.map(([d]) => d), ...fs.files.map(([f]) => f)];
  parents.forEach((path, i) => {
    if (!path.startsWith('/')) fail(`snapshot.fs.dirs[${i}][0]`, 'an absolute path');
    for (let at = path.indexOf('/', 1); at > 0; at = path.indexOf('/', at + 1)) if (files.has(path.slice(0, at))) fail(`snapshot.fs`, `a tree (${path.slice(0, at)} is both a file and a directory)`);
  });
  for (const [d] of fs.dirs) if (files.has(d)) fail('snapshot.fs', `a tree (${d} is both a file and a directory)`);
}

/** Throws a descriptive Error unless `s` is a snapshot of the current version with the expected shape. */
export function assertSnapshot(s: unknown): asserts s is SandboxSnapshot {
  if (!isObj(s)) throw new Error('invalid sandbox snapshot: not an object');
  if (s.version !== SNAPSHOT_VERSION) throw new Error(`unsupported sandbox snapshot version ${JSON.stringify(s.version)} (this build reads version ${SNAPSHOT_VERSION})`);
  SNAPSHOT(s, 'snapshot');
  assertTree((s as unknown as SandboxSnapshot).fs);
}
