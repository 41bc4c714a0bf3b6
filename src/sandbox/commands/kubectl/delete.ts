/** kubectl delete (kubectl/pkg/cmd/delete): -f FILE|DIR|-, TYPE NAME…, TYPE/NAME, -l, --all. */
import { qualifiedSingular, type ResourceKind } from '../../api/kinds';
import type { Status } from '../../api/status';
import { breathe } from '../../core/clock';
import { flagSet } from '../args';
import { formatServerError, resolveDoc } from './apply';
import { client, dryRunStrategy, dryRunSuffix, err, selector, targets, type Kctx, type KubectlCommand } from './common';
import { loadManifestsPaced } from './manifests';

const FLAGS = flagSet(
  [
    '--all=false',
    '-A, --all-namespaces=false',
    "--cascade='background'",
    "--dry-run='none'",
    "--field-selector=''",
    '-f, --filename=[]',
    '--force=false',
    '--grace-period=-1',
    '--ignore-not-found=false',
    '-i, --interactive=false',
    "-k, --kustomize=''",
    '--now=false',
    "-o, --output=''",
    "--raw=''",
    '-R, --recursive=false',
    "-l, --selector=''",
    '--timeout=0s',
    '--wait=true',
  ],
  { 'dry-run': 'unchanged', cascade: 'background' },
);

const NOTHING =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx, flags } = k;
  const dry = dryRunStrategy(k);
  if (typeof dry !== 'string') return err(ctx, dry.error);
  let code = 0;
  // delete.go Complete: --grace-period=0 alone becomes 1 (no accidental immediate deletion);
  // --force without a grace period means 0; --now means 1
  const force = flags.bool('force');
  let grace = Number(flags.string('grace-period'));
  if (!Number.isFinite(grace)) grace = -1;
  if (flags.bool('now')) grace = 1;
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  if (force) ctx.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  // delete.go PrintObj (kubectl 1.34+): `kind "name" deleted from NS namespace` for namespaced objects;
  // "force deleted" for a grace period of 0; the dry-run suffix at the end (as the real kubectl 1.35.2 prints)
  const operation = grace === 0 ? 'force deleted' : 'deleted';
  const report = (r: ResourceKind, name: string, ns: string | undefined, res: { ok: boolean; status?: Status }, source?: string): void => {
    if (res.ok)
      ctx.out(flags.string('output') === 'name' ? `${qualifiedSingular(r)}/${name}\n` : `${qualifiedSingular(r)} "${name}" ${operation}${r.namespaced && ns ? ` from ${ns} namespace` : ''}${dryRunSuffix(dry)}\n`);
    else if (!(flags.bool('ignore-not-found') && res.status?.reason === 'NotFound')) {
      ctx.err(`${formatServerError(res.status!, 'deleting', source)}\n`);
      code = 1;
    }
  };
  const del = (r: ResourceKind, ns: string | undefined, name: string) =>
    dry === 'client' ? client(k).get(r, ns, name) : client(k).delete(r, ns, name, { dryRun: dry === 'server', ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}) });
  const files = flags.array('filename');
  if (files.length) {
    const loaded = await loadManifestsPaced(ctx.fs, ctx.cwd, files, ctx.stdin, flags.bool('recursive'), ctx.token);
    for (const e of loaded.errors) ctx.err(`${e}\n`);
    if (loaded.errors.length) code = 1;
    for (const doc of loaded.docs) {
      await breathe(ctx.token);
      const rd = resolveDoc(doc, k.ns, k.explicitNs);
      if ('error' in rd) {
        ctx.err(`${rd.error}\n`);
        code = 1;
        continue;
      }
      const res = del(rd.r, rd.obj.metadata.namespace, rd.obj.metadata.name ?? '');
      report(rd.r, rd.obj.metadata.name ?? '', rd.obj.metadata.namespace, res.ok ? { ok: true } : { ok: false, status: res.status }, doc.source);
      ctx.cluster.sync();
    }
    return code;
  }
  if (args.length === 0) return err(ctx, NOTHING);
  const ts = targets(k, args);
  if (!ts) return 1;
  for (const t of ts) {
    const ns = t.r.namespaced ? (k.allNs ? undefined : k.ns) : undefined;
    let items = t.names.map((n) => ({ ns, name: n }));
    if (items.length === 0) {
      const sel = selector(k);
      if (!sel && !flags.bool('all') && !flags.string('field-selector')) return err(ctx, 'error: resource(s) were provided, but no name was specified');
      const l = client(k).list(t.r, ns, sel);
      items = (l.ok ? l.value : []).map((o) => ({ ns: o.metadata.namespace, name: o.metadata.name ?? '' }));
      if (items.length === 0) ctx.err(`No resources found${ns ? ` in ${ns} namespace` : ''}\n`);
    }
    for (const it of items) {
      const res = del(t.r, it.ns ?? k.ns, it.name);
      report(t.r, it.name, it.ns ?? k.ns, res.ok ? { ok: true } : { ok: false, status: res.status });
    }
  }
  ctx.cluster.sync();
  return code;
}

export const deleteCommand: KubectlCommand = {
  name: 'delete',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector.',
  usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
  flags: FLAGS,
  run,
};
