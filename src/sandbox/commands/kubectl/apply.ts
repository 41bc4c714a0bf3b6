/**
 * kubectl apply / create / delete -f: client-side apply with the last-applied-configuration
 * annotation, printing "<kind>.<group>/<name> created|configured|unchanged" per object.
 */
import type { ApiClient } from '../../api/client';
import { kindFor, qualifiedResource, qualifiedSingular, type ResourceKind } from '../../api/kinds';
import { formatFieldError, type Status } from '../../api/status';
import { deepClone, isRecord, jsonEqual, type KubeObject } from '../../api/types';
import type { ManifestDoc } from './manifests';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ApplyOutcome {
  line?: string;
  error?: string;
  warning?: string;
}

/** How kubectl prints an apiserver failure for an operation on a file. */
export function formatServerError(s: Status, verb: 'creating' | 'applying' | 'patching' | 'deleting' | 'retrieving', source?: string): string {
  if (s.reason === 'Invalid' && s.details?.causes && s.details.kind) {
    const causes = s.details.causes.map((c) => `${c.field}: ${c.message}`);
    const head = `The ${s.details.kind} "${s.details.name}" is invalid: `;
    return causes.length === 1 ? head + causes[0] : `${head}\n${causes.map((c) => `* ${c}`).join('\n')}`;
  }
  const where = source ? `error when ${verb} "${source}": ` : '';
  return `Error from server (${s.reason}): ${where}${s.message}`;
}

export function resolveDoc(doc: ManifestDoc, defaultNs: string, explicitNs: string | undefined): { r: ResourceKind; obj: KubeObject } | { error: string } {
  const obj = deepClone(doc.obj);
  const r = kindFor(obj.apiVersion, obj.kind);
  const name = typeof obj.metadata.name === 'string' ? obj.metadata.name : '';
  const objNs = typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : undefined;
  if (!r)
    return {
      error: `error: resource mapping not found for name: "${name}" namespace: "${objNs ?? explicitNs ?? ''}" from "${doc.source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
    };
  if (r.namespaced) {
    if (objNs && explicitNs && objNs !== explicitNs)
      return { error: `error: the namespace from the provided object "${objNs}" does not match the namespace "${explicitNs}". You must pass '--namespace=${objNs}' to perform this operation.` };
    obj.metadata.namespace = objNs ?? explicitNs ?? defaultNs;
  }
  if (!name && !obj.metadata.generateName)
    return {
      error: `error: error when retrieving current configuration of:\nResource: "${r.group ? `${r.group}/` : ''}${r.versions[0]}, Resource=${r.plural}", GroupVersionKind: "${r.group ? `${r.group}/` : ''}${r.versions[0]}, Kind=${r.kind}"\nName: "", Namespace: "${r.namespaced ? obj.metadata.namespace : ''}"\nfrom server for: "${doc.source}": resource name may not be empty`,
    };
  return { r, obj };
}

function lastApplied(obj: KubeObject): string {
  const c = deepClone(obj);
  const ann = { ...(c.metadata.annotations ?? {}) };
  delete ann[LAST_APPLIED];
  c.metadata = { ...c.metadata, annotations: Object.keys(ann).length ? ann : undefined };
  return JSON.stringify(c) + '\n';
}

export function applyOne(client: ApiClient, r: ResourceKind, desired: KubeObject, source: string, dryRun: boolean): ApplyOutcome {
  const name = desired.metadata.name ?? '';
  const id = `${qualifiedSingular(r)}/${name}`;
  const suffix = dryRun ? ' (dry run)' : '';
  const cur = client.get(r, desired.metadata.namespace, name);
  const annotated = deepClone(desired);
  annotated.metadata.annotations = { ...(annotated.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied(desired) };
  if (!cur.ok) {
    if (cur.status.reason !== 'NotFound') return { error: formatServerError(cur.status, 'retrieving', source) };
    const res = client.create(r, annotated, { dryRun });
    if (!res.ok) return { error: formatServerError(res.status, 'creating', source) };
    return { line: `${id} created${suffix}` };
  }
  const live = cur.value;
  const warning = live.metadata.annotations?.[LAST_APPLIED]
    ? undefined
    : `Warning: resource ${qualifiedResource(r)}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`;
  const prevApplied = (() => {
    try {
      const t = live.metadata.annotations?.[LAST_APPLIED];
      return t ? (JSON.parse(t) as KubeObject) : undefined;
    } catch {
      return undefined;
    }
  })();
  const next = deepClone(live);
  // top-level fields: the manifest's value replaces the live one; fields the last apply set and this one drops are removed
  for (const k of Object.keys(annotated)) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    next[k] = deepClone(annotated[k]);
  }
  if (prevApplied) for (const k of Object.keys(prevApplied)) if (!(k in annotated) && !['metadata', 'status', 'apiVersion', 'kind'].includes(k)) delete next[k];
  const mergeMap = (field: 'labels' | 'annotations'): Record<string, string> | undefined => {
    const m = { ...(live.metadata[field] ?? {}) } as Record<string, string>;
    for (const k of Object.keys(prevApplied?.metadata[field] ?? {})) delete m[k];
    Object.assign(m, annotated.metadata[field] ?? {});
    return Object.keys(m).length ? m : undefined;
  };
  next.metadata.labels = mergeMap('labels');
  next.metadata.annotations = mergeMap('annotations');
  delete next.metadata.resourceVersion;
  const res = client.update(r, next, { dryRun });
  if (!res.ok) return { error: formatServerError(res.status, 'patching', source) };
  const changed = res.value.metadata.resourceVersion !== live.metadata.resourceVersion || (dryRun && !jsonEqual(stripMeta(res.value), stripMeta(live)));
  return { line: `${id} ${changed ? 'configured' : 'unchanged'}${suffix}`, warning };
}

function stripMeta(o: KubeObject): unknown {
  return { ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } };
}

export function createOne(client: ApiClient, r: ResourceKind, obj: KubeObject, source: string, dryRun: boolean): ApplyOutcome {
  const res = client.create(r, obj, { dryRun });
  if (!res.ok) return { error: formatServerError(res.status, 'creating', source) };
  return { line: `${qualifiedSingular(r)}/${res.value.metadata.name} created${dryRun ? ' (dry run)' : ''}` };
}

export function fieldErrorsText(errs: Parameters<typeof formatFieldError>[0][]): string {
  return errs.map(formatFieldError).join('\n');
}

export { isRecord };
