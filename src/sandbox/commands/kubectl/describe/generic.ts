/** kubectl describe's generic describer (describe.go GenericDescriberFor): used for custom resources and kinds without a describer. */
import { isRecord, type KubeObject } from '../../../api/types';

type R = Record<string, unknown>;
const rec = (v: unknown): R => (isRecord(v) ? v : {});
const arr = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isRecord) : []);

function kv(label: string, value: string, width = 16): string {
  return `${`${label}:`.padEnd(width)}${value}\n`;
}

function mapLines(label: string, m: Record<string, string> | undefined, width = 16): string {
  const e = Object.entries(m ?? {});
  if (e.length === 0) return kv(label, '<none>', width);
  return e.map(([k, v], i) => (i === 0 ? kv(label, `${k}=${v}`, width) : `${''.padEnd(width)}${k}=${v}\n`)).join('');
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function generic(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    return v
      .map((x) => {
        if (isRecord(x)) return generic(x, indent);
        return `${pad}${String(x)}\n`;
      })
      .join('');
  }
  if (isRecord(v)) {
    let out = '';
    for (const [k, x] of Object.entries(v)) {
      if (isRecord(x) || (Array.isArray(x) && x.length && isRecord(x[0]))) out += `${pad}${cap(k)}:\n${generic(x, indent + 2)}`;
      else if (Array.isArray(x)) out += `${pad}${cap(k)}:\n${generic(x, indent + 2)}`;
      else out += `${pad}${cap(k)}:${' '.repeat(Math.max(1, 2))}${String(x)}\n`;
    }
    return out;
  }
  return `${pad}${String(v)}\n`;
}

/** The describer for kinds without their own (custom resources): the object as a nested listing. */
export function describeGeneric(o: KubeObject): string {
  let out = '';
  out += kv('Name', o.metadata.name ?? '', 14);
  if (o.metadata.namespace) out += kv('Namespace', o.metadata.namespace, 14);
  out += mapLines('Labels', o.metadata.labels, 14);
  out += mapLines('Annotations', Object.fromEntries(Object.entries(o.metadata.annotations ?? {}).filter(([k]) => !k.includes('last-applied'))), 14);
  out += kv('API Version', o.apiVersion, 14);
  out += kv('Kind', o.kind, 14);
  out += 'Metadata:\n';
  out += `  Creation Timestamp:  ${o.metadata.creationTimestamp}\n  Generation:          ${o.metadata.generation ?? 1}\n  Resource Version:    ${o.metadata.resourceVersion}\n  UID:                 ${o.metadata.uid}\n`;
  if (o.spec) out += `Spec:\n${generic(o.spec, 2)}`;
  if (o.data) out += `Data\n====\n${Object.entries(rec(o.data)).map(([k, v]) => `${k}:\n----\n${v}\n`).join('\n')}`;
  out += 'Events:  <none>\n';
  return out;
}

