/**
 * kubectl apply / create / delete -f: client-side apply with the last-applied-configuration
 * annotation, printing "<kind>.<group>/<name> created|configured|unchanged" per object.
 */
import type { ApiClient } from '../../api/client';
import { kindFor, qualifiedResource, qualifiedSingular, type ResourceKind } from '../../api/kinds';
import { formatFieldError, type Status } from '../../api/status';
import { deepClone, isRecord, jsonEqual, type KubeObject } from '../../api/types';
import { breathe } from '../../core/clock';
import { flagSet } from '../args';
import { client, dryRunStrategy, err, printWarnings, type Kctx, type KubectlCommand } from './common';
import { loadManifestsPaced, type ManifestDoc } from './manifests';
import { goJsonCompact } from './goyaml';
import { envoyFilterNotes } from '../../controllers/istiod/envoyFilter';
import { toJson, toYaml } from './printers';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export type DryRun = 'none' | 'client' | 'server';

export interface ApplyOutcome {
  line?: string;
  /** The object as the server returned it (or would have stored it, for a dry run). */
  obj?: KubeObject;
  error?: string;
  warning?: string;
  /** Warnings the apiserver answered with (admission webhooks, field validation): kubectl prints `Warning: …`. */
  serverWarnings?: string[];
}

/** How kubectl prints an apiserver failure for an operation on a file. */
export function formatServerError(s: Status, verb: 'creating' | 'applying' | 'patching' | 'deleting' | 'retrieving', source?: string): string {
  if (s.reason === 'Invalid' && s.details?.causes && s.details.kind) {
    const causes = s.details.causes.map((c) => `${c.field}: ${c.message}`);
    const head = `The ${s.details.kind} "${s.details.name}" is invalid: `;
    return causes.length === 1 ? head + causes[0] : `${head}\n${causes.map((c) => `* ${c}`).join('\n')}`;
  }
  const where = source ? `error when ${verb} "${source}": ` : '';
  // a Status without a reason (an admission webhook's denial) prints as "Error from server: …"
  return `Error from server${s.reason ? ` (${s.reason})` : ''}: ${where}${s.message}`;
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
  // a shallow copy: only metadata.annotations differs, and goJsonCompact only reads
  const ann = { ...(obj.metadata.annotations ?? {}) };
  delete ann[LAST_APPLIED];
  const c = { ...obj, metadata: { ...obj.metadata, annotations: Object.keys(ann).length ? ann : undefined } };
  // json.Marshal of the unstructured object: keys sorted, HTML characters escaped
  return `${goJsonCompact(c)}\n`;
}

export function applyOne(client: ApiClient, r: ResourceKind, desired: KubeObject, source: string, dryRunMode: DryRun): ApplyOutcome {
  const name = desired.metadata.name ?? '';
  const id = `${qualifiedSingular(r)}/${name}`;
  const suffix = dryRunMode === 'client' ? ' (dry run)' : dryRunMode === 'server' ? ' (server dry run)' : '';
  const dryRun = dryRunMode !== 'none';
  const cur = client.get(r, desired.metadata.namespace, name);
  // shallow copies below: the apiserver copies the body it is sent (shapeBody), and the object
  // a GET returns is already a copy; only the top level and metadata are written here
  const annotated: KubeObject = { ...desired, metadata: { ...desired.metadata, annotations: { ...(desired.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied(desired) } } };
  if (!cur.ok) {
    if (cur.status.reason !== 'NotFound') return { error: formatServerError(cur.status, 'retrieving', source) };
    const res = client.create(r, annotated, { dryRun });
    if (!res.ok) return { error: formatServerError(res.status, 'creating', source), serverWarnings: res.warnings };
    return { line: `${id} created${suffix}`, obj: res.value, serverWarnings: res.warnings };
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
  const next: KubeObject = { ...live, metadata: { ...live.metadata } };
  // top-level fields: the manifest's value replaces the live one; fields the last apply set and this one drops are removed
  for (const k of Object.keys(annotated)) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    next[k] = annotated[k];
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
  if (!res.ok) return { error: formatServerError(res.status, 'patching', source), serverWarnings: res.warnings };
  const changed = res.value.metadata.resourceVersion !== live.metadata.resourceVersion || (dryRun && !jsonEqual(stripMeta(res.value), stripMeta(live)));
  // an unchanged object means an empty patch, which kubectl does not send: no request, no warnings
  return { line: `${id} ${changed ? 'configured' : 'unchanged'}${suffix}`, warning, obj: res.value, serverWarnings: changed ? res.warnings : undefined };
}

function stripMeta(o: KubeObject): unknown {
  return { ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } };
}

export function createOne(client: ApiClient, r: ResourceKind, obj: KubeObject, source: string, dryRun: DryRun): ApplyOutcome {
  const res = client.create(r, obj, { dryRun: dryRun !== 'none' });
  if (!res.ok) return { error: formatServerError(res.status, 'creating', source), serverWarnings: res.warnings };
  return { line: `${qualifiedSingular(r)}/${res.value.metadata.name} created${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}`, obj: res.value, serverWarnings: res.warnings };
}

export function fieldErrorsText(errs: Parameters<typeof formatFieldError>[0][]): string {
  return errs.map(formatFieldError).join('\n');
}

export { isRecord };

/**
 * apply -f / create -f over every document: one line per object (or the objects with -o),
 * errors per document, exit code 1 if any failed.
 */
export async function applyFiles(k: Kctx, mode: 'apply' | 'create'): Promise<number> {
  const { ctx, flags } = k;
  const files = flags.array('filename');
  if (files.length === 0) return err(ctx, mode === 'apply' ? 'error: must specify one of -f and -k' : `error: must specify one of -f and -k\n\nerror: no objects passed to create`);
  const dry = dryRunStrategy(k);
  if (typeof dry !== 'string') return err(ctx, dry.error);
  const output = flags.string('output');
  if (!['', 'yaml', 'json', 'name'].includes(output)) return err(ctx, `error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`);
  const loaded = await loadManifestsPaced(ctx.fs, ctx.cwd, files, ctx.stdin, flags.bool('recursive'), ctx.token);
  let code = loaded.errors.length ? 1 : 0;
  for (const e of loaded.errors) ctx.err(`${e}\n`);
  if (loaded.docs.length === 0 && loaded.errors.length === 0) return err(ctx, `error: no objects passed to ${mode}`);
  const printed: KubeObject[] = [];
  for (const doc of loaded.docs) {
    // thousands of documents take a while, as thousands of requests do: Ctrl-C stops between them
    await breathe(ctx.token);
    const rd = resolveDoc(doc, k.ns, k.explicitNs);
    if ('error' in rd) {
      ctx.err(`${rd.error}\n`);
      code = 1;
      continue;
    }
    const o = mode === 'create' ? createOne(client(k), rd.r, rd.obj, doc.source, dry) : applyOne(client(k), rd.r, rd.obj, doc.source, dry);
    if (o.warning) ctx.err(`${o.warning}\n`);
    // each Warning header once per invocation (kubernetes/kubectl pkg/cmd/cmd.go: rest.NewWarningWriter
    // with Deduplicate: true); a client dry run sends no write, so no admission answers it
    if (dry !== 'client') printWarnings(k, o.serverWarnings);
    if (o.line) {
      if (output === '') ctx.out(`${o.line}\n`);
      else if (output === 'name') ctx.out(`${o.line.split(' ')[0]}\n`);
      else if (o.obj) printed.push(o.obj);
    }
    if (o.error) {
      ctx.err(`${o.error}\n`);
      code = 1;
    }
    if (o.obj?.kind === 'EnvoyFilter' && dry === 'none' && isRecord(o.obj.spec))
      for (const note of envoyFilterNotes(o.obj.metadata.namespace ?? '', o.obj.metadata.name ?? '', o.obj.spec)) ctx.err(`${note}\n`);
    ctx.cluster.sync();
  }
  // several objects with -o yaml|json print as a List (printers with a list of infos)
  if (printed.length === 1) ctx.out(output === 'yaml' ? toYaml(printed[0]) : toJson(printed[0]));
  else if (printed.length > 1) {
    const list = { apiVersion: 'v1', items: printed, kind: 'List', metadata: { resourceVersion: '' } };
    ctx.out(output === 'yaml' ? toYaml(list) : toJson(list));
  }
  return code;
}

const FLAGS = flagSet(
  [
    '--all=false',
    '--allow-missing-template-keys=true',
    "--cascade='background'",
    "--dry-run='none'",
    "--field-manager='kubectl-client-side-apply'",
    '-f, --filename=[]',
    '--force=false',
    '--force-conflicts=false',
    '--grace-period=-1',
    "-k, --kustomize=''",
    '--openapi-patch=true',
    "-o, --output=''",
    '--overwrite=true',
    '--prune=false',
    '--prune-allowlist=[]',
    '-R, --recursive=false',
    "-l, --selector=''",
    '--server-side=false',
    '--show-managed-fields=false',
    "--subresource=''",
    "--template=''",
    '--timeout=0s',
    "--validate='strict'",
    '--wait=false',
  ],
  { 'dry-run': 'unchanged', cascade: 'background', validate: 'strict' },
);

/** kubectl apply (kubectl/pkg/cmd/apply): client-side apply with the last-applied annotation. */
export const applyCommand: KubectlCommand = {
  name: 'apply',
  short: 'Apply a configuration to a resource by file name or stdin.',
  usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]',
  flags: FLAGS,
  run: (k) => applyFiles(k, 'apply'),
};
