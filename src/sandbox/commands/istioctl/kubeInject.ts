/**
 * istioctl kube-inject: the sidecar injection of the webhook done on the client, on manifests
 * (istio/istio istioctl/pkg/kubeinject/kubeinject.go). Every document is written back; the pod
 * template of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
 * ReplicationController) or a Pod itself gets istio-init, istio-proxy and Istio's labels and
 * annotations, whatever the namespace's istio-injection label, unless the pod opts out with
 * sidecar.istio.io/inject: "false". Documents are separated by "---".
 */
import { isRecord, type KubeObject } from '../../api/types';
import { inject } from '../../controllers/injection';
import { parseArgs } from '../args';
import { parseManifests } from '../kubectl/manifests';
import { toYaml } from '../kubectl/printers';
import type { CommandContext } from '../types';

function err(ctx: CommandContext, s: string): number {
  ctx.err(`${s}\n`);
  return 1;
}

/** The pod template (metadata + spec) of a workload, or the Pod itself. */
function podTemplate(obj: KubeObject): { metadata: Record<string, unknown>; spec: Record<string, unknown> } | undefined {
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  if (!spec) return undefined;
  if (obj.kind === 'Pod') return { metadata: obj.metadata as Record<string, unknown>, spec };
  const tpl = obj.kind === 'CronJob' ? (isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec.template : undefined) : spec.template;
  if (!isRecord(tpl)) return undefined;
  const metadata = isRecord(tpl.metadata) ? tpl.metadata : (tpl.metadata = {} as Record<string, unknown>);
  if (!isRecord(tpl.spec)) return undefined;
  return { metadata, spec: tpl.spec };
}

export function kubeInject(ctx: CommandContext, argv: string[]): number {
  const a = parseArgs(argv, { withValue: ['filename', 'output'], boolean: [], aliases: { f: 'filename', o: 'output' } });
  if (a.unknown.length) return err(ctx, `Error: unknown flag: ${a.unknown[0]}`);
  const file = a.flags.get('filename')?.at(-1) ?? '';
  if (!file) return err(ctx, 'Error: filename not specified (see --filename or -f)');
  let text: string;
  if (file === '-') text = ctx.stdin;
  else {
    const abs = ctx.fs.resolve(ctx.cwd, file);
    if (!ctx.fs.isFile(abs)) return err(ctx, `Error: open ${file}: no such file or directory`);
    text = ctx.fs.readFile(abs);
  }
  const { docs, errors } = parseManifests(text, file);
  if (errors.length) return err(ctx, `Error: ${errors[0].replace(/^error: /, '')}`);
  const out: string[] = [];
  for (const { obj } of docs) {
    const tpl = podTemplate(obj);
    // hostNetwork pods are left alone (kube.go injectRequired: "hostNetwork is not supported")
    if (tpl && tpl.spec.hostNetwork !== true) {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: tpl.metadata, spec: tpl.spec } as KubeObject;
      const optOut = pod.metadata.labels?.['sidecar.istio.io/inject'] ?? pod.metadata.annotations?.['sidecar.istio.io/inject'];
      // kube-inject renders without a node client, so auto mode injects the classic layout
      // (istio/istio pkg/kube/inject/inject.go: nativeSidecar only when ENABLE_NATIVE_SIDECARS=true)
      // the workload is the manifest's own object (kubeinject.go IntoObject: its name, kind and apiVersion)
      const workload = { name: obj.metadata.name ?? '', kind: obj.kind, apiVersion: obj.apiVersion, namespace: obj.metadata.namespace || 'default' };
      if (optOut !== 'false') inject(pod, false, workload);
      if (obj.kind === 'Pod') obj.metadata = pod.metadata;
    }
    out.push(toYaml(obj));
  }
  const result = out.join('---\n');
  const target = a.flags.get('output')?.at(-1);
  if (target) ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, target), result);
  else ctx.out(result);
  return 0;
}
