/**
 * Validation of one object, as the apiserver and istiod's admission webhook would do at
 * `kubectl apply`: type meta, the structural schema, object meta (names, labels) and Istio's
 * own webhook rules that the CRD schema cannot express. Produces findings with paths; the
 * front ends add source ranges (text) or turn them into field errors (sandbox admission).
 */
import type { Args } from './codes';
import { allKinds, apiVersionOf, findKind, rootSchema, versionsOfKind } from './schema/registry';
import { closest, formatPath, isRecord, validateSchema, type SchemaIssue } from './schema/validate';
import type { FieldError, FieldPath, KubeObjectLike, Severity } from './types';
import type { Target } from './yaml/parse';
import { istioWebhookFindings } from './webhook';

export interface Finding {
  code: string;
  path?: FieldPath;
  target?: Target;
  args: Args;
  severity?: Severity;
  /** The same problem as an apiserver field error (schema and webhook findings). */
  fieldError?: FieldError;
}

const TYPE_RU: Record<string, string> = {
  object: 'объектом (вложенными полями)',
  array: 'списком (элементы с дефисом)',
  string: 'строкой',
  integer: 'целым числом',
  number: 'числом',
  boolean: 'логическим значением (true или false)',
  'integer-or-string': 'числом или строкой',
  null: 'пустым',
};

function actualRu(v: unknown, t: string): string {
  switch (t) {
    case 'object':
      return 'объект';
    case 'array':
      return 'список';
    case 'string':
      return `строка ${JSON.stringify(v)}`;
    case 'integer':
    case 'number':
      return `число ${String(v)}`;
    case 'boolean':
      return `логическое значение ${String(v)}`;
    default:
      return t;
  }
}

/** The apiserver quotes the JSON type name for objects and arrays, the value otherwise. */
function actualEn(v: unknown, t: string): string {
  if (t === 'object' || t === 'array') return t;
  if (t === 'integer' || t === 'number') return t;
  return String(v);
}

export function issueToFinding(i: SchemaIssue): Finding {
  const field = formatPath(i.path, i.mapKeys);
  switch (i.kind) {
    case 'unknown':
      return {
        code: 'K8S003',
        path: i.path,
        target: 'key',
        args: { key: i.key, field, suggestion: i.key && i.allowed ? closest(i.key, i.allowed) : undefined },
        fieldError: { field, type: 'Invalid', detail: `unknown field "${field}"` },
      };
    case 'type': {
      const expected = i.expected === 'integer-or-string' ? 'integer or string' : String(i.expected);
      return {
        code: 'K8S004',
        path: i.path,
        target: 'value',
        args: { field, expected, expectedRu: TYPE_RU[i.expected ?? ''] ?? expected, actual: actualEn(i.value, i.actual ?? ''), actualRu: actualRu(i.value, i.actual ?? '') },
        fieldError: { field, type: 'Invalid', value: actualEn(i.value, i.actual ?? ''), detail: `${field} in body must be of type ${expected}: "${actualEn(i.value, i.actual ?? '')}"` },
      };
    }
    case 'required': {
      const full = formatPath([...i.path, i.key!], [...(i.mapKeys ?? []), false]);
      return {
        code: 'K8S005',
        path: i.path,
        target: 'key',
        args: { key: i.key, parent: formatPath(i.path, i.mapKeys) || 'корне объекта', field: full },
        fieldError: { field: full, type: 'Required' },
      };
    }
    case 'enum': {
      const supported = (i.supported ?? []).map(String);
      return {
        code: 'K8S006',
        path: i.path,
        target: 'value',
        args: {
          field,
          value: String(i.value),
          supported: supported.join(', '),
          supportedQuoted: supported.map((s) => JSON.stringify(s)).join(', '),
          suggestion: closest(String(i.value), supported),
        },
        fieldError: { field, type: 'NotSupported', value: i.value, supported },
      };
    }
    case 'range': {
      const low = i.min !== undefined && (i.value as number) < i.min;
      const boundEn = low ? `greater than or equal to ${i.min}` : `less than or equal to ${i.max}`;
      const bound = low ? `не меньше ${i.min}` : `не больше ${i.max}`;
      return {
        code: 'K8S007',
        path: i.path,
        target: 'value',
        args: { field, value: String(i.value), bound, boundEn },
        fieldError: { field, type: 'Invalid', value: i.value, detail: `${field} in body should be ${boundEn}` },
      };
    }
    case 'oneOf': {
      const fields = i.fields ?? [];
      return {
        code: 'K8S008',
        path: i.path,
        target: 'key',
        args: { field: field || 'объекте', fields: fields.join(', '), present: i.present?.length ? i.present.join(', ') : 'ни одного' },
        fieldError: { field, type: 'Invalid', value: 'object', detail: `${field} in body must validate one and only one schema (oneOf)` },
      };
    }
  }
}

// ---------------------------------------------------------------- object meta

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const RU_LABEL = 'только строчные латинские буквы, цифры и «-», в начале и в конце буква или цифра, не длиннее 63 символов';
const RU_1035 = 'только строчные латинские буквы, цифры и «-», начинается с буквы, заканчивается буквой или цифрой, не длиннее 63 символов';
const RU_SUBDOMAIN = 'только строчные латинские буквы, цифры, «-» и «.», в начале и в конце буква или цифра';

function nameProblem(kind: string, name: string): { reason: string; reasonRu: string } | undefined {
  if (kind === 'Namespace') {
    if (name.length > 63 || !DNS1123_LABEL.test(name))
      return {
        reasonRu: RU_LABEL,
        reason: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      };
    return undefined;
  }
  if (kind === 'Service') {
    if (name.length > 63 || !DNS1035_LABEL.test(name))
      return {
        reasonRu: RU_1035,
        reason: `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      };
    return undefined;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    return {
      reasonRu: RU_SUBDOMAIN,
      reason: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    };
  return undefined;
}

function labelFindings(labels: unknown, path: FieldPath): Finding[] {
  if (!isRecord(labels)) return [];
  const out: Finding[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const slash = k.lastIndexOf('/');
    const prefix = slash >= 0 ? k.slice(0, slash) : '';
    const name = slash >= 0 ? k.slice(slash + 1) : k;
    const field = formatPath([...path], []) ;
    if ((prefix && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) || name.length > 63 || !LABEL_NAME.test(name)) {
      const reason = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`;
      out.push({
        code: 'K8S010',
        path: [...path, k],
        target: 'key',
        args: { field, value: k, reason, reasonRu: 'ключ метки: латинские буквы, цифры, «-», «_», «.», в начале и в конце буква или цифра, до 63 символов (префикс — DNS-имя через «/»)' },
        fieldError: { field, type: 'Invalid', value: k, detail: reason },
      });
    }
    if (typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) {
      const reason = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;
      out.push({
        code: 'K8S010',
        path: [...path, k],
        target: 'value',
        args: { field: formatPath([...path, k], [...path.map(() => false), true]), value: v, reason, reasonRu: 'значение метки: пустое или латинские буквы, цифры, «-», «_», «.», в начале и в конце буква или цифра, до 63 символов' },
        fieldError: { field: formatPath([...path, k], [...path.map(() => false), true]), type: 'Invalid', value: v, detail: reason },
      });
    }
  }
  return out;
}

function metaFindings(obj: Record<string, unknown>, kind: string): Finding[] {
  const out: Finding[] = [];
  const meta = obj.metadata;
  if (!isRecord(meta)) {
    out.push({ code: 'K8S005', path: [], target: 'key', args: { key: 'metadata', parent: 'корне объекта', field: 'metadata' }, fieldError: { field: 'metadata', type: 'Required' } });
    return out;
  }
  const name = meta.name;
  if ((name === undefined || name === null || name === '') && !meta.generateName) {
    out.push({
      code: 'K8S005',
      path: ['metadata'],
      target: 'key',
      args: { key: 'name', parent: 'metadata', field: 'metadata.name' },
      fieldError: { field: 'metadata.name', type: 'Required', detail: 'name or generateName is required' },
    });
  } else if (typeof name === 'string') {
    const p = nameProblem(kind, name);
    if (p) out.push({ code: 'K8S009', path: ['metadata', 'name'], target: 'value', args: { field: 'metadata.name', value: name, ...p }, fieldError: { field: 'metadata.name', type: 'Invalid', value: name, detail: p.reason } });
  }
  if (typeof meta.namespace === 'string' && meta.namespace !== '') {
    const p = nameProblem('Namespace', meta.namespace);
    if (p) out.push({ code: 'K8S009', path: ['metadata', 'namespace'], target: 'value', args: { field: 'metadata.namespace', value: meta.namespace, ...p }, fieldError: { field: 'metadata.namespace', type: 'Invalid', value: meta.namespace, detail: p.reason } });
  }
  out.push(...labelFindings(meta.labels, ['metadata', 'labels']));
  const spec = obj.spec;
  if (isRecord(spec)) {
    if (kind === 'Service') out.push(...labelFindings(spec.selector, ['spec', 'selector']));
    if (isRecord(spec.selector)) out.push(...labelFindings(spec.selector.matchLabels, ['spec', 'selector', 'matchLabels']));
    if (isRecord(spec.template) && isRecord(spec.template.metadata)) out.push(...labelFindings(spec.template.metadata.labels, ['spec', 'template', 'metadata', 'labels']));
  }
  return out;
}

/** Deployment/ReplicaSet/StatefulSet/DaemonSet: the selector must select the template (apps validation). */
function selectorFindings(obj: Record<string, unknown>, kind: string): Finding[] {
  if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind)) return [];
  const spec = obj.spec;
  if (!isRecord(spec) || !isRecord(spec.selector) || !isRecord(spec.template)) return [];
  const ml = spec.selector.matchLabels;
  const labels = isRecord(spec.template.metadata) && isRecord(spec.template.metadata.labels) ? spec.template.metadata.labels : {};
  if (!isRecord(ml)) return [];
  const mismatch = Object.entries(ml).some(([k, v]) => labels[k] !== v);
  if (!mismatch) return [];
  return [
    {
      code: 'PRK006',
      path: isRecord(spec.template.metadata) && spec.template.metadata.labels ? ['spec', 'template', 'metadata', 'labels'] : ['spec', 'template'],
      target: 'key',
      args: {},
      fieldError: { field: 'spec.template.metadata.labels', type: 'Invalid', detail: '`selector` does not match template `labels`' },
    },
  ];
}

// ---------------------------------------------------------------- entry point

export interface ObjectCheck {
  findings: Finding[];
  /** The kind is known and the object passed enough checks for analysis to read it. */
  known: boolean;
}

export interface CheckOptions {
  /** Object-meta checks (names, labels) and the apps selector check; default true. */
  objectMeta?: boolean;
  /** istiod's webhook rules (IST0106); default true. */
  webhook?: boolean;
}

export function checkObject(obj: KubeObjectLike, options: CheckOptions = {}): ObjectCheck {
  const findings: Finding[] = [];
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    findings.push({ code: 'K8S001', path: apiVersion === undefined ? [] : ['apiVersion'], target: apiVersion === undefined ? 'key' : 'value', args: { field: 'apiVersion' } });
  }
  if (typeof kind !== 'string' || kind === '') {
    findings.push({ code: 'K8S001', path: kind === undefined ? [] : ['kind'], target: kind === undefined ? 'key' : 'value', args: { field: 'kind' } });
  }
  if (findings.length) return { findings, known: false };
  const entry = findKind(apiVersion as string, kind as string);
  if (!entry) {
    findings.push({ code: 'K8S002', path: ['kind'], target: 'value', args: { kind: kind as string, apiVersion: apiVersion as string, hint: kindHint(apiVersion as string, kind as string) } });
    return { findings, known: false };
  }
  const issues = validateSchema(obj, rootSchema(entry));
  // TypeMeta is checked above; the schemas list it only for editors.
  findings.push(...issues.map(issueToFinding));
  if (options.objectMeta !== false) {
    findings.push(...metaFindings(obj as Record<string, unknown>, entry.kind));
    findings.push(...selectorFindings(obj as Record<string, unknown>, entry.kind));
  }
  if (!issues.length && options.webhook !== false) findings.push(...istioWebhookFindings(obj as Record<string, unknown>));
  return { findings, known: true };
}

function kindHint(apiVersion: string, kind: string): string | undefined {
  const same = versionsOfKind(kind);
  if (same.length) return `${kind} обслуживается в версиях ${same.map(apiVersionOf).join(', ')}`;
  const names = [...new Set(allKinds().map((k) => k.kind))];
  const near = closest(kind, names);
  if (near) {
    const v = versionsOfKind(near).find((k) => apiVersionOf(k) === apiVersion) ?? versionsOfKind(near)[0];
    return `возможно, kind: ${near} (apiVersion: ${apiVersionOf(v)})`;
  }
  return undefined;
}

/** Field errors for the sandbox's admission chain (schema + object meta + Istio webhook rules). */
export function toFieldErrors(findings: Finding[]): FieldError[] {
  return findings.filter((f) => f.fieldError).map((f) => f.fieldError!);
}
