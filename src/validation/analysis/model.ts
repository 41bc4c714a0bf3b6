/**
 * The analyzers' view of a set of objects: typed, defensive accessors over plain objects
 * (analysis also runs on objects with schema errors, so nothing here trusts a shape), and an
 * index by kind and namespace.
 */
import { isRecord } from '../schema/validate';
import type { KubeObjectLike, ResourceRef } from '../types';

export interface AnalysisInput {
  object: KubeObjectLike;
  /** Used for references only, never reported on (other manifests of a lesson, the baseline install). */
  context?: boolean;
  /** Opaque to the analyzers; handed back in findings (the text front end keeps the document here). */
  origin?: unknown;
}

export type Labels = Record<string, string>;

export interface Obj {
  input: AnalysisInput;
  kind: string;
  group: string;
  name: string;
  namespace: string;
  labels: Labels;
  annotations: Labels;
  spec: Record<string, unknown>;
  ref: ResourceRef;
}

export interface Workload {
  obj: Obj;
  /** Pod labels (of the template for controllers). */
  labels: Labels;
  annotations: Labels;
  /** Container ports: numbers and names. */
  ports: Array<{ number: number; name?: string }>;
  /** Path to the pod labels inside the object. */
  labelsPath: Array<string | number>;
}

export const CLUSTER_DOMAIN = 'svc.cluster.local';

export function strMap(v: unknown): Labels {
  const out: Labels = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A scalar as text for messages and keys; objects and lists (a type mistake in the input) give ''. */
export const scalarText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '');

export function selects(selector: Labels, labels: Labels): boolean {
  const keys = Object.keys(selector);
  if (!keys.length) return false;
  return keys.every((k) => labels[k] === selector[k]);
}

export function selectorString(sel: Labels): string {
  return Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Istio's short-name rule: a host without dots is a service in the rule's namespace. */
export function toFqdn(host: string, namespace: string): string {
  if (host.includes('.') || host === '*' || host.startsWith('*')) return host;
  return `${host}.${namespace}.${CLUSTER_DOMAIN}`;
}

/** Does `pattern` (possibly `*` or `*.suffix`) match `host` (possibly itself a wildcard)? */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    if (host.startsWith('*.')) return host.slice(1).endsWith(suffix);
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return false;
}

export class Model {
  readonly all: Obj[] = [];
  readonly byKind = new Map<string, Obj[]>();
  readonly workloads: Workload[] = [];
  readonly namespaces = new Map<string, Obj>();

  constructor(inputs: AnalysisInput[], defaultNamespace = 'default') {
    // The same identity given twice (a replacement manifest) is one object: the later wins.
    const byId = new Map<string, AnalysisInput>();
    for (const input of inputs) {
      const o = input.object;
      const meta = rec(o.metadata);
      const id = `${scalarText(o.apiVersion).split('/')[0]}|${scalarText(o.kind)}|${str(meta.namespace) ?? defaultNamespace}|${str(meta.name) ?? ''}`;
      const prev = byId.get(id);
      // Text inputs override context copies of the same object.
      if (prev && !prev.context && input.context) continue;
      byId.set(id, input);
    }
    for (const input of byId.values()) {
      const o = input.object;
      const kind = str(o.kind) ?? '';
      const apiVersion = str(o.apiVersion) ?? '';
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
      const meta = rec(o.metadata);
      const name = str(meta.name) ?? '';
      const namespace = kind === 'Namespace' ? '' : (str(meta.namespace) ?? defaultNamespace);
      const obj: Obj = {
        input,
        kind,
        group,
        name,
        namespace,
        labels: strMap(meta.labels),
        annotations: strMap(meta.annotations),
        spec: rec(o.spec),
        ref: { apiVersion, kind, name, namespace: namespace || undefined },
      };
      this.all.push(obj);
      const list = this.byKind.get(kind) ?? [];
      list.push(obj);
      this.byKind.set(kind, list);
      if (kind === 'Namespace') this.namespaces.set(name, obj);
      const w = workloadOf(obj);
      if (w) this.workloads.push(w);
    }
  }

  kind(k: string): Obj[] {
    return this.byKind.get(k) ?? [];
  }

  istio(k: string): Obj[] {
    return this.kind(k).filter((o) => o.group === 'networking.istio.io');
  }

  /** Kubernetes Services by FQDN. */
  serviceByHost(fqdn: string): Obj | undefined {
    return this.kind('Service').find((s) => `${s.name}.${s.namespace}.${CLUSTER_DOMAIN}` === fqdn && s.group === '');
  }

  serviceEntriesFor(fqdn: string): Obj[] {
    return this.istio('ServiceEntry').filter((se) => arr(se.spec.hosts).some((h) => typeof h === 'string' && (hostMatches(h, fqdn) || h === fqdn)));
  }

  workloadsInNamespace(ns: string): Workload[] {
    return this.workloads.filter((w) => w.obj.namespace === ns);
  }

  podsOfService(svc: Obj): Workload[] {
    const sel = strMap(svc.spec.selector);
    return this.workloadsInNamespace(svc.namespace).filter((w) => selects(sel, w.labels));
  }
}

function workloadOf(obj: Obj): Workload | undefined {
  if (obj.group !== '' && obj.group !== 'apps') return undefined;
  let podMeta: Record<string, unknown>;
  let podSpec: Record<string, unknown>;
  let labelsPath: Array<string | number>;
  if (obj.kind === 'Pod') {
    podMeta = rec(obj.input.object.metadata);
    podSpec = obj.spec;
    labelsPath = ['metadata', 'labels'];
  } else if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(obj.kind)) {
    const tpl = rec(obj.spec.template);
    podMeta = rec(tpl.metadata);
    podSpec = rec(tpl.spec);
    labelsPath = ['spec', 'template', 'metadata', 'labels'];
  } else return undefined;
  const ports: Workload['ports'] = [];
  for (const c of arr(podSpec.containers)) {
    for (const p of arr(rec(c).ports)) {
      const n = rec(p).containerPort;
      if (typeof n === 'number') ports.push({ number: n, name: str(rec(p).name) });
    }
  }
  return { obj, labels: strMap(podMeta.labels), annotations: strMap(podMeta.annotations), ports, labelsPath };
}
