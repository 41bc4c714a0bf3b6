/**
 * kubectl patch (kubectl/pkg/cmd/patch): -p/--patch or --patch-file (YAML or JSON, converted to
 * JSON as sigs.k8s.io/yaml does), --type strategic (default) | merge | json, TYPE NAME |
 * TYPE/NAME | -f FILE, --dry-run, -o. The patch goes to the apiserver as a PATCH request with
 * the type's media type; the apiserver applies it (api/patch.ts) and refuses what it refuses.
 */
import { parse as parseYaml } from 'yaml';
import { qualifiedSingular, type ResourceKind } from '../../api/kinds';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../api/patch';
import { resourcePath } from '../../api/server';
import { isStatus } from '../../api/status';
import { jsonEqual, type KubeObject } from '../../api/types';
import { flagSet } from '../args';
import { formatServerError, resolveDoc } from './apply';
import { client, dryRunStrategy, err, printObject, serverError, targets, usageError, type Kctx, type KubectlCommand } from './common';
import { loadManifests } from './manifests';

type J = unknown;

/** kubectl's --type → the PATCH request's media type (patch.go patchTypes). */
const MEDIA_TYPES = { json: 'application/json-patch+json', merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json' } as const;
type PatchType = keyof typeof MEDIA_TYPES;

/** --dry-run=client: kubectl patches its copy itself (the same patch functions the apiserver uses). */
function patchLocally(obj: KubeObject, patch: J, type: PatchType): KubeObject {
  const out = type === 'json' ? jsonPatch(obj as never, patch) : type === 'merge' ? mergePatch(obj as never, patch as never) : strategicMergePatch(obj as never, patch as never);
  return out as unknown as KubeObject;
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
    if (dry === 'client') {
      let next: KubeObject;
      try {
        next = patchLocally(cur.value, patch, type as PatchType);
      } catch (e) {
        code = err(ctx, `error: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      code = Math.max(code, printObject(k, r, next, 'patched', dry));
      continue;
    }
    const res = client(k).server.handle({
      method: 'PATCH',
      path: resourcePath(r, ns, name),
      body: patch,
      contentType: MEDIA_TYPES[type as PatchType],
      query: { fieldManager: flags.string('field-manager'), ...(dry === 'server' ? { dryRun: 'All' } : {}) },
    });
    if (isStatus(res.body)) {
      code = err(ctx, formatServerError(res.body, 'patching'));
      continue;
    }
    const after = res.body as KubeObject;
    // patch.go: "patched (no change)" when the server's object did not change
    const unchanged = dry === 'none' ? after.metadata.resourceVersion === cur.value.metadata.resourceVersion : jsonEqual(after, cur.value);
    if (flags.string('output') === '' && unchanged) ctx.out(`${qualifiedSingular(r)}/${name} patched (no change)\n`);
    else code = Math.max(code, printObject(k, r, after, 'patched', dry));
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
