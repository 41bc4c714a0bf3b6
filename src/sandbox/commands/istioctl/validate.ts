/**
 * istioctl validate -f FILE… (istioctl/pkg/validate/validate.go): each document is checked by
 * the same admission chain as `kubectl apply` (a server dry run: schema validation and
 * Istio's webhook rules), offline in effect — a missing namespace or an existing object is
 * not a finding. Success: `"FILE" is valid` per file (on stderr, as istioctl writes it);
 * findings: istioctl's multierror list, exit 1.
 */
import { kindFor } from '../../api/kinds';
import { parseArgs } from '../args';
import { loadManifests } from '../kubectl/manifests';
import type { CommandContext } from '../types';

const MISSING = "Error: error: you must specify resources by --filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n";

export async function validate(ctx: CommandContext, argv: string[], namespace: string): Promise<number> {
  const p = parseArgs(argv, { withValue: ['f', 'filename'], boolean: ['x', 'referential'], aliases: { filename: 'f' } });
  if (p.unknown.length) {
    ctx.err(`Error: unknown flag: ${p.unknown[0]}\n`);
    return 1;
  }
  const files = (p.flags.get('f') ?? []).flatMap((f) => f.split(','));
  if (files.length === 0) {
    ctx.err(MISSING);
    return 1;
  }
  const errors: string[] = [];
  for (const f of files) {
    const loaded = loadManifests(ctx.fs, ctx.cwd, [f], ctx.stdin, false);
    for (const e of loaded.errors) errors.push(e.replace(/^error: /, '').replace(/^the path "(.*)" does not exist$/, `cannot read file "$1": open $1: no such file or directory`));
    for (const doc of loaded.docs) {
      const o = doc.obj;
      const r = kindFor(o.apiVersion, o.kind);
      if (!r) continue; // validate.go: kinds it does not know are not complained about
      const obj = { ...o, metadata: { ...o.metadata, namespace: r.namespaced ? o.metadata.namespace ?? namespace : undefined } };
      const res = ctx.cluster.client.create(r, obj, { dryRun: true });
      if (res.ok || res.status.reason === 'AlreadyExists' || res.status.reason === 'NotFound') continue;
      const msg = res.status.message.replace(/^.*configuration is invalid: /s, '');
      errors.push(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}: ${msg}`);
    }
  }
  if (errors.length) {
    // hashicorp/go-multierror's format
    ctx.err(`Error: ${errors.length} error${errors.length > 1 ? 's' : ''} occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`);
    return 1;
  }
  for (const f of files) {
    if (f === '-') {
      ctx.err('validation succeed\n');
      break;
    }
    ctx.err(`"${f}" is valid\n`);
  }
  return 0;
}
