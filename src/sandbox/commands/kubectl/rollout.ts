/**
 * kubectl rollout (kubectl/pkg/cmd/rollout): status (polymorphichelpers' DeploymentStatusViewer
 * messages), restart (the kubectl.kubernetes.io/restartedAt annotation on the pod template; a
 * type without a name restarts every object of the type in the namespace), history and undo
 * (polymorphichelpers/history.go DeploymentHistoryViewer, rollback.go DeploymentRollbacker: the
 * revisions are the deployment.kubernetes.io/revision annotations of its ReplicaSets).
 */
import type { ResourceKind } from '../../api/kinds';
import { deepClone, isRecord, type KubeObject } from '../../api/types';
import { parseDuration } from '../../controllers/istiod/istioTypes';
import { flagSet } from '../args';
import { sleepOnCluster } from '../coreutils';
import { formatServerError } from './apply';
import { describePodTemplate } from './describe/pod';
import { PrefixWriter } from './describe/tabwriter';
import { sameTemplate } from './describe/workloads';
import { renderTable } from './printers';
import { client, err, selector, serverError, targets, type Kctx, type KubectlCommand } from './common';

const NONE = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** The objects named, or with a type alone every object of it (ResourceTypeOrNameArgs(true, …)), or -l. */
function objects(k: Kctx, args: string[]): { r: ResourceKind; names: string[] }[] | undefined {
  const ts = targets(k, args);
  if (!ts) return undefined;
  if (ts.length === 0) {
    err(k.ctx, NONE);
    return undefined;
  }
  for (const t of ts)
    if (t.names.length === 0) {
      const l = client(k).list(t.r, k.ns, selector(k));
      t.names = l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
    }
  return ts;
}

export function deploymentProgress(d: KubeObject): { done: boolean; message: string } {
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

const restart: KubectlCommand = {
  name: 'restart',
  short: 'Restart a resource.',
  usage: 'kubectl rollout restart RESOURCE [options]',
  flags: flagSet([
    '--allow-missing-template-keys=true',
    "--field-manager='kubectl-rollout'",
    '-f, --filename=[]',
    "-k, --kustomize=''",
    "-o, --output=''",
    '-R, --recursive=false',
    "-l, --selector=''",
    '--show-managed-fields=false',
    "--template=''",
  ]),
  async run(k, args) {
    const { ctx } = k;
    const ts = objects(k, args);
    if (!ts) return 1;
    let code = 0;
    for (const t of ts)
      for (const n of t.names) {
        if (t.r.kind !== 'Deployment') {
          code = err(ctx, `error: restarting is not supported`);
          continue;
        }
        const cur = client(k).get(t.r, k.ns, n);
        if (!cur.ok) return serverError(ctx, cur.status);
        const o = deepClone(cur.value);
        const spec = isRecord(o.spec) ? o.spec : {};
        const tpl = isRecord(spec.template) ? spec.template : {};
        const meta = isRecord(tpl.metadata) ? tpl.metadata : {};
        const anns = isRecord(meta.annotations) ? meta.annotations : {};
        // objectrestarter.go: time.Now().Format(time.RFC3339) in the local zone (UTC here)
        const stamp = new Date(ctx.cluster.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
        if (anns['kubectl.kubernetes.io/restartedAt'] === stamp) {
          code = err(ctx, `error: failed to create patch for ${n}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
          continue;
        }
        meta.annotations = { ...anns, 'kubectl.kubernetes.io/restartedAt': stamp };
        tpl.metadata = meta;
        spec.template = tpl;
        o.spec = spec;
        const r = client(k).update(t.r, o);
        if (!r.ok) return err(ctx, formatServerError(r.status, 'patching'));
        ctx.out(`deployment.apps/${n} restarted\n`);
      }
    ctx.cluster.sync();
    return code;
  },
};

const status: KubectlCommand = {
  name: 'status',
  short: 'Show the status of the rollout.',
  usage: 'kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: flagSet(['-f, --filename=[]', "-k, --kustomize=''", '-R, --recursive=false', '--revision=0', "-l, --selector=''", '--timeout=0s', '-w, --watch=true']),
  async run(k, args) {
    const { ctx } = k;
    const ts = objects(k, args);
    if (!ts) return 1;
    const all = ts.flatMap((t) => t.names.map((n) => ({ r: t.r, n })));
    if (all.length !== 1) return err(ctx, 'error: rollout status is only supported on individual resources and resource collections are not supported yet');
    const { r, n } = all[0];
    if (r.kind !== 'Deployment') return err(ctx, `error: no status viewer has been implemented for ${r.kind}`);
    const timeout = parseDuration(k.flags.string('timeout')) ?? 0;
    const timeoutMs = timeout > 0 ? timeout : Infinity;
    let last = '';
    let waited = 0;
    for (;;) {
      ctx.cluster.sync();
      const cur = client(k).get(r, k.ns, n);
      if (!cur.ok) return serverError(ctx, cur.status);
      const pr = deploymentProgress(cur.value);
      if (pr.message !== last) ctx.out(`${pr.message}\n`);
      last = pr.message;
      if (pr.done || !k.flags.bool('watch')) break;
      if (waited >= timeoutMs) return err(ctx, 'error: timed out waiting for the condition');
      // the deployment controller marks Progressing=False (ProgressDeadlineExceeded) after
      // spec.progressDeadlineSeconds (600 by default); the status viewer then gives up
      const deadline = Number((cur.value.spec as Record<string, unknown> | undefined)?.progressDeadlineSeconds ?? 600) * 1000;
      if (waited >= deadline) return err(ctx, `error: deployment "${n}" exceeded its progress deadline`);
      await sleepOnCluster(ctx, 500);
      waited += 500;
    }
    return 0;
  },
};

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** deploymentutil.GetAllReplicaSets: the ReplicaSets the Deployment controls, by revision. */
function revisions(k: Kctx, d: KubeObject): Map<number, KubeObject> {
  const rsKind = client(k).kind('ReplicaSet');
  const l = client(k).list(rsKind, d.metadata.namespace);
  const out = new Map<number, KubeObject>();
  for (const rs of l.ok ? l.value : []) {
    if (!(rs.metadata.ownerReferences ?? []).some((o) => o.uid === d.metadata.uid && o.controller === true)) continue;
    const v = Number(rs.metadata.annotations?.[REVISION]);
    if (Number.isInteger(v)) out.set(v, rs);
  }
  return out;
}

/** The pod template of a ReplicaSet as DescribePodTemplate prints it. */
function templateText(rs: KubeObject): string {
  const w = new PrefixWriter();
  describePodTemplate(w, isRecord(rs.spec) && isRecord(rs.spec.template) ? rs.spec.template : {});
  return w.toString();
}

/** The Deployments named; the others get the viewer's error (HistoryViewerFor / RollbackerFor) and set the exit code. */
function deployments(k: Kctx, args: string[], helper: 'history viewer' | 'rollbacker'): { found: KubeObject[]; code: number } | undefined {
  const ts = objects(k, args);
  if (!ts) return undefined;
  const found: KubeObject[] = [];
  let code = 0;
  for (const t of ts)
    for (const n of t.names) {
      const cur = client(k).get(t.r, k.ns, n);
      if (!cur.ok) code = serverError(k.ctx, cur.status);
      else if (t.r.kind !== 'Deployment') code = err(k.ctx, `error: no ${helper} has been implemented for "${t.r.group ? `${t.r.kind}.${t.r.group}` : t.r.kind}"`);
      else found.push(cur.value);
    }
  return { found, code };
}

const history: KubectlCommand = {
  name: 'history',
  short: 'View rollout history.',
  usage: 'kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: flagSet(['--allow-missing-template-keys=true', '-f, --filename=[]', "-k, --kustomize=''", "-o, --output=''", '-R, --recursive=false', '--revision=0', "-l, --selector=''", '--show-managed-fields=false', "--template=''"]),
  async run(k, args) {
    const { ctx } = k;
    const revision = k.flags.int('revision');
    if (revision < 0) return err(ctx, `error: revision must be a positive integer: ${revision}`);
    const ds = deployments(k, args, 'history viewer');
    if (!ds) return 1;
    let code = ds.code;
    for (const d of ds.found) {
      const byRev = revisions(k, d);
      let info: string;
      if (byRev.size === 0) info = 'No rollout history found.';
      else if (revision > 0) {
        const rs = byRev.get(revision);
        if (!rs) {
          code = err(ctx, 'error: unable to find the specified revision');
          continue;
        }
        info = templateText(rs);
      } else {
        // tabbedString (tabwriter 0, 8, 2): REVISION and CHANGE-CAUSE, oldest first
        const rows = [...byRev.keys()].sort((a, b) => a - b).map((r) => [String(r), byRev.get(r)!.metadata.annotations?.[CHANGE_CAUSE] || '<none>']);
        info = renderTable({ headers: ['REVISION', 'CHANGE-CAUSE'], rows }, { padding: 2 });
      }
      // rollout_history.go: the name printer with the operation "<with revision #N>\n<history>"
      ctx.out(`deployment.apps/${d.metadata.name} ${revision > 0 ? `with revision #${revision}` : ''}\n${info}\n`);
    }
    return code;
  },
};

const undo: KubectlCommand = {
  name: 'undo',
  short: 'Undo a previous rollout.',
  usage: 'kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: flagSet(
    ['--allow-missing-template-keys=true', "--dry-run='none'", '-f, --filename=[]', "-k, --kustomize=''", "-o, --output=''", '-R, --recursive=false', "-l, --selector=''", '--show-managed-fields=false', "--template=''", '--to-revision=0'],
    { 'dry-run': 'unchanged' },
  ),
  async run(k, args) {
    const { ctx } = k;
    const to = k.flags.int('to-revision');
    const dry = k.flags.string('dry-run');
    const ds = deployments(k, args, 'rollbacker');
    if (!ds) return 1;
    let code = ds.code;
    for (const d of ds.found) {
      const name = d.metadata.name ?? '';
      if (to < 0) {
        code = err(ctx, `error: unable to find specified revision ${to} in history`);
        continue;
      }
      const byRev = revisions(k, d);
      const sorted = [...byRev.keys()].sort((a, b) => b - a);
      const target = to > 0 ? byRev.get(to) : sorted.length > 1 ? byRev.get(sorted[1]) : undefined;
      if (!target) {
        code = err(ctx, to > 0 ? `error: unable to find specified revision ${to} in history` : `error: no rollout history found for deployment "${name}"`);
        continue;
      }
      if (dry === 'client' || dry === 'unchanged') {
        ctx.out(`deployment.apps/${name} ${templateText(target)} (dry run)\n`);
        continue;
      }
      const spec = isRecord(d.spec) ? d.spec : {};
      if (spec.paused === true) {
        code = err(ctx, `error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`);
        continue;
      }
      const tpl = deepClone(isRecord(target.spec) && isRecord(target.spec.template) ? target.spec.template : {});
      const meta = isRecord(tpl.metadata) ? tpl.metadata : {};
      const labels = { ...(isRecord(meta.labels) ? meta.labels : {}) };
      delete labels['pod-template-hash'];
      // equalIgnoreHash: nothing to do when the Deployment already has that template
      if (sameTemplate(tpl, spec.template)) {
        ctx.out(`deployment.apps/${name} skipped rollback (current template already matches revision ${to})\n`);
        continue;
      }
      tpl.metadata = { ...meta, labels };
      // annotationsToSkip stay the Deployment's own; the rest come from the ReplicaSet
      const skip = ['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to'];
      const annotations: Record<string, string> = {};
      for (const a of skip) if (d.metadata.annotations?.[a] !== undefined) annotations[a] = d.metadata.annotations[a];
      for (const [a, v] of Object.entries(target.metadata.annotations ?? {})) if (!skip.includes(a)) annotations[a] = v;
      const o = deepClone(d);
      o.metadata.annotations = annotations;
      o.spec = { ...spec, template: tpl };
      const r = client(k).update(client(k).kind('Deployment'), o);
      if (!r.ok) {
        code = err(ctx, `error: failed restoring revision ${to}: ${formatServerError(r.status, 'patching').replace(/^Error from server \([A-Za-z]+\): /, '')}`);
        continue;
      }
      ctx.out(`deployment.apps/${name} rolled back\n`);
    }
    ctx.cluster.sync();
    return code;
  },
};

export const rolloutCommand: KubectlCommand = {
  name: 'rollout',
  short: 'Manage the rollout of one or many resources.',
  usage: 'kubectl rollout SUBCOMMAND [options]',
  flags: [],
  subcommands: [history, restart, status, undo],
};
