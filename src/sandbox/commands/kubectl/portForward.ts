/** kubectl port-forward (kubectl/pkg/cmd/portforward): TYPE/NAME [LOCAL:]REMOTE…, kept in the background. */
import { flagSet } from '../args';
import { client, err, pickPod, serverError, type Kctx, type KubectlCommand } from './common';
import type { KubeObject } from '../../api/types';

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx } = k;
  const [ref, ...ports] = args;
  if (!ref || ports.length === 0) return err(ctx, "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
  const c = client(k);
  let svc: KubeObject | undefined;
  if (ref.startsWith('service/') || ref.startsWith('svc/')) {
    const s = c.get(c.kind('Service'), k.ns, ref.split('/')[1]);
    if (!s.ok) return serverError(ctx, s.status);
    svc = s.value;
  }
  const pod = pickPod(k, svc ? `service/${ref.split('/')[1]}` : ref);
  if (!pod) return 1;
  const mappings: { local: number; remote: number }[] = [];
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
  ctx.err('(песочница: перенаправление продолжает работать в фоне; второй терминал не нужен)\n');
  return 0;
}

export const portForwardCommand: KubectlCommand = {
  name: 'port-forward',
  short: 'Forward one or more local ports to a pod.',
  usage: 'kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
  flags: flagSet(['--address=[localhost]', '--pod-running-timeout=1m0s']),
  run,
};
