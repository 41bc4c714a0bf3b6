/**
 * The values a Downward API reference reads from a pod, shared by the kubelet's environment and
 * files (workloads/containerShell.ts, workloads/volumes.ts) and kubectl describe
 * (commands/kubectl/describe/pod.ts):
 * - fieldRef through ExtractFieldPathAsString (kubernetes pkg/fieldpath/fieldpath.go), which knows
 *   the metadata only: name, namespace, uid, labels and annotations (whole, in FormatMap's
 *   `key="value"` lines, or one key);
 * - resourceFieldRef through ExtractContainerResourceValue (pkg/api/v1/resource, and kubectl's
 *   copy in pkg/util/resource): the container's limit or request divided by the divisor (1 when
 *   zero), rounded up; cpu in cores, memory in bytes.
 */
import { parseQuantity } from './quota';
import { isRecord } from './types';

/** What the downward API reads of the pod's metadata. */
export interface PodMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** FormatMap: `key="value"` lines sorted by key, Go-quoted, no newline at the end. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** ExtractFieldPathAsString; undefined for a path it does not support. */
export function extractFieldPathAsString(meta: PodMeta, path: string): string | undefined {
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? meta.labels : meta.annotations)?.[sub[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    default:
      return undefined;
  }
}

/**
 * ExtractContainerResourceValue for `limits.*` and `requests.*`; '' for another resource.
 * `fallback` is what the kubelet puts in for a limit the container does not set (the node's
 * allocatable); kubectl describe has none and reads 0.
 */
export function containerResourceValue(ref: Record<string, unknown>, container: Record<string, unknown> | undefined, fallback?: unknown): string {
  const [kind, name] = String(ref.resource ?? '').split('.');
  if ((kind !== 'limits' && kind !== 'requests') || !name) return '';
  const resources = isRecord(container?.resources) ? container.resources : {};
  const own = isRecord(resources[kind]) ? (resources[kind] as Record<string, unknown>)[name] : undefined;
  const milli = parseQuantity(own ?? (kind === 'limits' ? fallback : undefined) ?? '0') ?? 0;
  return String(Math.ceil(milli / (parseQuantity(ref.divisor ?? '0') || 1000)));
}
