/**
 * Field selectors (`?fieldSelector=metadata.name=web,status.phase!=Running`): `=`, `==` and
 * `!=` on the fields each resource registers (k8s.io/apimachinery/pkg/fields, and the
 * GetAttrs / field label conversion funcs of pkg/registry/* in kubernetes/kubernetes).
 */
import type { ResourceKind } from './kinds';
import { isRecord, type KubeObject } from './types';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

/** Fields beyond metadata.name and metadata.namespace, per kind (pkg/apis/core/v1/conversion.go and friends). */
const EXTRA_FIELDS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
  Service: ['spec.clusterIP', 'spec.type'],
};

export function parseFieldSelector(s: string, r: ResourceKind): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(part);
    if (!m) throw new FieldSelectorError(`invalid selector: '${s}'; can't understand '${part}'`);
    const field = m[1].trim();
    const allowed = ['metadata.name', 'metadata.namespace', ...(EXTRA_FIELDS[r.kind] ?? [])];
    if (!allowed.includes(field)) {
      // custom resources word it differently from the built-in registries
      if (r.group.endsWith('istio.io')) throw new FieldSelectorError(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
      throw new FieldSelectorError(`field label not supported: ${field}`);
    }
    out.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return out;
}

function fieldValue(o: KubeObject, field: string): string {
  if (field === 'source' && o.kind === 'Event') return String((isRecord(o.source) && o.source.component) || '');
  let cur: unknown = o;
  for (const p of field.split('.')) cur = isRecord(cur) ? cur[p] : undefined;
  if (cur === undefined || cur === null) return field === 'spec.unschedulable' || field === 'spec.hostNetwork' ? 'false' : '';
  return String(cur);
}

export function matchesFields(o: KubeObject, reqs: readonly FieldRequirement[]): boolean {
  return reqs.every((r) => (fieldValue(o, r.field) === r.value) === (r.op === '='));
}
