/**
 * kubectl: a client of the sandbox's apiserver (never a side door into the store).
 * apply, create, delete, get, describe, logs, exec, label, scale, rollout, wait, config,
 * version, cluster-info, api-resources.
 */
import { KINDS, qualifiedResource, qualifiedSingular, resolveResource, type ResourceKind } from '../../api/kinds';
import { isRecord, deepClone, type KubeObject } from '../../api/types';
import { fromLabelSelector, matches } from '../../api/labels';
import type { Status } from '../../api/status';
import { podReady } from '../../controllers/deployment';
import { parseDuration } from '../../controllers/istiod/istioTypes';
import { flag, has, parseArgs, type ParsedArgs } from '../args';
import { sleepOnCluster } from '../coreutils';
import type { CommandContext, CommandSpec } from '../types';
import { applyOne, createOne, formatServerError, resolveDoc } from './apply';
import { describe } from './describe';
import { renderTemplate, JsonPathError } from './jsonpath';
import { CONTEXT, currentNamespace, defaultKubeconfig, KUBECONFIG, SERVER, setNamespace } from './kubeconfig';
import { loadManifests } from './manifests';
import { asList, nameOf, renderTable, tableFor, tableWidths, toJson, toYaml } from './printers';

const GLOBAL_VALUE_FLAGS = ['labels', 'env', 'restart', 'cert', 'key', 'L', 'label-columns', 'n', 'namespace', 'o', 'output', 'l', 'selector', 'f', 'filename', 'c', 'container', 'tail', 'timeout', 'for', 'replicas', 'since', 'field-selector', 'context', 'sort-by', 'image', 'dry-run', 'type', 'port', 'from-literal', 'grace-period', 'kubeconfig', 'cascade', 'max-log-requests', 'request-timeout', 'v'];
const GLOBAL_BOOL_FLAGS = ['A', 'all-namespaces', 'R', 'recursive', 'w', 'watch', 'i', 'stdin', 't', 'tty', 'f', 'follow', 'overwrite', 'all', 'show-labels', 'no-headers', 'p', 'previous', 'prefix', 'wait', 'ignore-not-found', 'now', 'force', 'help', 'h', 'q', 'quiet', 'short', 'client', 'minify', 'raw', 'current', 'rm', 'command'];

function err(ctx: CommandContext, s: string): number {
  ctx.err(s.endsWith('\n') ? s : `${s}\n`);
  return 1;
}

function serverError(ctx: CommandContext, s: Status): number {
  return err(ctx, formatServerError(s, 'retrieving'));
}

interface Kctx {
  ctx: CommandContext;
  p: ParsedArgs;
  ns: string;
  explicitNs?: string;
  allNs: boolean;
}

function client(k: Kctx) {
  return k.ctx.cluster.client;
}

function resourceOrError(k: Kctx, name: string): ResourceKind | undefined {
  const r = resolveResource(name);
  if (!r) err(k.ctx, `error: the server doesn't have a resource type "${name}"`);
  return r;
}

/** "pods", "pod/name", "deploy/x", "pods,svc" → [resource, name?][] */
function targets(k: Kctx, args: string[]): { r: ResourceKind; names: string[] }[] | undefined {
  if (args.length === 0) return [];
  const out: { r: ResourceKind; names: string[] }[] = [];
  if (args[0].includes('/')) {
    for (const a of args) {
      const [t, n] = a.split('/');
      if (!n) {
        err(k.ctx, `error: arguments in resource/name form must have a single resource and name`);
        return undefined;
      }
      const r = resourceOrError(k, t);
      if (!r) return undefined;
      out.push({ r, names: [n] });
    }
    return out;
  }
  const types = args[0] === 'all' ? ['pods', 'services', 'deployments', 'replicasets'] : args[0].split(',');
  for (const t of types) {
    const r = resourceOrError(k, t);
    if (!r) return undefined;
    out.push({ r, names: args.slice(1) });
  }
  return out;
}

// ---- get ---------------------------------------------------------------------------------

async function get(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  if (args.length === 0) {
    return err(
      ctx,
      "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
    );
  }
  const ts = targets(k, args);
  if (!ts) return 1;
  const output = flag(p, 'o') ?? '';
  const selector = flag(p, 'l');
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
        if (!res.ok) {
          if (!has(p, 'ignore-not-found')) {
            serverError(ctx, res.status);
            code = 1;
          }
        } else items.push(res.value);
      }
      collected.push({ r: t.r, items });
    } else {
      const res = client(k).list(t.r, ns, selector);
      if (!res.ok) return err(ctx, `error: ${res.status.message}`);
      collected.push({ r: t.r, items: applyFieldSelector(res.value, flag(p, 'field-selector')) });
    }
  }
  const sortBy = flag(p, 'sort-by');
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
  if (output === 'yaml' || output === 'json') {
    const single = all.length === 1 && ts.every((t) => t.names.length > 0);
    const doc = single ? all[0] : asList(all);
    if (all.length === 0 && ts.every((t) => t.names.length > 0)) return code;
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
    const single = all.length === 1 && ts.every((t) => t.names.length > 0);
    const data = single ? all[0] : asList(all);
    try {
      ctx.out(renderTemplate(tpl, data));
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
    const rows = all.map((o) => cols.map(([, path]) => {
      try {
        const v = renderTemplate(`{${path}}`, o);
        return v === '' ? '<none>' : v;
      } catch {
        return '<none>';
      }
    }));
    ctx.out(renderTable({ headers: cols.map((c) => c[0]), rows }, { noHeaders: has(p, 'no-headers') }));
    return code;
  }
  if (output !== '' && output !== 'wide') return err(ctx, `error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`);
  if (all.length === 0) {
    if (ts.some((t) => t.names.length > 0)) return code;
    const where = k.allNs ? '' : ts.every((t) => !t.r.namespaced) ? '' : ` in ${k.ns} namespace`;
    ctx.err(`No resources found${where}.\n`);
    return code;
  }
  if (has(p, 'w') && collected.length === 1) return watchTable(k, collected[0].r, ts[0].names, output === 'wide');
  let first = true;
  for (const c of collected) {
    if (c.items.length === 0) continue;
    const table = tableFor(c.r, c.items, now, output === 'wide');
    for (const key of (p.flags.get('L') ?? []).flatMap((v) => v.split(','))) {
      table.headers.push(key.toUpperCase().split('/').pop()!);
      c.items.forEach((o, i) => table.rows[i].push(o.metadata.labels?.[key] ?? ''));
    }
    if (has(p, 'show-labels')) {
      table.headers.push('LABELS');
      c.items.forEach((o, i) => table.rows[i].push(Object.entries(o.metadata.labels ?? {}).map(([a, b]) => `${a}=${b}`).join(',') || '<none>'));
    }
    if (!first) ctx.out('\n');
    first = false;
    ctx.out(
      renderTable(table, {
        namespaceColumn: k.allNs && c.r.namespaced ? c.items.map((o) => o.metadata.namespace ?? '') : undefined,
        prefix: multi ? qualifiedSingular(c.r).replace(/\.apps$/, '.apps') : undefined,
        noHeaders: has(p, 'no-headers'),
      }),
    );
  }
  return code;
}

/**
 * kubectl get -w: the table, then a row whenever an object changes, until Ctrl-C. The sandbox
 * also stops after SANDBOX_WATCH_IDLE seconds (default 60) without a change, so scripts end.
 */
async function watchTable(k: Kctx, r: ResourceKind, names: string[], wide: boolean): Promise<number> {
  const { ctx, p } = k;
  const ns = r.namespaced ? (k.allNs ? undefined : k.ns) : undefined;
  const selector = flag(p, 'l');
  const snapshot = (): KubeObject[] => {
    const l = client(k).list(r, ns, selector);
    const items = l.ok ? l.value : [];
    return names.length ? items.filter((o) => names.includes(o.metadata.name ?? '')) : items;
  };
  const rowsOf = (items: KubeObject[]): Map<string, string> => {
    const t = tableFor(r, items, ctx.cluster.clock.now(), wide);
    const m = new Map<string, string>();
    items.forEach((o, i) => m.set(`${o.metadata.namespace}/${o.metadata.name}`, JSON.stringify(t.rows[i].filter((_, j) => t.headers[j] !== 'AGE'))));
    return m;
  };
  const items0 = snapshot();
  const nsCol = (items: KubeObject[]): string[] | undefined => (k.allNs && r.namespaced ? items.map((o) => o.metadata.namespace ?? '') : undefined);
  const t0 = tableFor(r, items0, ctx.cluster.clock.now(), wide);
  const widths = tableWidths(t0, nsCol(items0));
  if (items0.length) ctx.out(renderTable(t0, { namespaceColumn: nsCol(items0) }));
  else ctx.err(`No resources found in ${ns ?? 'any'} namespace.\n`);
  let last = rowsOf(items0);
  const idleLimit = (Number(ctx.env.SANDBOX_WATCH_IDLE ?? '60') || 60) * 1000;
  let idle = 0;
  while (idle < idleLimit) {
    await sleepOnCluster(ctx, 1000);
    const items = snapshot();
    const rows = rowsOf(items);
    const changed = items.filter((o) => rows.get(`${o.metadata.namespace}/${o.metadata.name}`) !== last.get(`${o.metadata.namespace}/${o.metadata.name}`));
    if (changed.length) {
      idle = 0;
      ctx.out(renderTable(tableFor(r, changed, ctx.cluster.clock.now(), wide), { noHeaders: true, namespaceColumn: nsCol(changed), minWidths: widths }));
    } else idle += 1000;
    last = rows;
  }
  return 0;
}

/** --field-selector: metadata.name, metadata.namespace, status.phase, spec.nodeName with = / == / !=. */
function applyFieldSelector(items: KubeObject[], sel: string | undefined): KubeObject[] {
  if (!sel) return items;
  const reqs = sel.split(',').map((x) => x.match(/^([\w.]+)\s*(!=|==|=)\s*(.*)$/)).filter((m): m is RegExpMatchArray => m !== null);
  const get = (o: KubeObject, path: string): string => {
    let v: unknown = o;
    for (const part of path.split('.')) v = isRecord(v) ? v[part] : undefined;
    return v === undefined ? '' : String(v);
  };
  return items.filter((o) => reqs.every((m) => (m[2] === '!=' ? get(o, m[1]) !== m[3] : get(o, m[1]) === m[3])));
}

// ---- apply / create / delete -------------------------------------------------------------

function filesFlag(k: Kctx): string[] {
  return k.p.flags.get('f') ?? k.p.flags.get('filename') ?? [];
}

async function apply(k: Kctx, create: boolean): Promise<number> {
  const { ctx, p } = k;
  const files = filesFlag(k);
  if (files.length === 0) return err(ctx, `error: must specify one of -f and -k\n\nerror: no objects passed to ${create ? 'create' : 'apply'}`);
  const dryRun = (flag(p, 'dry-run') ?? 'none') !== 'none';
  const loaded = loadManifests(ctx.fs, ctx.cwd, files, ctx.stdin, has(p, 'R'));
  let code = loaded.errors.length ? 1 : 0;
  for (const e of loaded.errors) ctx.err(`${e}\n`);
  if (loaded.docs.length === 0 && loaded.errors.length === 0) return err(ctx, `error: no objects passed to ${create ? 'create' : 'apply'}`);
  for (const doc of loaded.docs) {
    const rd = resolveDoc(doc, k.ns, k.explicitNs);
    if ('error' in rd) {
      ctx.err(`${rd.error}\n`);
      code = 1;
      continue;
    }
    const o = create ? createOne(client(k), rd.r, rd.obj, doc.source, dryRun) : applyOne(client(k), rd.r, rd.obj, doc.source, dryRun);
    if (o.warning) ctx.err(`${o.warning}\n`);
    if (o.line) ctx.out(`${o.line}\n`);
    if (o.error) {
      ctx.err(`${o.error}\n`);
      code = 1;
    }
    ctx.cluster.sync();
  }
  return code;
}

async function createCmd(k: Kctx, args: string[]): Promise<number> {
  const { ctx } = k;
  if (filesFlag(k).length) return apply(k, true);
  const [what, name] = args;
  if (what === 'namespace' || what === 'ns') {
    if (!name) return err(ctx, 'error: exactly one NAME is required, got 0');
    const r = client(k).create(client(k).kind('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    if (!r.ok) return err(ctx, `Error from server (${r.status.reason}): ${r.status.message}`);
    ctx.out(`namespace/${name} created\n`);
    return 0;
  }
  if (what === 'secret') {
    const [type, sname] = [args[1], args[2]];
    if (!sname) return err(ctx, 'error: exactly one NAME is required, got 0');
    const read = (f: string | undefined, flagName: string): string | undefined => {
      if (!f) {
        err(ctx, `error: --${flagName} must be specified`);
        return undefined;
      }
      try {
        return ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, f));
      } catch {
        err(ctx, `error: open ${f}: no such file or directory`);
        return undefined;
      }
    };
    let data: Record<string, string>;
    let stype: string;
    if (type === 'tls') {
      const cert = read(flag(k.p, 'cert'), 'cert');
      if (cert === undefined) return 1;
      const key = read(flag(k.p, 'key'), 'key');
      if (key === undefined) return 1;
      if (!cert.includes('BEGIN CERTIFICATE')) return err(ctx, 'error: failed to load key pair tls: failed to find any PEM data in certificate input');
      data = { 'tls.crt': btoa(cert), 'tls.key': btoa(key) };
      stype = 'kubernetes.io/tls';
    } else if (type === 'generic') {
      data = {};
      for (const lit of k.p.flags.get('from-literal') ?? []) {
        const i = lit.indexOf('=');
        data[lit.slice(0, i)] = btoa(lit.slice(i + 1));
      }
      stype = 'Opaque';
    } else return err(ctx, `error: unknown command "${type ?? ''}" for "kubectl create secret"`);
    const r = client(k).create(client(k).kind('Secret'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: sname, namespace: k.ns }, type: stype, data });
    if (!r.ok) return err(ctx, `Error from server (${r.status.reason}): ${r.status.message}`);
    ctx.out(`secret/${sname} created\n`);
    return 0;
  }
  if (what === 'deployment' || what === 'deploy') {
    const image = flag(k.p, 'image');
    if (!name || !image) return err(ctx, 'error: required flag(s) "image" not set');
    const replicas = Number(flag(k.p, 'replicas') ?? '1');
    const labels = { app: name };
    const cname = image.split('/').pop()!.split(':')[0].split('@')[0];
    const obj: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: k.ns, labels },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: cname, image, ...(flag(k.p, 'port') ? { ports: [{ containerPort: Number(flag(k.p, 'port')) }] } : {}) }] } } },
    };
    const r = client(k).create(client(k).kind('Deployment'), obj);
    if (!r.ok) return err(ctx, formatServerError(r.status, 'creating'));
    ctx.out(`deployment.apps/${name} created\n`);
    return 0;
  }
  return err(ctx, `error: unknown command "${what ?? ''}" for "kubectl create"\nDid you mean this?\n\tnamespace\n\tdeployment`);
}

async function del(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  let code = 0;
  const files = filesFlag(k);
  const report = (r: ResourceKind, name: string, res: { ok: boolean; status?: Status }, source?: string): void => {
    if (res.ok) ctx.out(`${qualifiedSingular(r)} "${name}" deleted\n`);
    else if (!(has(p, 'ignore-not-found') && res.status?.reason === 'NotFound')) {
      ctx.err(`${formatServerError(res.status!, 'deleting', source)}\n`);
      code = 1;
    }
  };
  if (files.length) {
    const loaded = loadManifests(ctx.fs, ctx.cwd, files, ctx.stdin, has(p, 'R'));
    for (const e of loaded.errors) ctx.err(`${e}\n`);
    if (loaded.errors.length) code = 1;
    for (const doc of loaded.docs) {
      const rd = resolveDoc(doc, k.ns, k.explicitNs);
      if ('error' in rd) {
        ctx.err(`${rd.error}\n`);
        code = 1;
        continue;
      }
      const res = client(k).delete(rd.r, rd.obj.metadata.namespace, rd.obj.metadata.name ?? '');
      report(rd.r, rd.obj.metadata.name ?? '', res.ok ? { ok: true } : { ok: false, status: res.status }, doc.source);
      ctx.cluster.sync();
    }
    return code;
  }
  if (args.length === 0) return err(ctx, 'error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'');
  const ts = targets(k, args);
  if (!ts) return 1;
  for (const t of ts) {
    const ns = t.r.namespaced ? k.ns : undefined;
    let names = t.names;
    if (names.length === 0) {
      const sel = flag(p, 'l');
      if (!sel && !has(p, 'all')) return err(ctx, 'error: resource(s) were provided, but no name was specified');
      const l = client(k).list(t.r, ns, sel);
      names = l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
      if (names.length === 0) ctx.err(`No resources found${ns ? ` in ${ns} namespace` : ''}\n`);
    }
    for (const n of names) {
      const res = client(k).delete(t.r, ns, n);
      report(t.r, n, res.ok ? { ok: true } : { ok: false, status: res.status });
    }
  }
  ctx.cluster.sync();
  return code;
}

// ---- logs / exec -------------------------------------------------------------------------

function pickPod(k: Kctx, ref: string): KubeObject | undefined {
  const { ctx } = k;
  const c = client(k);
  if (!ref.includes('/') || ref.startsWith('pod/') || ref.startsWith('pods/') || ref.startsWith('po/')) {
    const name = ref.includes('/') ? ref.split('/')[1] : ref;
    const r = c.get(c.kind('Pod'), k.ns, name);
    if (!r.ok) {
      serverError(ctx, r.status);
      return undefined;
    }
    return r.value;
  }
  const [type, name] = ref.split('/');
  const r = resolveResource(type);
  if (!r || !['Deployment', 'ReplicaSet', 'Service'].includes(r.kind)) {
    err(ctx, `error: cannot attach to ${type}: selector for ${type} not implemented`);
    return undefined;
  }
  const owner = c.get(r, k.ns, name);
  if (!owner.ok) {
    serverError(ctx, owner.status);
    return undefined;
  }
  const spec = isRecord(owner.value.spec) ? owner.value.spec : {};
  const reqs = r.kind === 'Service' ? fromLabelSelector({ matchLabels: spec.selector }) : fromLabelSelector(spec.selector);
  const pods = c.list(c.kind('Pod'), k.ns);
  const cand = (pods.ok ? pods.value : []).filter((p) => matches(p.metadata.labels, reqs) && !p.metadata.deletionTimestamp);
  cand.sort((a, b) => Number(podReady(b)) - Number(podReady(a)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  if (cand.length === 0) {
    err(ctx, `error: unable to find a pod for ${ref}`);
    return undefined;
  }
  if (cand.length > 1) ctx.err(`Found ${cand.length} pods, using pod/${cand[0].metadata.name}\n`);
  return cand[0];
}

function containerNames(pod: KubeObject): { main: string[]; init: string[] } {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const names = (f: string): string[] => (Array.isArray(spec[f]) ? (spec[f] as unknown[]).filter(isRecord).map((c) => String(c.name)) : []);
  return { main: names('containers'), init: names('initContainers') };
}

/** podcmd.FindOrDefaultContainerByName: the annotation silently, else the first container (with a notice). */
function chooseContainer(k: Kctx, pod: KubeObject, explicit: string | undefined): string | undefined {
  const { main, init } = containerNames(pod);
  if (explicit) return explicit;
  const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (def) {
    if (main.includes(def)) return def;
    k.ctx.err(`Default container name "${def}" in annotation not found in a pod\n`);
  }
  if (main.length === 0) {
    err(k.ctx, `error: pod ${pod.metadata.name} does not have any containers`);
    return undefined;
  }
  if (main.length > 1 || init.length > 0) k.ctx.err(`Defaulted container "${main[0]}" out of: ${[...main, ...init.map((i) => `${i} (init)`)].join(', ')}\n`);
  return main[0];
}

async function logs(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  const c = client(k);
  const sel = flag(p, 'l');
  const tail = flag(p, 'tail') ?? (sel ? '10' : undefined);
  const since = flag(p, 'since');
  const sinceMs = since === undefined ? undefined : parseDuration(since);
  if (since !== undefined && (sinceMs === undefined || sinceMs <= 0)) return err(ctx, `error: invalid argument "${since}" for "--since" flag: time: invalid duration "${since}"`);
  let pods: KubeObject[] = [];
  if (sel) {
    const l = c.list(c.kind('Pod'), k.ns, sel);
    pods = l.ok ? l.value : [];
    if (pods.length === 0) {
      ctx.err(`No resources found in ${k.ns} namespace.\n`);
      return 0;
    }
  } else {
    if (!args[0]) return err(ctx, "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    const pod = pickPod(k, args[0]);
    if (!pod) return 1;
    pods = [pod];
  }
  const explicit = flag(p, 'c') ?? args[1];
  let code = 0;
  for (const pod of pods) {
    const container = chooseContainer(k, pod, explicit);
    if (!container) return 1;
    const q: Record<string, string> = { container };
    if (tail !== undefined && tail !== '-1') q.tailLines = tail;
    // the apiserver takes whole seconds (kubectl rounds up)
    if (sinceMs !== undefined) q.sinceSeconds = String(Math.ceil(sinceMs / 1000));
    const r = c.subresource(c.kind('Pod'), pod.metadata.namespace, pod.metadata.name ?? '', 'log', q);
    if (!r.ok) {
      ctx.err(`Error from server (${r.status.reason}): ${r.status.message}\n`);
      code = 1;
      continue;
    }
    const text = has(p, 'prefix') ? r.value.split('\n').filter(Boolean).map((l) => `[pod/${pod.metadata.name}/${container}] ${l}\n`).join('') : r.value;
    ctx.out(text);
  }
  if (has(p, 'f')) ctx.err('(the sandbox prints the log so far; -f does not follow)\n');
  return code;
}

async function exec(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  const cmd = p.rest;
  if (!args[0]) return err(ctx, 'error: pod, type/name or --filename must be specified');
  if (cmd.length === 0) return err(ctx, "error: you must specify at least one command for the container");
  const pod = pickPod(k, args[0]);
  if (!pod) return 1;
  const container = chooseContainer(k, pod, flag(p, 'c'));
  if (!container) return 1;
  const { main } = containerNames(pod);
  if (!main.includes(container)) return err(ctx, `error: unable to upgrade connection: container not found ("${container}")`);
  const st = isRecord(pod.status) ? pod.status : {};
  const cs = (Array.isArray(st.containerStatuses) ? st.containerStatuses : []).filter(isRecord).find((x) => x.name === container);
  if (!cs || !isRecord(cs.state) || !cs.state.running) return err(ctx, `error: unable to upgrade connection: container not found ("${container}")`);
  const rt = ctx.cluster.network.podByName(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  if (!rt) return err(ctx, 'error: unable to upgrade connection: pod not running');
  const r = await ctx.runSubcommand(cmd, { origin: { kind: 'pod', pod: rt, container }, stdin: has(p, 'i') ? ctx.stdin : '' });
  if (r.code === 127) {
    ctx.err(`error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd[0]}": executable file not found in $PATH: unknown\n`);
    return 1;
  }
  ctx.out(r.stdout);
  ctx.err(r.stderr);
  if (r.code !== 0) ctx.err(`command terminated with exit code ${r.code}\n`);
  return r.code;
}

// ---- label / scale / rollout / wait ------------------------------------------------------

async function label(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  const ts = targets(k, args.filter((a) => !a.includes('=') && !a.endsWith('-')));
  if (!ts || ts.length === 0) return err(ctx, 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const changes = args.filter((a) => a.includes('=') || (a.endsWith('-') && !a.includes('/') && ts.every((t) => !t.names.includes(a))));
  if (changes.length === 0) return err(ctx, 'error: at least one label update is required');
  let code = 0;
  for (const t of ts) {
    let names = t.names;
    if (names.length === 0 && (flag(p, 'l') || has(p, 'all'))) {
      const l = client(k).list(t.r, t.r.namespaced ? k.ns : undefined, flag(p, 'l'));
      names = l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
    }
    for (const n of names) {
      const cur = client(k).get(t.r, t.r.namespaced ? k.ns : undefined, n);
      if (!cur.ok) {
        serverError(ctx, cur.status);
        code = 1;
        continue;
      }
      const o = deepClone(cur.value);
      const labels = { ...(o.metadata.labels ?? {}) };
      let removed = false;
      for (const ch of changes) {
        if (ch.endsWith('-') && !ch.includes('=')) {
          delete labels[ch.slice(0, -1)];
          removed = true;
          continue;
        }
        const [key, value] = [ch.slice(0, ch.indexOf('=')), ch.slice(ch.indexOf('=') + 1)];
        if (labels[key] !== undefined && labels[key] !== value && !has(p, 'overwrite')) return err(ctx, `error: '${key}' already has a value (${labels[key]}), and --overwrite is false`);
        labels[key] = value;
      }
      o.metadata.labels = labels;
      const r = client(k).update(t.r, o);
      if (!r.ok) {
        ctx.err(`${formatServerError(r.status, 'patching')}\n`);
        code = 1;
        continue;
      }
      const same = r.value.metadata.resourceVersion === cur.value.metadata.resourceVersion;
      ctx.out(`${qualifiedSingular(t.r)}/${n} ${same ? 'not labeled' : removed && !changes.some((c) => c.includes('=')) ? 'unlabeled' : 'labeled'}\n`);
    }
  }
  return code;
}

async function scale(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  const replicas = flag(p, 'replicas');
  if (replicas === undefined || !/^\d+$/.test(replicas)) return err(ctx, 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const ts = targets(k, args);
  if (!ts || ts.length === 0) return err(ctx, 'error: resource(s) were provided, but no name was specified');
  for (const t of ts)
    for (const n of t.names) {
      const cur = client(k).get(t.r, k.ns, n);
      if (!cur.ok) return serverError(ctx, cur.status);
      const o = deepClone(cur.value);
      o.spec = { ...o.spec, replicas: Number(replicas) };
      const r = client(k).update(t.r, o);
      if (!r.ok) return err(ctx, formatServerError(r.status, 'patching'));
      ctx.out(`${qualifiedSingular(t.r)}/${n} scaled\n`);
    }
  return 0;
}

function deploymentProgress(d: KubeObject): { done: boolean; message: string } {
  const spec = isRecord(d.spec) ? d.spec : {};
  const st = isRecord(d.status) ? d.status : {};
  const want = Number(spec.replicas ?? 1);
  const updated = Number(st.updatedReplicas ?? 0);
  const available = Number(st.availableReplicas ?? 0);
  const total = Number(st.replicas ?? 0);
  const name = d.metadata.name;
  if (Number(st.observedGeneration ?? 0) < Number(d.metadata.generation ?? 0)) return { done: false, message: `Waiting for deployment spec update to be observed...` };
  if (updated < want) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...` };
  if (total > updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...` };
  if (available < updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}

async function rollout(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  const [sub, ...rest] = args;
  const ts = targets(k, rest);
  if (!ts || ts.length === 0) return err(ctx, `error: required resource not specified`);
  const timeoutMs = parseDuration(flag(p, 'timeout') ?? '') ?? 600_000;
  for (const t of ts)
    for (const n of t.names) {
      if (t.r.kind !== 'Deployment') return err(ctx, `error: no status viewer has been implemented for ${t.r.kind}`);
      if (sub === 'restart') {
        const cur = client(k).get(t.r, k.ns, n);
        if (!cur.ok) return serverError(ctx, cur.status);
        const o = deepClone(cur.value);
        const spec = isRecord(o.spec) ? o.spec : {};
        const tpl = isRecord(spec.template) ? spec.template : {};
        const meta = isRecord(tpl.metadata) ? tpl.metadata : {};
        meta.annotations = { ...(isRecord(meta.annotations) ? meta.annotations : {}), 'kubectl.kubernetes.io/restartedAt': new Date(ctx.cluster.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z') };
        tpl.metadata = meta;
        spec.template = tpl;
        o.spec = spec;
        const r = client(k).update(t.r, o);
        if (!r.ok) return err(ctx, formatServerError(r.status, 'patching'));
        ctx.out(`deployment.apps/${n} restarted\n`);
        continue;
      }
      if (sub !== 'status') return err(ctx, `error: unknown command "${sub}" for "kubectl rollout"`);
      let last = '';
      let waited = 0;
      for (;;) {
        ctx.cluster.sync();
        const cur = client(k).get(t.r, k.ns, n);
        if (!cur.ok) return serverError(ctx, cur.status);
        const pr = deploymentProgress(cur.value);
        if (pr.message !== last) ctx.out(`${pr.message}\n`);
        last = pr.message;
        if (pr.done) break;
        if (waited >= timeoutMs) return err(ctx, 'error: timed out waiting for the condition');
        await sleepOnCluster(ctx, 500);
        waited += 500;
      }
    }
  return 0;
}

async function wait(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  const forCond = flag(p, 'for') ?? '';
  const timeoutMs = parseDuration(flag(p, 'timeout') ?? '30s') ?? 30_000;
  const ts = targets(k, args);
  if (!ts || ts.length === 0) return err(ctx, 'error: resource(s) were provided, but no name was specified');
  const m = forCond.match(/^condition=([^=]+)(?:=(.*))?$/i);
  const isDelete = forCond === 'delete';
  if (!m && !isDelete) return err(ctx, `error: unrecognized condition: "${forCond}"`);
  const want = m ? (m[2] ?? 'True').toLowerCase() : '';
  const condName = m ? m[1].toLowerCase() : '';
  let waited = 0;
  for (const t of ts) {
    const ns = t.r.namespaced ? k.ns : undefined;
    let names = t.names;
    if (names.length === 0) {
      const l = client(k).list(t.r, ns, flag(p, 'l'));
      names = l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
      if (names.length === 0) return err(ctx, `error: no matching resources found`);
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
        const st = isRecord(cur.value.status) ? cur.value.status : {};
        const conds = (Array.isArray(st.conditions) ? st.conditions : []).filter(isRecord);
        const c = conds.find((x) => String(x.type).toLowerCase() === condName);
        if (!isDelete && c && String(c.status).toLowerCase() === want) {
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

/** kubectl run NAME --image=IMG [--labels=k=v] [--env=K=V] [--port=N] [-- COMMAND ARGS]: a bare Pod. */
async function runCmd(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  const name = args[0];
  const image = flag(p, 'image');
  if (!name) return err(ctx, 'error: NAME is required for run');
  if (!image) return err(ctx, 'error: required flag(s) "image" not set');
  const labels: Record<string, string> = { run: name };
  for (const l of (flag(p, 'labels') ?? '').split(',').filter(Boolean)) labels[l.split('=')[0]] = l.split('=')[1] ?? '';
  const env = (p.flags.get('env') ?? []).map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  const container: Record<string, unknown> = { name, image };
  if (p.rest.length) {
    if (has(p, 'command')) container.command = p.rest;
    else container.args = p.rest;
  }
  if (env.length) container.env = env;
  if (flag(p, 'port')) container.ports = [{ containerPort: Number(flag(p, 'port')) }];
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: k.ns, labels }, spec: { containers: [container], restartPolicy: flag(p, 'restart') ?? 'Always' } };
  const r = client(k).create(client(k).kind('Pod'), obj);
  if (!r.ok) return err(ctx, formatServerError(r.status, 'creating'));
  ctx.out(`pod/${name} created\n`);
  if (has(p, 'i') || has(p, 't') || has(p, 'rm')) ctx.err('(sandbox: kubectl run does not attach; use kubectl exec once the pod is Running)\n');
  return 0;
}

/** kubectl set env deployment/x KEY=VALUE … | KEY- (changes the pod template: a new rollout). */
async function setCmd(k: Kctx, args: string[]): Promise<number> {
  const { ctx } = k;
  const [what, ref, ...changes] = args;
  if (what === 'image') return err(ctx, 'error: kubectl set image is not available in the sandbox; edit the manifest and apply it');
  if (what !== 'env') return err(ctx, `error: unknown command "${what ?? ''}" for "kubectl set"`);
  if (!ref) return err(ctx, 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  let refName = ref;
  let rest = changes;
  if (!ref.includes('/')) {
    refName = `${ref}/${changes[0] ?? ''}`;
    rest = changes.slice(1);
  }
  const ts = targets(k, [refName]);
  if (!ts || ts.length === 0) return 1;
  const { r, names } = ts[0];
  if (r.kind !== 'Deployment') return err(ctx, `error: the sandbox's kubectl set env supports deployments only`);
  const cur = client(k).get(r, k.ns, names[0]);
  if (!cur.ok) return serverError(ctx, cur.status);
  const o = deepClone(cur.value);
  const spec = isRecord(o.spec) ? o.spec : {};
  const tpl = isRecord(spec.template) ? spec.template : {};
  const pspec = isRecord(tpl.spec) ? tpl.spec : {};
  const containers = (Array.isArray(pspec.containers) ? pspec.containers : []).filter(isRecord);
  const only = flag(k.p, 'c');
  for (const c of containers) {
    if (only && c.name !== only) continue;
    let env = (Array.isArray(c.env) ? c.env : []).filter(isRecord);
    for (const ch of rest) {
      if (ch.endsWith('-') && !ch.includes('=')) env = env.filter((e) => e.name !== ch.slice(0, -1));
      else if (ch.includes('=')) {
        const name = ch.slice(0, ch.indexOf('='));
        const value = ch.slice(ch.indexOf('=') + 1);
        const e = env.find((x) => x.name === name);
        if (e) {
          e.value = value;
          delete e.valueFrom;
        } else env.push({ name, value });
      }
    }
    if (env.length) c.env = env;
    else delete c.env;
  }
  const res = client(k).update(r, o);
  if (!res.ok) return err(ctx, formatServerError(res.status, 'patching'));
  if (res.value.metadata.resourceVersion !== cur.value.metadata.resourceVersion) ctx.out(`deployment.apps/${names[0]} env updated\n`);
  return 0;
}

async function portForward(k: Kctx, args: string[]): Promise<number> {
  const { ctx } = k;
  const [ref, ...ports] = args;
  if (!ref || ports.length === 0) return err(ctx, 'error: TYPE/NAME and list of ports are required for port-forward');
  const c = client(k);
  let pod: KubeObject | undefined;
  const mappings: { local: number; remote: number }[] = [];
  let svc: KubeObject | undefined;
  if (ref.startsWith('service/') || ref.startsWith('svc/')) {
    const s = c.get(c.kind('Service'), k.ns, ref.split('/')[1]);
    if (!s.ok) return serverError(ctx, s.status);
    svc = s.value;
    pod = pickPod(k, `service/${ref.split('/')[1]}`);
  } else pod = pickPod(k, ref);
  if (!pod) return 1;
  for (const spec of ports) {
    const [a, b] = spec.split(':');
    const local = Number(a) || Number(b);
    let remote = Number(b ?? a);
    if (svc) {
      const sp = (Array.isArray(svc.spec?.ports) ? (svc.spec!.ports as Record<string, unknown>[]) : []).find((x) => Number(x.port) === remote);
      if (sp && typeof sp.targetPort === 'number') remote = sp.targetPort;
    }
    mappings.push({ local, remote });
  }
  for (const m of mappings) {
    ctx.cluster.network.portForwards.set(m.local, { namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name ?? '', port: m.remote });
    ctx.out(`Forwarding from 127.0.0.1:${m.local} -> ${m.remote}\nForwarding from [::1]:${m.local} -> ${m.remote}\n`);
  }
  ctx.err('(sandbox: the forward keeps running in the background; no need to open another terminal)\n');
  return 0;
}

// ---- config / misc -----------------------------------------------------------------------

async function config(k: Kctx, args: string[]): Promise<number> {
  const { ctx, p } = k;
  const [sub] = args;
  if (!ctx.fs.exists(KUBECONFIG)) setNamespace(ctx.fs, 'default');
  switch (sub) {
    case 'set-context': {
      const ns = flag(p, 'namespace') ?? flag(p, 'n');
      if (ns !== undefined) setNamespace(ctx.fs, ns);
      ctx.out(`Context "${CONTEXT}" modified.\n`);
      return 0;
    }
    case 'current-context':
      ctx.out(`${CONTEXT}\n`);
      return 0;
    case 'view':
      ctx.out(has(p, 'minify') ? defaultKubeconfig(currentNamespace(ctx.fs) === 'default' ? undefined : currentNamespace(ctx.fs)) : ctx.fs.readFile(KUBECONFIG));
      return 0;
    case 'get-contexts': {
      const ns = currentNamespace(ctx.fs);
      ctx.out(renderTable({ headers: ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], rows: [['*', CONTEXT, CONTEXT, CONTEXT, ns === 'default' ? '' : ns]] }));
      return 0;
    }
    case 'use-context':
      if (args[1] !== CONTEXT) return err(ctx, `error: no context exists with the name: "${args[1] ?? ''}"`);
      ctx.out(`Switched to context "${CONTEXT}".\n`);
      return 0;
    default:
      return err(ctx, `error: unknown command "${sub ?? ''}" for "kubectl config"`);
  }
}

async function apiResources(k: Kctx): Promise<number> {
  const rows = KINDS.map((r) => [r.plural, r.shortNames.join(','), r.group ? `${r.group}/${r.versions[0]}` : r.versions[0], String(r.namespaced), r.kind]);
  k.ctx.out(renderTable({ headers: ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], rows }));
  return 0;
}

const HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands:
  create          Create a resource from a file or from stdin
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources

Settings Commands:
  label           Update the labels on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]
`;

export const kubectl: CommandSpec = {
  name: 'kubectl',
  summary: 'talk to the cluster: apply, get, describe, logs, exec, delete, …',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), {
      withValue: GLOBAL_VALUE_FLAGS,
      boolean: GLOBAL_BOOL_FLAGS,
      aliases: { 'label-columns': 'L', namespace: 'n', output: 'o', selector: 'l', filename: 'f', container: 'c', 'all-namespaces': 'A', recursive: 'R', follow: 'f', stdin: 'i', tty: 't' },
    });
    // "-f" means a file for most verbs but "follow" for logs
    const [verb, ...args] = p.positional;
    if (verb === 'logs' && p.flags.has('f')) {
      const v = p.flags.get('f')!;
      p.flags.delete('f');
      p.flags.set('follow', ['true']);
      // a value swallowed by -f (kubectl logs -f POD) is the pod name
      if (v[0] && v[0] !== 'true') args.unshift(v[0]);
    }
    if (p.unknown.length) return err(ctx, `error: unknown flag: ${p.unknown[0]}\nSee 'kubectl ${verb ?? ''} --help' for usage.`);
    if (!ctx.fs.exists(KUBECONFIG)) setNamespace(ctx.fs, 'default');
    const explicitNs = flag(p, 'n');
    const k: Kctx = { ctx, p, ns: explicitNs ?? currentNamespace(ctx.fs), explicitNs, allNs: has(p, 'A') };
    if (explicitNs !== undefined && explicitNs !== '' && verb !== 'config' && verb !== 'create' && verb !== 'apply') {
      // a missing namespace is not an error for reads; kubectl just finds nothing
    }
    switch (verb) {
      case undefined:
      case 'help':
        ctx.out(HELP);
        return 0;
      case 'get':
        return get(k, args);
      case 'apply':
        return apply(k, false);
      case 'create':
        return createCmd(k, args);
      case 'delete':
        return del(k, args);
      case 'describe':
        return describe(k.ctx, k.ns, k.allNs, args, flag(p, 'l'));
      case 'logs':
        return logs(k, args);
      case 'exec':
        return exec(k, args);
      case 'label':
        return label(k, args);
      case 'scale':
        return scale(k, args);
      case 'rollout':
        return rollout(k, args);
      case 'wait':
        return wait(k, args);
      case 'config':
        return config(k, args);
      case 'api-resources':
        return apiResources(k);
      case 'version':
        ctx.out(has(p, 'client') ? 'Client Version: v1.32.0\nKustomize Version: v5.5.0\n' : 'Client Version: v1.32.0\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n');
        return 0;
      case 'cluster-info':
        ctx.out(`Kubernetes control plane is running at ${SERVER}\nCoreDNS is running at ${SERVER}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
        return 0;
      case 'port-forward':
        return portForward(k, args);
      case 'set':
        return setCmd(k, args);
      case 'run':
        return runCmd(k, args);
      case 'edit':
      case 'patch':
      case 'top':
        return err(ctx, `error: "kubectl ${verb}" is not available in the sandbox; change the manifest and run kubectl apply -f instead`);
      default:
        return err(ctx, `error: unknown command "${verb}" for "kubectl"${verb.startsWith('-') ? '' : ''}\n\nDid you mean this?\n\t${['get', 'apply', 'describe', 'delete', 'logs'].find((v) => v[0] === verb[0]) ?? 'get'}\n\nRun 'kubectl --help' for usage.`);
    }
  },
};

