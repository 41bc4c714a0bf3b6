/**
 * kubectl label and kubectl annotate (kubectl/pkg/cmd/label, …/annotate): KEY=VALUE and KEY- on
 * TYPE NAME | TYPE/NAME | -l | --all, --overwrite, --list, --dry-run.
 */
import { qualifiedSingular } from '../../api/kinds';
import { deepClone } from '../../api/types';
import { flagSet } from '../args';
import { formatServerError } from './apply';
import { client, dryRunStrategy, dryRunSuffix, err, selector, serverError, targets, type Kctx, type KubectlCommand } from './common';

const flags = (manager: string) =>
  flagSet(
    [
      '--all=false',
      '-A, --all-namespaces=false',
      '--allow-missing-template-keys=true',
      "--dry-run='none'",
      `--field-manager='${manager}'`,
      "--field-selector=''",
      '-f, --filename=[]',
      "-k, --kustomize=''",
      '--list=false',
      '--local=false',
      "-o, --output=''",
      '--overwrite=false',
      '-R, --recursive=false',
      "--resource-version=''",
      "-l, --selector=''",
      '--show-managed-fields=false',
      "--template=''",
    ],
    { 'dry-run': 'unchanged' },
  );

function labelOrAnnotate(field: 'labels' | 'annotations') {
  const what = field === 'labels' ? 'label' : 'annotation';
  const done = field === 'labels' ? 'labeled' : 'annotated';
  return async (k: Kctx, args: string[]): Promise<number> => {
    const { ctx } = k;
    // cmdutil.GetResourcesAndPairs: an argument with "=" or a trailing "-" is a change
    const isChange = (a: string): boolean => a.includes('=') || a.endsWith('-');
    const resArgs = args.filter((a) => !isChange(a));
    const changes = args.filter(isChange);
    const ts = targets(k, resArgs);
    if (!ts || ts.length === 0) return err(ctx, 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
    const list = k.flags.bool('list');
    if (changes.length === 0 && !list) return err(ctx, `error: at least one ${what} update is required`);
    const dry = dryRunStrategy(k);
    if (typeof dry !== 'string') return err(ctx, dry.error);
    let code = 0;
    for (const t of ts) {
      const ns = t.r.namespaced ? k.ns : undefined;
      let names = t.names;
      if (names.length === 0 && (selector(k) || k.flags.bool('all'))) {
        const l = client(k).list(t.r, ns, selector(k));
        names = l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
      }
      for (const n of names) {
        const cur = client(k).get(t.r, ns, n);
        if (!cur.ok) {
          serverError(ctx, cur.status);
          code = 1;
          continue;
        }
        if (list) {
          for (const [a, b] of Object.entries(cur.value.metadata[field] ?? {})) ctx.out(`${a}=${b}\n`);
          continue;
        }
        const o = deepClone(cur.value);
        const m: Record<string, string> = { ...(o.metadata[field] ?? {}) };
        for (const ch of changes) {
          if (ch.endsWith('-') && !ch.includes('=')) {
            delete m[ch.slice(0, -1)];
            continue;
          }
          const [key, value] = [ch.slice(0, ch.indexOf('=')), ch.slice(ch.indexOf('=') + 1)];
          if (m[key] !== undefined && m[key] !== value && !k.flags.bool('overwrite')) return err(ctx, `error: '${key}' already has a value (${m[key]}), and --overwrite is false`);
          m[key] = value;
        }
        o.metadata[field] = Object.keys(m).length ? m : undefined;
        const r = dry === 'client' ? { ok: true as const, value: o } : client(k).update(t.r, o, { dryRun: dry === 'server' });
        if (!r.ok) {
          ctx.err(`${formatServerError(r.status, 'patching')}\n`);
          code = 1;
          continue;
        }
        const same = JSON.stringify(cur.value.metadata[field] ?? {}) === JSON.stringify(o.metadata[field] ?? {});
        const removedOnly = changes.every((c) => !c.includes('='));
        ctx.out(`${qualifiedSingular(t.r)}/${n} ${same ? `not ${done}` : removedOnly && field === 'labels' ? 'unlabeled' : done}${dryRunSuffix(dry)}\n`);
      }
    }
    return code;
  };
}

export const labelCommand: KubectlCommand = {
  name: 'label',
  short: 'Update the labels on a resource.',
  usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  flags: flags('kubectl-label'),
  run: labelOrAnnotate('labels'),
};

export const annotateCommand: KubectlCommand = {
  name: 'annotate',
  short: 'Update the annotations on one or more resources.',
  usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  flags: flags('kubectl-annotate'),
  run: labelOrAnnotate('annotations'),
};
