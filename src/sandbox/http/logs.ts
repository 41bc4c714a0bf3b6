/**
 * GET pods/NAME/log (k8s.io/kubernetes/pkg/registry/core/pod/rest/log.go and the kubelet's
 * log streaming): container, tailLines, sinceSeconds, timestamps (RFC3339Nano prefix) and
 * follow (the connection stays open and new lines arrive as the container writes them, until
 * the pod goes away).
 */
import { parsePath } from '../api/server';
import { isStatus } from '../api/status';
import type { KubeObject } from '../api/types';
import { isRecord } from '../api/types';
import type { LogLine } from '../network/logs';
import type { Sandbox } from '../sandbox';
import { jsonResponse, statusOf } from './handler';
import type { HttpResponse, HttpStream } from './types';

type Parsed = Exclude<ReturnType<typeof parsePath>, { error: string }>;

/** 2025-01-15T10:00:00.123000000Z: the kubelet's timestamp prefix (RFC3339Nano, fixed width). */
function stamp(at: number): string {
  return new Date(at).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function podLog(sb: Sandbox, p: Parsed, q: Record<string, string>): HttpResponse | HttpStream {
  for (const k of ['tailLines', 'sinceSeconds', 'limitBytes'] as const)
    if (q[k] !== undefined && !/^-?\d+$/.test(q[k])) return jsonResponse(400, statusOf(400, 'BadRequest', `strconv.ParseInt: parsing "${q[k]}": invalid syntax`));
  if (q.sinceSeconds !== undefined && Number(q.sinceSeconds) < 1)
    return jsonResponse(422, statusOf(422, 'Invalid', `PodLogOptions "${p.name}" is invalid: sinceSeconds: Invalid value: ${q.sinceSeconds}: must be greater than 0`));
  const cluster = sb.cluster;
  const res = cluster.server.handle({ method: 'GET', path: `${pathOf(p)}/log`, query: q });
  if (isStatus(res.body)) return jsonResponse(res.body.code, res.body);
  const pod = res.body as KubeObject;
  const container = q.container || defaultContainer(pod);
  const timestamps = q.timestamps === 'true';
  const format = (l: LogLine): string => `${timestamps ? `${stamp(l.at)} ` : ''}${l.text}\n`;
  // the same selection the kubelet handler made (tail, since), with timestamps when asked
  const now = cluster.clock.now();
  const since = q.sinceSeconds !== undefined ? now - Number(q.sinceSeconds) * 1000 : -Infinity;
  const all = cluster.logs.read(pod.metadata.uid ?? '', container);
  let first = all.filter((l) => l.at >= since && l.at <= now + 60_000);
  if (q.tailLines !== undefined && Number(q.tailLines) >= 0) first = first.slice(Math.max(0, first.length - Number(q.tailLines)));
  const initial = timestamps ? first.map(format).join('') : res.text ?? '';
  if (q.follow !== 'true') return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: initial };
  // follow: the kubelet keeps the response open and copies each line the container writes until the
  // container's log ends (pkg/kubelet/kuberuntime/logs/logs.go ReadLogs with Follow); the apiserver proxies it
  // unchanged (pkg/registry/core/pod/rest/log.go, LocationStreamer with Flush). Here the pod's end is its removal.
  return {
    status: 200,
    headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' },
    start(sink) {
      sink.write(initial);
      return cluster.logs.follow(pod.metadata.uid ?? '', container, {
        line: (l) => sink.write(format(l)),
        end: () => sink.end(),
      });
    },
  };
}

function defaultContainer(pod: KubeObject): string {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const cs = Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [];
  return pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? String(cs[0]?.name ?? '');
}

function pathOf(p: Parsed): string {
  return `/api/${p.version}/namespaces/${p.namespace}/pods/${p.name}`;
}
