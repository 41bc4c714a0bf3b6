/**
 * Registry strategies of the built-in kinds: defaulting (what `kubectl get -o yaml` shows you
 * did not write) and the structural validation the apiserver does for them. ClusterIPs are
 * allocated here, as the real apiserver does, from 10.96.0.0/12.
 */
import { createdPodSpec, type AdmissionChain, type AdmissionRequest, type MutatingPlugin } from './admission';
import { fromLabelSelector, matches, plainString } from './labels';
import type { FieldError } from './status';
import { isRecord, type KubeObject } from './types';

type Obj = Record<string, unknown>;

function rec(v: unknown): Obj {
  return isRecord(v) ? v : {};
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export interface ClusterIpSnapshot {
  next: number;
  used: string[];
}

export class ClusterIpAllocator {
  private next = 10;
  private used = new Set<string>();
  constructor(private readonly prefix = '10.96') {}
  reserve(ip: string): void {
    this.used.add(ip);
  }
  allocate(): string {
    for (;;) {
      const n = this.next++;
      const ip = `${this.prefix}.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
  }
  release(ip: string): void {
    this.used.delete(ip);
  }
  snapshot(): ClusterIpSnapshot {
    return { next: this.next, used: [...this.used] };
  }
  restore(s: ClusterIpSnapshot): void {
    this.next = s.next;
    this.used = new Set(s.used);
  }
}

/** SetDefaults_Probe and SetDefaults_HTTPGetAction (kubernetes pkg/apis/core/v1/defaults.go). */
function defaultProbe(p: unknown): void {
  if (!isRecord(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (isRecord(p.httpGet)) {
    p.httpGet.path ||= '/';
    p.httpGet.scheme ||= 'HTTP';
  }
}

/** SetDefaults_ObjectFieldSelector: a fieldRef's apiVersion is "v1". */
function defaultFieldRef(ref: unknown): void {
  if (isRecord(ref)) ref.apiVersion ||= 'v1';
}

function defaultContainers(spec: Obj): void {
  // SetDefaults_Container applies to init containers as well (kubernetes pkg/apis/core/v1/defaults.go)
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    if (!isRecord(c)) continue;
    c.imagePullPolicy ??= typeof c.image === 'string' && (c.image.endsWith(':latest') || !c.image.includes(':')) ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    for (const p of arr(c.ports)) if (isRecord(p)) p.protocol ??= 'TCP';
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) defaultProbe(probe);
    for (const e of arr(c.env)) if (isRecord(e) && isRecord(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
  }
}

/** The mode every projected, configMap, secret and downwardAPI volume gets: 0644 (v1.*VolumeSourceDefaultMode). */
const VOLUME_DEFAULT_MODE = 0o644;

/**
 * SetDefaults_Volume and the volume sources' defaults (pkg/apis/core/v1/defaults.go): a volume
 * with no source is an emptyDir; configMap, secret, downwardAPI and projected volumes get
 * defaultMode 420; a projected service account token lives 3600 s unless told.
 */
function defaultVolumes(spec: Obj): void {
  for (const v of arr(spec.volumes)) {
    if (!isRecord(v)) continue;
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) v.emptyDir = {};
    for (const kind of ['configMap', 'secret', 'downwardAPI', 'projected'])
      if (isRecord(v[kind])) (v[kind] as Obj).defaultMode ??= VOLUME_DEFAULT_MODE;
    if (isRecord(v.downwardAPI)) for (const item of arr(v.downwardAPI.items)) if (isRecord(item)) defaultFieldRef(item.fieldRef);
    if (isRecord(v.projected))
      for (const s of arr(v.projected.sources)) {
        if (!isRecord(s)) continue;
        if (isRecord(s.serviceAccountToken)) s.serviceAccountToken.expirationSeconds ??= 3600;
        if (isRecord(s.downwardAPI)) for (const item of arr(s.downwardAPI.items)) if (isRecord(item)) defaultFieldRef(item.fieldRef);
      }
  }
}

function defaultPodSpec(spec: Obj): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  defaultContainers(spec);
  defaultVolumes(spec);
}

/**
 * The apiserver defaults an object again after every mutating webhook changed it (k8s.io/apiserver
 * pkg/admission/plugin/webhook/mutating/dispatcher.go decodes the patched object with the
 * defaulter), so the containers and volumes istiod's injector adds are defaulted too.
 */
export function defaultsAfterWebhooks(): MutatingPlugin {
  return {
    name: 'webhook-output-defaults',
    admit(req) {
      const spec = createdPodSpec(req);
      if (spec) defaultPodSpec(spec);
    },
  };
}

function validateContainers(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const cs = spec.containers;
  if (!Array.isArray(cs) || cs.length === 0) {
    errs.push({ field: `${path}.containers`, type: 'Required', detail: '' });
    return errs;
  }
  const names = new Set<string>();
  cs.forEach((c, i) => {
    const cp = `${path}.containers[${i}]`;
    if (!isRecord(c)) return;
    if (!c.name) errs.push({ field: `${cp}.name`, type: 'Required' });
    else if (names.has(plainString(c.name))) errs.push({ field: `${cp}.name`, type: 'Duplicate', value: c.name });
    else names.add(plainString(c.name));
    if (!c.image) errs.push({ field: `${cp}.image`, type: 'Required' });
    arr(c.ports).forEach((p, j) => {
      if (!isRecord(p)) return;
      const n = p.containerPort;
      if (typeof n !== 'number' || n < 1 || n > 65535)
        errs.push({ field: `${cp}.ports[${j}].containerPort`, type: n === undefined ? 'Required' : 'Invalid', value: n, detail: n === undefined ? undefined : 'must be between 1 and 65535, inclusive' });
    });
    arr(c.env).forEach((e, j) => {
      if (isRecord(e) && !e.name) errs.push({ field: `${cp}.env[${j}].name`, type: 'Required' });
    });
  });
  return errs;
}

function deploymentStrategy(req: AdmissionRequest): FieldError[] {
  const o = req.object;
  const spec = rec(o.spec);
  o.spec = spec;
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  // SetDefaults_Deployment (kubernetes/kubernetes pkg/apis/apps/v1/defaults.go): an empty type is RollingUpdate,
  // whose missing maxUnavailable/maxSurge are 25% each (so `strategy: {}` from kubectl create deployment is defaulted too)
  const strategy = rec(spec.strategy);
  spec.strategy = strategy;
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = rec(strategy.rollingUpdate);
    strategy.rollingUpdate = ru;
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  const tpl = rec(spec.template);
  const tspec = rec(tpl.spec);
  if (isRecord(spec.template) && isRecord(tpl.spec)) defaultPodSpec(tspec);
  const errs: FieldError[] = [];
  if (!isRecord(spec.selector)) errs.push({ field: 'spec.selector', type: 'Required' });
  else if (Object.keys(spec.selector).length === 0)
    errs.push({ field: 'spec.selector', type: 'Invalid', value: spec.selector, detail: 'empty selector is invalid for deployment' });
  const labels = rec(rec(tpl.metadata).labels) as Record<string, string>;
  if (isRecord(spec.selector) && !matches(labels, fromLabelSelector(spec.selector)))
    errs.push({ field: 'spec.template.metadata.labels', type: 'Invalid', value: labels, detail: '`selector` does not match template `labels`' });
  if (typeof spec.replicas !== 'number' || spec.replicas < 0)
    errs.push({ field: 'spec.replicas', type: 'Invalid', value: spec.replicas, detail: 'must be greater than or equal to 0' });
  if (!isRecord(spec.template)) errs.push({ field: 'spec.template.spec.containers', type: 'Required' });
  else errs.push(...validateContainers(tspec, 'spec.template.spec'));
  if (req.oldObject && isRecord(req.oldObject.spec) && JSON.stringify(req.oldObject.spec.selector) !== JSON.stringify(spec.selector))
    errs.push({ field: 'spec.selector', type: 'Invalid', value: spec.selector, detail: 'field is immutable' });
  return errs;
}

function podStrategy(req: AdmissionRequest): FieldError[] {
  const spec = rec(req.object.spec);
  req.object.spec = spec;
  // SetDefaults_Pod (a pod's, not a template's)
  spec.enableServiceLinks ??= true;
  defaultPodSpec(spec);
  return validateContainers(spec, 'spec');
}

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

function serviceStrategy(ipam: ClusterIpAllocator, req: AdmissionRequest): FieldError[] {
  const spec = rec(req.object.spec);
  req.object.spec = spec;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  const errs: FieldError[] = [];
  if (!SERVICE_TYPES.includes(plainString(spec.type)))
    errs.push({ field: 'spec.type', type: 'NotSupported', value: spec.type, supported: SERVICE_TYPES });
  const ports = arr(spec.ports);
  if (ports.length === 0 && spec.type !== 'ExternalName') errs.push({ field: 'spec.ports', type: 'Required' });
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isRecord(p)) return;
    p.protocol ??= 'TCP';
    if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535)
      errs.push({ field: `spec.ports[${i}].port`, type: p.port === undefined ? 'Required' : 'Invalid', value: p.port, detail: p.port === undefined ? undefined : 'must be between 1 and 65535, inclusive' });
    p.targetPort ??= p.port;
    if (ports.length > 1 && !p.name) errs.push({ field: `spec.ports[${i}].name`, type: 'Required' });
    if (p.name) {
      if (names.has(plainString(p.name))) errs.push({ field: `spec.ports[${i}].name`, type: 'Duplicate', value: p.name });
      names.add(plainString(p.name));
    }
    if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && p.nodePort === undefined) p.nodePort = 30000 + (((typeof p.port === 'number' ? p.port : 0) * 7 + i * 131) % 2767);
  });
  if (errs.length) return errs;
  if (spec.type !== 'ExternalName') {
    const old = req.oldObject && isRecord(req.oldObject.spec) ? req.oldObject.spec.clusterIP : undefined;
    if (typeof old === 'string') spec.clusterIP = old;
    else if (spec.clusterIP === undefined || spec.clusterIP === '') {
      if (!req.dryRun) spec.clusterIP = ipam.allocate();
    } else if (spec.clusterIP !== 'None' && typeof spec.clusterIP === 'string') ipam.reserve(spec.clusterIP);
    if (typeof spec.clusterIP === 'string') spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'LoadBalancer' || spec.type === 'NodePort') spec.externalTrafficPolicy ??= 'Cluster';
  }
  if (req.operation === 'CREATE') req.object.status = spec.type === 'LoadBalancer' ? { loadBalancer: {} } : { loadBalancer: {} };
  return errs;
}

function namespaceStrategy(req: AdmissionRequest): FieldError[] {
  const o = req.object;
  o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name ?? '' };
  o.spec = { finalizers: ['kubernetes'] };
  o.status ??= { phase: 'Active' };
  return [];
}

/** The two built-in PriorityClasses (pkg/apis/scheduling/types.go SystemCriticalPriority + 1000 for node-critical). */
const SYSTEM_PRIORITIES: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

/**
 * The Priority admission plugin (plugin/pkg/admission/priority/admission.go): a pod gets the
 * value of its priorityClassName (0 without one, as no class is the global default here) and
 * preemptionPolicy PreemptLowerPriority.
 */
export function priorityPlugin(): MutatingPlugin {
  return {
    name: 'Priority',
    admit(req) {
      const spec = createdPodSpec(req);
      if (!spec) return;
      spec.priority ??= SYSTEM_PRIORITIES[plainString(spec.priorityClassName)] ?? 0;
      spec.preemptionPolicy ??= 'PreemptLowerPriority';
    },
  };
}

/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * a pod that does not tolerate a node's not-ready and unreachable NoExecute taints itself
 * tolerates them for 300 s, so it is evicted five minutes after its node goes away.
 */
export function defaultTolerationSeconds(): MutatingPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(req) {
      const spec = createdPodSpec(req);
      if (!spec) return;
      const tolerations = arr(spec.tolerations).filter(isRecord);
      const tolerates = (key: string): boolean => tolerations.some((t) => (t.effect === 'NoExecute' || !t.effect) && (t.key === key || (!t.key && t.operator === 'Exists')));
      for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
        if (!tolerates(key)) tolerations.push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 });
      spec.tolerations = tolerations;
    },
  };
}

export function installBuiltinStrategies(chain: AdmissionChain, ipam: ClusterIpAllocator): void {
  chain.addMutating({
    name: 'builtin-strategies',
    admit(req) {
      if (req.operation === 'DELETE') return;
      switch (req.resource.kind) {
        case 'Deployment':
          return deploymentStrategy(req);
        case 'Pod':
          return podStrategy(req);
        case 'Service':
          return serviceStrategy(ipam, req);
        case 'Namespace':
          return namespaceStrategy(req);
        default:
          return;
      }
    },
  });
}

export type { KubeObject };
