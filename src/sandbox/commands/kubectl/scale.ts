/** kubectl scale (kubectl/pkg/cmd/scale): --replicas=COUNT on TYPE NAME | TYPE/NAME | -l | --all. */
import { qualifiedSingular } from '../../api/kinds';
import { deepClone } from '../../api/types';
import { flagSet } from '../args';
import { formatServerError } from './apply';
import { client, dryRunStrategy, dryRunSuffix, err, selector, serverError, targets, type Kctx, type KubectlCommand } from './common';

const FLAGS = flagSet(
  [
    '--all=false',
    '--allow-missing-template-keys=true',
    '--current-replicas=-1',
    "--dry-run='none'",
    '-f, --filename=[]',
    "-k, --kustomize=''",
    "-o, --output=''",
    '-R, --recursive=false',
    '--replicas=0',
    "--resource-version=''",
    "-l, --selector=''",
    '--show-managed-fields=false',
    "--template=''",
    '--timeout=0s',
  ],
  { 'dry-run': 'unchanged' },
);

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx, flags } = k;
  // scale.go Validate
  if (flags.int('replicas') < 0) return err(ctx, 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const dry = dryRunStrategy(k);
  if (typeof dry !== 'string') return err(ctx, dry.error);
  const ts = targets(k, args);
  if (!ts || ts.length === 0) return err(ctx, "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  for (const t of ts) {
    let names = t.names;
    if (names.length === 0) {
      if (!selector(k) && !flags.bool('all')) return err(ctx, 'error: resource(s) were provided, but no name was specified');
      const l = client(k).list(t.r, k.ns, selector(k));
      names = l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
    }
    for (const n of names) {
      const cur = client(k).get(t.r, k.ns, n);
      if (!cur.ok) return serverError(ctx, cur.status);
      const cr = flags.int('current-replicas');
      const spec = (cur.value.spec ?? {}) as Record<string, unknown>;
      if (cr >= 0 && Number(spec.replicas ?? 1) !== cr) return err(ctx, `error: Expected replicas to be ${cr}, was ${spec.replicas ?? 1}`);
      const o = deepClone(cur.value);
      o.spec = { ...o.spec, replicas: flags.int('replicas') };
      if (dry !== 'client') {
        const r = client(k).update(t.r, o, { dryRun: dry === 'server' });
        if (!r.ok) return err(ctx, formatServerError(r.status, 'patching'));
      }
      ctx.out(`${qualifiedSingular(t.r)}/${n} scaled${dryRunSuffix(dry)}\n`);
    }
  }
  return 0;
}

export const scaleCommand: KubectlCommand = {
  name: 'scale',
  short: 'Set a new size for a deployment, replica set, replication controller, or stateful set.',
  usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
  flags: FLAGS,
  required: ['replicas'],
  run,
};
