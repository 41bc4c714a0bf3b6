/**
 * kubectl patch (kubectl/pkg/cmd/patch): -p/--patch or --patch-file, --type strategic (default)
 * | merge | json, TYPE NAME | TYPE/NAME | -f FILE, --dry-run, -o.
 *
 * The patch is computed here (sigs.k8s.io/yaml → JSON, then RFC 7386 merge, RFC 6902 JSON
 * patch, or the strategic merge of k8s.io/apimachinery/pkg/util/strategicpatch with the
 * patchMergeKey tags of k8s.io/api) and sent as an update; custom resources refuse the
 * strategic type as the apiserver does.
 */
import { parse as parseYaml } from 'yaml';
import { qualifiedSingular, type ResourceKind } from '../../api/kinds';
import { deepClone, isRecord, jsonEqual, type KubeObject } from '../../api/types';
import { flagSet } from '../args';
import { formatServerError, resolveDoc } from './apply';
import { client, dryRunStrategy, err, printObject, serverError, targets, usageError, type Kctx, type KubectlCommand } from './common';
import { loadManifests } from './manifests';

type J = unknown;
type Obj = Record<string, unknown>;

export class PatchError extends Error {}

/** RFC 7386 JSON merge patch (evanphx/json-patch MergePatch). */
export function mergePatch(target: J, patch: J): J {
  if (!isRecord(patch)) return deepClone(patch);
  const out: Obj = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * The patchMergeKey of a list field (k8s.io/api core/v1 and apps/v1 `patchStrategy:"merge"`
 * tags); `ports` is keyed by containerPort in a container and by port in a ServiceSpec.
 */
function mergeKey(field: string, parentPath: string[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'hostAliases':
      return 'ip';
    case 'conditions':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    case 'ports':
      return parentPath[parentPath.length - 1] === 'spec' && parentPath.length === 1 ? 'port' : 'containerPort';
    default:
      return undefined;
  }
}

/** Primitive lists merged as sets (`patchStrategy:"merge"` on []string: finalizers). */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

/** strategicpatch.StrategicMergePatch for the directives learners meet: merge keys, $patch: delete|replace, null. */
export function strategicMerge(target: J, patch: J, path: string[] = []): J {
  if (!isRecord(patch)) return deepClone(patch);
  if (patch.$patch === 'replace') {
    const p = { ...patch };
    delete p.$patch;
    return deepClone(p);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Obj = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    const key = mergeKey(k, path);
    if (Array.isArray(v) && key && Array.isArray(out[k])) {
      const list = (out[k] as J[]).map((x) => deepClone(x));
      for (const item of v) {
        if (!isRecord(item)) continue;
        const idx = list.findIndex((x) => isRecord(x) && x[key] === item[key]);
        if (item.$patch === 'delete') {
          if (idx >= 0) list.splice(idx, 1);
          continue;
        }
        if (idx >= 0) list[idx] = strategicMerge(list[idx], item, [...path, k]);
        else list.push(strategicMerge({}, item, [...path, k]));
      }
      out[k] = list;
      continue;
    }
    if (Array.isArray(v) && MERGED_PRIMITIVE_LISTS.has(k) && Array.isArray(out[k])) {
      out[k] = [...(out[k] as J[]), ...v.filter((x) => !(out[k] as J[]).includes(x))];
      continue;
    }
    const merged = strategicMerge(out[k], v, [...path, k]);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** RFC 6902 JSON patch (evanphx/json-patch's operations and error words). */
export function jsonPatch(doc: J, ops: J): J {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root = deepClone(doc);
  const walk = (pointer: string): { parent: J; key: string } => {
    if (pointer === '') return { parent: undefined, key: '' };
    if (!pointer.startsWith('/')) throw new PatchError(`unable to find object for path "${pointer}"`);
    const parts = pointer.slice(1).split('/').map(unescapePointer);
    let cur: J = root;
    for (const p of parts.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(p)] : isRecord(cur) ? cur[p] : undefined;
      if (cur === undefined) throw new PatchError(`doc is missing path: "${pointer}": missing value`);
    }
    return { parent: cur, key: parts[parts.length - 1] };
  };
  const getAt = (pointer: string): J => {
    const { parent, key } = walk(pointer);
    if (pointer === '') return root;
    const v = Array.isArray(parent) ? parent[Number(key)] : isRecord(parent) ? parent[key] : undefined;
    if (v === undefined) throw new PatchError(`doc is missing path: "${pointer}": missing value`);
    return v;
  };
  const remove = (pointer: string): J => {
    const { parent, key } = walk(pointer);
    if (Array.isArray(parent)) {
      const i = Number(key);
      if (!(i >= 0 && i < parent.length)) throw new PatchError(`remove operation does not apply: doc is missing path: "${pointer}": missing value`);
      return parent.splice(i, 1)[0];
    }
    if (!isRecord(parent) || !(key in parent)) throw new PatchError(`remove operation does not apply: doc is missing path: "${pointer}": missing value`);
    const v = parent[key];
    delete parent[key];
    return v;
  };
  const add = (pointer: string, value: J, replace: boolean): void => {
    if (pointer === '') {
      root = deepClone(value);
      return;
    }
    const { parent, key } = walk(pointer);
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : Number(key);
      if (!(i >= 0 && i <= parent.length)) throw new PatchError(`add operation does not apply: doc is missing path: "${pointer}": missing value`);
      if (replace) parent[i] = deepClone(value);
      else parent.splice(i, 0, deepClone(value));
      return;
    }
    if (!isRecord(parent)) throw new PatchError(`add operation does not apply: doc is missing path: "${pointer}": missing value`);
    if (replace && !(key in parent)) throw new PatchError(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    parent[key] = deepClone(value);
  };
  for (const op of ops) {
    if (!isRecord(op)) throw new PatchError('json: cannot unmarshal into Go value of type jsonpatch.Operation');
    const path = String(op.path ?? '');
    switch (op.op) {
      case 'add':
        add(path, op.value, false);
        break;
      case 'replace':
        add(path, op.value, true);
        break;
      case 'remove':
        remove(path);
        break;
      case 'move':
        add(path, remove(String(op.from ?? '')), false);
        break;
      case 'copy':
        add(path, getAt(String(op.from ?? '')), false);
        break;
      case 'test':
        if (!jsonEqual(getAt(path), op.value)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return root;
}

export type PatchType = 'strategic' | 'merge' | 'json';

/** Applies a patch of the given type to an object (what the apiserver's patcher does). */
export function applyPatch(obj: KubeObject, patch: J, type: PatchType): KubeObject {
  const out = type === 'json' ? jsonPatch(obj, patch) : type === 'merge' ? mergePatch(obj, patch) : strategicMerge(obj, patch);
  if (!isRecord(out)) throw new PatchError('the patched object is not an object');
  return out as KubeObject;
}

const FLAGS = flagSet(
  [
    '--allow-missing-template-keys=true',
    "--dry-run='none'",
    "--field-manager='kubectl-patch'",
    '-f, --filename=[]',
    "-k, --kustomize=''",
    '--local=false',
    "-o, --output=''",
    "-p, --patch=''",
    "--patch-file=''",
    '-R, --recursive=false',
    '--show-managed-fields=false',
    "--subresource=''",
    "--template=''",
    "--type='strategic'",
  ],
  { 'dry-run': 'unchanged' },
);

const BUILTIN_GROUPS = new Set(['', 'apps', 'batch', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'autoscaling', 'storage.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io']);

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx, flags } = k;
  const type = flags.string('type');
  if (!['strategic', 'merge', 'json'].includes(type)) return err(ctx, `error: --type must be one of [json merge strategic], not "${type}"`);
  let text = flags.string('patch');
  if (flags.changed('patch') && flags.changed('patch-file')) return usageError(k, 'cannot specify --patch and --patch-file together');
  if (flags.changed('patch-file')) {
    try {
      text = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, flags.string('patch-file')));
    } catch {
      return err(ctx, `error: unable to read patch file: open ${flags.string('patch-file')}: no such file or directory`);
    }
  }
  if (text === '') return err(ctx, 'error: must specify --patch or --patch-file containing the contents of the patch');
  let patch: J;
  try {
    // yaml.ToJSON: the patch may be YAML or JSON
    patch = parseYaml(text, { version: '1.1' });
  } catch (e) {
    return err(ctx, `error: unable to parse "${text}": yaml: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const dry = dryRunStrategy(k);
  if (typeof dry !== 'string') return err(ctx, dry.error);
  let objs: { r: ResourceKind; ns: string | undefined; name: string }[] = [];
  if (flags.array('filename').length) {
    const loaded = loadManifests(ctx.fs, ctx.cwd, flags.array('filename'), ctx.stdin, flags.bool('recursive'));
    for (const e of loaded.errors) return err(ctx, e);
    for (const d of loaded.docs) {
      const rd = resolveDoc(d, k.ns, k.explicitNs);
      if ('error' in rd) return err(ctx, rd.error);
      objs.push({ r: rd.r, ns: rd.obj.metadata.namespace, name: rd.obj.metadata.name ?? '' });
    }
  } else {
    const ts = targets(k, args);
    if (!ts) return 1;
    if (ts.length === 0) return usageError(k, "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    objs = ts.flatMap((t) => t.names.map((n) => ({ r: t.r, ns: t.r.namespaced ? k.ns : undefined, name: n })));
    if (objs.length === 0) return err(ctx, 'error: resource(s) were provided, but no name was specified');
  }
  let code = 0;
  for (const { r, ns, name } of objs) {
    const cur = client(k).get(r, ns, name);
    if (!cur.ok) {
      code = serverError(ctx, cur.status);
      continue;
    }
    if (type === 'strategic' && !BUILTIN_GROUPS.has(r.group)) {
      code = err(ctx, 'Error from server (UnsupportedMediaType): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
      continue;
    }
    let next: KubeObject;
    try {
      next = applyPatch(cur.value, patch, type as PatchType);
    } catch (e) {
      code = err(ctx, `Error from server (BadRequest): ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const unchanged = jsonEqual(next, cur.value);
    if (dry === 'client') {
      code = Math.max(code, printObject(k, r, next, 'patched', dry));
      continue;
    }
    const res = unchanged ? cur : client(k).update(r, { ...next, metadata: { ...next.metadata, resourceVersion: cur.value.metadata.resourceVersion } }, { dryRun: dry === 'server' });
    if (!res.ok) {
      code = err(ctx, formatServerError(res.status, 'patching'));
      continue;
    }
    // patch.go: "patched (no change)" when the server's object did not change
    const o = flags.string('output');
    if (o === '' && unchanged) ctx.out(`${qualifiedSingular(r)}/${name} patched (no change)\n`);
    else code = Math.max(code, printObject(k, r, res.value, 'patched', dry));
    ctx.cluster.sync();
  }
  return code;
}

export const patchCommand: KubectlCommand = {
  name: 'patch',
  short: 'Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.',
  usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]',
  flags: FLAGS,
  run,
};
