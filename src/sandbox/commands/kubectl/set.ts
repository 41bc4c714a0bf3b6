/** kubectl set (kubectl/pkg/cmd/set): env (KEY=VALUE, KEY-, -e, -c) and image (CONTAINER=IMAGE) on a Deployment's pod template. */
import { qualifiedSingular } from '../../api/kinds';
import { deepClone, isRecord } from '../../api/types';
import { flagSet } from '../args';
import { formatServerError } from './apply';
import { client, dryRunStrategy, dryRunSuffix, err, serverError, targets, usageError, type Kctx, type KubectlCommand } from './common';

const NO_OPT = { 'dry-run': 'unchanged' };

/** Splits "deployment/x KEY=V" and "deployment x KEY=V" into the resource and the rest (GetResourcesAndPairs). */
function split(args: string[]): { res: string[]; pairs: string[] } {
  const isPair = (a: string): boolean => a.includes('=') || a.endsWith('-');
  return { res: args.filter((a) => !isPair(a)), pairs: args.filter(isPair) };
}

function containersOf(o: Record<string, unknown>): Record<string, unknown>[] {
  const spec = isRecord(o.spec) ? o.spec : {};
  const tpl = isRecord(spec.template) ? spec.template : {};
  const pspec = isRecord(tpl.spec) ? tpl.spec : {};
  return (Array.isArray(pspec.containers) ? pspec.containers : []).filter(isRecord);
}

async function change(k: Kctx, resArgs: string[], verb: string, mutate: (cs: Record<string, unknown>[]) => string | undefined): Promise<number> {
  const { ctx } = k;
  const dry = dryRunStrategy(k);
  if (typeof dry !== 'string') return err(ctx, dry.error);
  const ts = targets(k, resArgs);
  if (!ts) return 1;
  if (ts.length === 0 || ts.some((t) => t.names.length === 0)) return err(ctx, 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  for (const { r, names } of ts)
    for (const n of names) {
      if (r.kind !== 'Deployment') return err(ctx, `error: the sandbox's kubectl set supports deployments only`);
      const cur = client(k).get(r, k.ns, n);
      if (!cur.ok) return serverError(ctx, cur.status);
      const o = deepClone(cur.value);
      const problem = mutate(containersOf(o));
      if (problem) return err(ctx, problem);
      if (dry === 'client') {
        ctx.out(`${qualifiedSingular(r)}/${n} ${verb}${dryRunSuffix(dry)}\n`);
        continue;
      }
      const res = client(k).update(r, o, { dryRun: dry === 'server' });
      if (!res.ok) return err(ctx, formatServerError(res.status, 'patching'));
      if (res.value.metadata.resourceVersion !== cur.value.metadata.resourceVersion || dry === 'server') ctx.out(`${qualifiedSingular(r)}/${n} ${verb}${dryRunSuffix(dry)}\n`);
    }
  return 0;
}

const env: KubectlCommand = {
  name: 'env',
  short: 'Update environment variables on a pod template.',
  usage: 'kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]',
  flags: flagSet(
    [
      '--all=false',
      '--allow-missing-template-keys=true',
      "-c, --containers='*'",
      "--dry-run='none'",
      '-e, --env=[]',
      "--field-manager='kubectl-set'",
      '-f, --filename=[]',
      "--from=''",
      '--keys=[]',
      "-k, --kustomize=''",
      '--list=false',
      '--local=false',
      "-o, --output=''",
      '--overwrite=true',
      "--prefix=''",
      '-R, --recursive=false',
      '--resolve=false',
      "-l, --selector=''",
      '--show-managed-fields=false',
      "--template=''",
    ],
    NO_OPT,
  ),
  async run(k, args) {
    const { res, pairs } = split(args);
    const changes = [...pairs, ...k.flags.array('env')];
    if (changes.length === 0 && !k.flags.bool('list')) return usageError(k, 'at least one environment variable must be provided');
    const only = k.flags.string('containers');
    return change(k, res, 'env updated', (cs) => {
      for (const c of cs) {
        if (only !== '*' && c.name !== only) continue;
        let list = (Array.isArray(c.env) ? c.env : []).filter(isRecord);
        for (const ch of changes) {
          if (ch.endsWith('-') && !ch.includes('=')) list = list.filter((e) => e.name !== ch.slice(0, -1));
          else {
            const name = ch.slice(0, ch.indexOf('='));
            const value = ch.slice(ch.indexOf('=') + 1);
            const e = list.find((x) => x.name === name);
            if (e) {
              e.value = value;
              delete e.valueFrom;
            } else list.push({ name, value });
          }
        }
        if (list.length) c.env = list;
        else delete c.env;
      }
      return undefined;
    });
  },
};

const image: KubectlCommand = {
  name: 'image',
  short: 'Update the image of a pod template.',
  usage: 'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]',
  flags: flagSet(
    [
      '--all=false',
      '--allow-missing-template-keys=true',
      "--dry-run='none'",
      "--field-manager='kubectl-set'",
      '-f, --filename=[]',
      "-k, --kustomize=''",
      '--local=false',
      "-o, --output=''",
      '-R, --recursive=false',
      "-l, --selector=''",
      '--show-managed-fields=false',
      "--template=''",
    ],
    NO_OPT,
  ),
  async run(k, args) {
    const { res, pairs } = split(args);
    if (pairs.length === 0) return usageError(k, 'at least one image update is required');
    return change(k, res, 'image updated', (cs) => {
      for (const p of pairs) {
        const [name, img] = [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)];
        const targetsAll = name === '*';
        const hit = cs.filter((c) => targetsAll || c.name === name);
        if (hit.length === 0) return `error: unable to find container named "${name}"`;
        for (const c of hit) c.image = img;
      }
      return undefined;
    });
  },
};

export const setCommand: KubectlCommand = {
  name: 'set',
  short: 'Configure application resources.',
  usage: 'kubectl set SUBCOMMAND [options]',
  flags: [],
  subcommands: [env, image],
};
