/**
 * kubectl get (kubectl/pkg/cmd/get): tables as the apiserver's table convertor prints them,
 * -o yaml|json|name|wide|jsonpath|custom-columns, -l, -L, --show-labels, --sort-by,
 * --field-selector, and -w (the table, then a row per change, until Ctrl-C).
 */
import { qualifiedSingular, type ResourceKind } from '../../api/kinds';
import { isRecord, type KubeObject } from '../../api/types';
import { flagSet } from '../args';
import { sleepOnCluster } from '../coreutils';
import { client, err, printWarnings, selector, serverError, targets, type Kctx, type KubectlCommand } from './common';
import { renderTemplate, JsonPathError } from './jsonpath';
import { asList, nameOf, renderTable, tableFor, tableWidths, toJson, toYaml } from './printers';

const FLAGS = flagSet([
  '-A, --all-namespaces=false',
  '--allow-missing-template-keys=true',
  '--chunk-size=500',
  "--field-selector=''",
  '-f, --filename=[]',
  '--ignore-not-found=false',
  "-k, --kustomize=''",
  '-L, --label-columns=[]',
  '--no-headers=false',
  "-o, --output=''",
  '--output-watch-events=false',
  "--raw=''",
  '-R, --recursive=false',
  "-l, --selector=''",
  '--server-print=true',
  '--show-kind=false',
  '--show-labels=false',
  '--show-managed-fields=false',
  "--sort-by=''",
  "--subresource=''",
  "--template=''",
  '-w, --watch=false',
  '--watch-only=false',
]);

const REQUIRED =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples';

export const ALLOWED_FORMATS = 'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml';

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx, flags } = k;
  if (args.length === 0) return err(ctx, REQUIRED);
  const ts = targets(k, args);
  if (!ts) return 1;
  const output = flags.string('output');
  const sel = selector(k);
  const now = ctx.cluster.clock.now();
  const multi = ts.length > 1 || args[0] === 'all' || args[0].includes('/');
  const collected: { r: ResourceKind; items: KubeObject[] }[] = [];
  let code = 0;
  for (const t of ts) {
    const ns = t.r.namespaced ? (k.allNs ? undefined : k.ns) : undefined;
    if (t.names.length) {
      const items: KubeObject[] = [];
      for (const n of t.names) {
        const res = client(k).get(t.r, ns ?? k.ns, n);
        printWarnings(k, res.warnings);
        if (!res.ok) {
          if (!flags.bool('ignore-not-found')) {
            serverError(ctx, res.status);
            code = 1;
          }
        } else items.push(res.value);
      }
      collected.push({ r: t.r, items });
    } else {
      const res = client(k).list(t.r, ns, sel);
      printWarnings(k, res.warnings);
      if (!res.ok) return err(ctx, `error: ${res.status.message}`);
      collected.push({ r: t.r, items: applyFieldSelector(res.value, flags.string('field-selector')) });
    }
  }
  const sortBy = flags.string('sort-by');
  if (sortBy)
    for (const c of collected) {
      const key = (o: KubeObject): string => {
        try {
          return renderTemplate(`{${sortBy}}`, o);
        } catch {
          return '';
        }
      };
      c.items.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return /^-?\d+(\.\d+)?$/.test(ka) && /^-?\d+(\.\d+)?$/.test(kb) ? Number(ka) - Number(kb) : ka.localeCompare(kb);
      });
    }
  const all = collected.flatMap((c) => c.items);
  const single = all.length === 1 && ts.every((t) => t.names.length > 0);
  if (flags.bool('watch') && collected.length === 1 && ['', 'wide', 'yaml', 'json'].includes(output)) return watch(k, collected[0].r, ts[0].names, output);
  if (output === 'yaml' || output === 'json') {
    if (all.length === 0 && ts.every((t) => t.names.length > 0)) return code;
    const doc = single ? all[0] : asList(all);
    ctx.out(output === 'yaml' ? toYaml(doc) : toJson(doc));
    return code;
  }
  if (output === 'name') {
    for (const c of collected) for (const o of c.items) ctx.out(`${nameOf(c.r, o)}\n`);
    return code;
  }
  if (output.startsWith('jsonpath=') || output.startsWith('jsonpath-as-json=') || output.startsWith('go-template=')) {
    if (output.startsWith('go-template=')) return err(ctx, 'error: go-template output is not supported in the sandbox; use -o jsonpath');
    const tpl = output.slice(output.indexOf('=') + 1);
    try {
      ctx.out(renderTemplate(tpl, single ? all[0] : asList(all)));
    } catch (e) {
      return err(ctx, `error: error parsing jsonpath ${tpl}, ${e instanceof JsonPathError ? e.message : String(e)}`);
    }
    return code;
  }
  if (output.startsWith('custom-columns=')) {
    const cols = output
      .slice('custom-columns='.length)
      .split(',')
      .map((c) => c.split(':'));
    const rows = all.map((o) =>
      cols.map(([, path]) => {
        try {
          const v = renderTemplate(`{${path}}`, o);
          return v === '' ? '<none>' : v;
        } catch {
          return '<none>';
        }
      }),
    );
    ctx.out(renderTable({ headers: cols.map((c) => c[0]), rows }, { noHeaders: flags.bool('no-headers') }));
    return code;
  }
  if (output !== '' && output !== 'wide') return err(ctx, `error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED_FORMATS}`);
  if (all.length === 0) {
    if (ts.some((t) => t.names.length > 0)) return code;
    // kubectl get.go: "No resources found in %s namespace.\n" when every resource is namespaced and no
    // --all-namespaces, else fmt.Fprintln(o.ErrOut, "No resources found"), without a full stop
    const where = k.allNs ? '' : ts.every((t) => !t.r.namespaced) ? '' : ` in ${k.ns} namespace`;
    ctx.err(where ? `No resources found${where}.\n` : 'No resources found\n');
    return code;
  }
  let first = true;
  for (const c of collected) {
    if (c.items.length === 0) continue;
    if (!first) ctx.out('\n');
    first = false;
    ctx.out(renderTable(table(k, c.r, c.items, now, output === 'wide'), { namespaceColumn: nsColumn(k, c.r, c.items), prefix: multi ? qualifiedSingular(c.r) : undefined, noHeaders: flags.bool('no-headers') }));
  }
  return code;
}

function nsColumn(k: Kctx, r: ResourceKind, items: KubeObject[]): string[] | undefined {
  return k.allNs && r.namespaced ? items.map((o) => o.metadata.namespace ?? '') : undefined;
}

/** The table with -L columns and --show-labels. */
function table(k: Kctx, r: ResourceKind, items: KubeObject[], now: number, wide: boolean) {
  const t = tableFor(r, items, now, wide);
  for (const key of k.flags.array('label-columns')) {
    t.headers.push(key.toUpperCase().split('/').pop()!);
    items.forEach((o, i) => t.rows[i].push(o.metadata.labels?.[key] ?? ''));
  }
  if (k.flags.bool('show-labels')) {
    t.headers.push('LABELS');
    // sorted "key=value" pairs: labels.FormatLabels → Set.String (kubernetes/apimachinery pkg/labels/labels.go)
    items.forEach((o, i) => t.rows[i].push(Object.entries(o.metadata.labels ?? {}).map(([a, b]) => `${a}=${b}`).sort().join(',') || '<none>'));
  }
  return t;
}

/**
 * kubectl get -w (get.go watch): the table (or the objects with -o yaml|json), then a row per
 * changed object — rows keep the first table's column widths, a deleted object is printed one
 * last time — until Ctrl-C. The sandbox also stops after SANDBOX_WATCH_IDLE seconds (default 60)
 * without a change, so scripts end. Time passes in steps of 500 ms, and each step yields to the
 * host, so other terminals on the same sandbox keep running.
 */
async function watch(k: Kctx, r: ResourceKind, names: string[], output: string): Promise<number> {
  const { ctx } = k;
  const wide = output === 'wide';
  const ns = r.namespaced ? (k.allNs ? undefined : k.ns) : undefined;
  const sel = selector(k);
  const snapshot = (): KubeObject[] => {
    const l = client(k).list(r, ns, sel);
    const items = l.ok ? applyFieldSelector(l.value, k.flags.string('field-selector')) : [];
    return names.length ? items.filter((o) => names.includes(o.metadata.name ?? '')) : items;
  };
  const key = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`;
  const items0 = snapshot();
  let widths: number[] | undefined;
  const printRows = (items: KubeObject[], header: boolean): void => {
    if (output === 'yaml' || output === 'json') {
      for (const o of items) ctx.out(output === 'yaml' ? `---\n${toYaml(o)}` : toJson(o));
      return;
    }
    const t = table(k, r, items, ctx.cluster.clock.now(), wide);
    const nsCol = nsColumn(k, r, items);
    if (header) widths = tableWidths(t, nsCol);
    ctx.out(renderTable(t, { noHeaders: !header || k.flags.bool('no-headers'), namespaceColumn: nsCol, minWidths: widths }));
  };
  if (items0.length) printRows(items0, true);
  else ctx.err(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
  let last = new Map(items0.map((o) => [key(o), o.metadata.resourceVersion]));
  const idleLimit = (Number(ctx.env.SANDBOX_WATCH_IDLE ?? '60') || 60) * 1000;
  let idle = 0;
  while (idle < idleLimit && !ctx.token.cancelled) {
    await sleepOnCluster(ctx, 500);
    if (ctx.token.cancelled) break;
    const items = snapshot();
    const now = new Map(items.map((o) => [key(o), o.metadata.resourceVersion]));
    const changed = items.filter((o) => last.get(key(o)) !== o.metadata.resourceVersion);
    if (changed.length) {
      idle = 0;
      printRows(changed, widths === undefined);
    } else idle += 500;
    last = now;
  }
  return 0;
}

/** --field-selector: metadata.name, metadata.namespace, status.phase, spec.nodeName with = / == / !=. */
export function applyFieldSelector(items: KubeObject[], sel: string | undefined): KubeObject[] {
  if (!sel) return items;
  const reqs = sel
    .split(',')
    .map((x) => x.match(/^([\w.]+)\s*(!=|==|=)\s*(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null);
  const get = (o: KubeObject, path: string): string => {
    let v: unknown = o;
    for (const part of path.split('.')) v = isRecord(v) ? v[part] : undefined;
    return v === undefined ? '' : String(v);
  };
  return items.filter((o) => reqs.every((m) => (m[2] === '!=' ? get(o, m[1]) !== m[3] : get(o, m[1]) === m[3])));
}

export const getCommand: KubectlCommand = {
  name: 'get',
  short: 'Display one or many resources.',
  usage:
    'kubectl get [(-o|--output=)json|yaml|kyaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  flags: FLAGS,
  run,
};
