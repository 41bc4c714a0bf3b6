/**
 * metav1.Status: how the apiserver reports failures. Messages follow the apiserver's wording
 * (k8s.io/apimachinery/pkg/api/errors), so kubectl can print them unchanged after
 * "Error from server (Reason): ".
 */
/** '' is a Status without a reason, as an admission webhook's denial comes back. */
export type StatusReason = 'NotFound' | 'AlreadyExists' | 'Invalid' | 'BadRequest' | 'Conflict' | 'MethodNotAllowed' | 'Forbidden' | 'InternalError' | '';

export interface StatusCause {
  reason: string; // FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueTooLong
  message: string;
  field: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
  code: number;
}

export function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

function status(code: number, reason: StatusReason, message: string, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

/** `deployments.apps "x" not found` */
export function notFound(qualifiedResource: string, name: string): Status {
  const [kind, ...g] = qualifiedResource.split('.');
  return status(404, 'NotFound', `${qualifiedResource} "${name}" not found`, { name, group: g.join('.'), kind });
}

/** `deployments.apps "x" already exists` */
export function alreadyExists(qualifiedResource: string, name: string): Status {
  const [kind, ...g] = qualifiedResource.split('.');
  return status(409, 'AlreadyExists', `${qualifiedResource} "${name}" already exists`, { name, group: g.join('.'), kind });
}

export function conflict(qualifiedResource: string, name: string, why: string): Status {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource} "${name}": ${why}`);
}

export function badRequest(message: string): Status {
  return status(400, 'BadRequest', message);
}

export function methodNotAllowed(message: string): Status {
  return status(405, 'MethodNotAllowed', message);
}

export function forbidden(message: string): Status {
  return status(403, 'Forbidden', message);
}

/** apierrors.NewForbidden: `pods "web-1" is forbidden: <why>` (name-less: `pods is forbidden: <why>`). */
export function forbiddenFor(qualifiedResource: string, name: string, why: string): Status {
  const [kind, ...g] = qualifiedResource.split('.');
  return status(403, 'Forbidden', name ? `${qualifiedResource} "${name}" is forbidden: ${why}` : `${qualifiedResource} is forbidden: ${why}`, { name, group: g.join('.'), kind });
}

/** A field error as field.ErrorList formats it: `spec.selector: Required value`. */
export interface FieldError {
  field: string;
  type: 'Required' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'TooLong';
  value?: unknown;
  detail?: string;
  supported?: string[];
}

const CAUSE_REASON: Record<FieldError['type'], string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
};

function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

export function formatFieldError(e: FieldError): string {
  switch (e.type) {
    case 'Required':
      return `${e.field}: Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'Invalid':
      return `${e.field}: Invalid value: ${goValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'NotSupported':
      return `${e.field}: Unsupported value: ${goValue(e.value)}${e.supported ? `: supported values: ${e.supported.map((s) => `"${s}"`).join(', ')}` : ''}`;
    case 'Duplicate':
      return `${e.field}: Duplicate value: ${goValue(e.value)}`;
    case 'Forbidden':
      return `${e.field}: Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'TooLong':
      return `${e.field}: Too long: ${e.detail ?? ''}`;
  }
}

/** `Deployment.apps "x" is invalid: spec.selector: Required value` (several causes are bracketed). */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): Status {
  const gk = group ? `${kind}.${group}` : kind;
  const msgs = errors.map(formatFieldError);
  const agg = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  return status(422, 'Invalid', `${gk} "${name}" is invalid: ${agg}`, {
    name,
    group,
    kind,
    causes: errors.map((e, i) => ({ reason: CAUSE_REASON[e.type], message: msgs[i].slice(e.field.length + 2), field: e.field })),
  });
}
