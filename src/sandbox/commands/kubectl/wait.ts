/** kubectl wait (kubectl/pkg/cmd/wait): --for=condition=X[=value] | --for=delete | --for=jsonpath=…, --timeout. */
import { qualifiedResource, qualifiedSingular } from '../../api/kinds';
import { isRecord } from '../../api/types';
import { parseDuration } from '../../controllers/istiod/istioTypes';
import { flagSet } from '../args';
import { sleepOnCluster } from '../coreutils';
import { client, err, selector, serverError, targets, type Kctx, type KubectlCommand } from './common';
import { renderTemplate } from './jsonpath';

const FLAGS = flagSet([
  '--all=false',
  '-A, --all-namespaces=false',
  '--allow-missing-template-keys=true',
  "--field-selector=''",
  '-f, --filename=[]',
  "--for=''",
  '--local=false',
  "-o, --output=''",
  '-R, --recursive=true',
  "-l, --selector=''",
  '--show-managed-fields=false',
  "--template=''",
  '--timeout=30s',
]);

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx, flags } = k;
  const forCond = flags.string('for');
  const timeoutMs = parseDuration(flags.string('timeout')) ?? 30_000;
  const ts = targets(k, args);
  if (!ts || ts.length === 0) return err(ctx, "error: resource(s) were provided, but no name was specified");
  const m = forCond.match(/^condition=([^=]+)(?:=(.*))?$/i);
  const jp = forCond.match(/^jsonpath=\{?([^}=]*)\}?(?:=(.*))?$/);
  const isDelete = forCond === 'delete';
  if (!m && !isDelete && !jp) return err(ctx, forCond === '' ? 'error: --for must be set' : `error: unrecognized condition: "${forCond}"`);
  let waited = 0;
  for (const t of ts) {
    const ns = t.r.namespaced ? k.ns : undefined;
    let names = t.names;
    if (names.length === 0) {
      const l = client(k).list(t.r, ns, selector(k));
      names = l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
      if (names.length === 0) return err(ctx, 'error: no matching resources found');
    }
    for (const n of names) {
      for (;;) {
        ctx.cluster.sync();
        const cur = client(k).get(t.r, ns, n);
        if (isDelete && !cur.ok) {
          ctx.out(`${qualifiedSingular(t.r)}/${n} condition met\n`);
          break;
        }
        if (!cur.ok) return serverError(ctx, cur.status);
        let met = false;
        if (m) {
          const st = isRecord(cur.value.status) ? cur.value.status : {};
          const conds = (Array.isArray(st.conditions) ? st.conditions : []).filter(isRecord);
          const c = conds.find((x) => String(x.type).toLowerCase() === m[1].toLowerCase());
          met = !!c && String(c.status).toLowerCase() === (m[2] ?? 'True').toLowerCase();
        } else if (jp) {
          let v = '';
          try {
            v = renderTemplate(`{${jp[1]}}`, cur.value);
          } catch {
            v = '';
          }
          met = jp[2] === undefined ? v !== '' : v === jp[2];
        }
        if (met) {
          ctx.out(`${qualifiedSingular(t.r)}/${n} condition met\n`);
          break;
        }
        if (waited >= timeoutMs) return err(ctx, `error: timed out waiting for the condition on ${qualifiedResource(t.r)}/${n}`);
        await sleepOnCluster(ctx, 500);
        waited += 500;
      }
    }
  }
  return 0;
}

export const waitCommand: KubectlCommand = {
  name: 'wait',
  short: 'Experimental: Wait for a specific condition on one or many resources.',
  usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
  flags: FLAGS,
  run,
};
