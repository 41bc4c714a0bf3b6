/**
 * kubectl rollout (kubectl/pkg/cmd/rollout): status (polymorphichelpers' DeploymentStatusViewer
 * messages), restart (the kubectl.kubernetes.io/restartedAt annotation on the pod template; a
 * type without a name restarts every object of the type in the namespace).
 */
import type { ResourceKind } from '../../api/kinds';
import { deepClone, isRecord, type KubeObject } from '../../api/types';
import { parseDuration } from '../../controllers/istiod/istioTypes';
import { flagSet } from '../args';
import { sleepOnCluster } from '../coreutils';
import { formatServerError } from './apply';
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

export const rolloutCommand: KubectlCommand = {
  name: 'rollout',
  short: 'Manage the rollout of one or many resources.',
  usage: 'kubectl rollout SUBCOMMAND [options]',
  flags: [],
  subcommands: [restart, status],
};
