/** Pieces every describer shares (kubectl/pkg/describe/describe.go): labels, annotations, tolerations, events, times. */
import { isRecord, type KubeObject } from '../../../api/types';
import { humanDuration } from '../../../core/clock';
import type { PrefixWriter } from './tabwriter';

export type R = Record<string, unknown>;
export const rec = (v: unknown): R => (isRecord(v) ? v : {});
export const arr = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isRecord) : []);
export const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Go's time.RFC1123Z in UTC: "Wed, 15 Jan 2025 10:00:00 +0000". */
export function rfc1123z(iso: unknown): string {
  const t = Date.parse(str(iso));
  if (Number.isNaN(t)) return '<unknown>';
  return new Date(t).toUTCString().replace('GMT', '+0000');
}

/** translateTimestampSince: "<unknown>" for a zero time. */
export function since(iso: unknown, now: number): string {
  const t = Date.parse(str(iso));
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** The annotation kubectl never shows (skipAnnotations). */
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

/** printLabelsMultilineWithIndent: "Title:\tk=v" then "\tk=v" per further label, sorted. */
export function printLabels(w: PrefixWriter, title: string, labels: unknown, initialIndent = '', innerIndent = '\t'): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const m = rec(labels);
  const keys = Object.keys(m).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${initialIndent}${innerIndent}`);
    w.write(0, `${k}=${str(m[k])}\n`);
  });
}

/** printAnnotationsMultiline: "key: value", long or multi-line values on their own lines, cut at 138 characters. */
export function printAnnotations(w: PrefixWriter, title: string, annotations: unknown): void {
  w.write(0, `${title}:\t`);
  const m = rec(annotations);
  const keys = Object.keys(m)
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = str(m[k]).replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

/** printTolerationsMultilineWithIndent. */
export function printTolerations(w: PrefixWriter, title: string, tolerations: unknown, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const ts = [...arr(tolerations)].sort((a, b) => (str(a.key) < str(b.key) ? -1 : str(a.key) > str(b.key) ? 1 : 0));
  if (ts.length === 0) {
    w.writeLine('<none>');
    return;
  }
  ts.forEach((t, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    let s = str(t.key);
    if (t.value) s += `=${str(t.value)}`;
    if (t.effect) s += `:${str(t.effect)}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${s}\n`);
  });
}

/** searchEvents: the events about an object (by name, namespace and uid; kind too unless a Pod). */
export function eventsFor(all: readonly KubeObject[], o: KubeObject, withKind: boolean): KubeObject[] {
  return all.filter((e) => {
    const io = rec(e.involvedObject);
    return io.name === o.metadata.name && (io.namespace ?? '') === (o.metadata.namespace ?? '') && io.uid === o.metadata.uid && (!withKind || io.kind === o.kind);
  });
}

/** DescribeEvents: its own table (the writer is flushed first), sorted by last time (a stable sort). */
export function describeEvents(w: PrefixWriter, events: KubeObject[], now: number): void {
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const time = (e: KubeObject): number => {
    const series = rec(e.series);
    const t = Date.parse(str(series.lastObservedTime ?? e.lastTimestamp ?? e.eventTime));
    return Number.isNaN(t) ? 0 : t;
  };
  const sorted = [...events].sort((a, b) => time(a) - time(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    const series = rec(e.series);
    let interval = first;
    if (e.series) interval = `${since(series.lastObservedTime, now)} (x${str(series.count)} over ${first})`;
    else if (Number(e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${str(e.count)} over ${first})`;
    const source = str(rec(e.source).component) || str(e.reportingComponent);
    const fieldPath = str(rec(e.involvedObject).fieldPath);
    const message = `${fieldPath ? `${fieldPath}: ` : ''}${str(e.message).trim()}`;
    w.write(1, `${str(e.type)}\t${str(e.reason)}\t${interval}\t${source}\t${message}\n`);
  }
}

/** labels.FormatLabels / metav1.FormatLabelSelector. */
export function formatLabels(m: unknown): string {
  const e = Object.entries(rec(m)).sort(([a], [b]) => (a < b ? -1 : 1));
  return e.length ? e.map(([k, v]) => `${k}=${str(v)}`).join(',') : '<none>';
}

export function formatSelector(sel: unknown): string {
  const s = rec(sel);
  const parts = Object.entries(rec(s.matchLabels))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${str(v)}`);
  for (const ex of arr(s.matchExpressions)) {
    const vals = (Array.isArray(ex.values) ? ex.values.map(String) : []).sort().join(',');
    if (ex.operator === 'In') parts.push(`${str(ex.key)} in (${vals})`);
    else if (ex.operator === 'NotIn') parts.push(`${str(ex.key)} notin (${vals})`);
    else if (ex.operator === 'Exists') parts.push(str(ex.key));
    else if (ex.operator === 'DoesNotExist') parts.push(`!${str(ex.key)}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}
