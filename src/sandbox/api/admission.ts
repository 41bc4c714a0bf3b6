/**
 * Admission: what runs between a write request and the store, in the apiserver's order:
 * mutating plugins (defaulting, ClusterIP allocation, Istio's sidecar injector webhook),
 * then validating plugins (structural checks here; schema validation from src/validation
 * plugs in through `registerValidator`), all before anything is stored, so a rejected
 * object leaves nothing half-applied.
 */
import type { FieldError, Status } from './status';
import type { ResourceKind } from './kinds';
import { isRecord, type KubeObject } from './types';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: Operation;
  resource: ResourceKind;
  object: KubeObject;
  oldObject?: KubeObject;
  dryRun: boolean;
}

/** The spec of a Pod being created, which the pod admission plugins edit; undefined for any other request. */
export function createdPodSpec(req: AdmissionRequest): Record<string, unknown> | undefined {
  return req.operation === 'CREATE' && req.resource.kind === 'Pod' && isRecord(req.object.spec) ? req.object.spec : undefined;
}

/** A mutating plugin edits request.object in place. Returning FieldErrors denies the request. */
export interface MutatingPlugin {
  name: string;
  admit(req: AdmissionRequest): FieldError[] | void;
}

/** A validating plugin only inspects. */
export interface ValidatingPlugin {
  name: string;
  validate(req: AdmissionRequest): FieldError[];
}

/**
 * The hook for the schema validator built in src/validation: it receives the object as the
 * user sent it (after defaulting) and returns field errors worded like the apiserver's
 * (`spec.http[0].route[0].destination.host: Required value`).
 */
export type SchemaValidator = (obj: KubeObject, resource: ResourceKind) => FieldError[];

/**
 * A validating admission webhook (a ValidatingWebhookConfiguration entry): called after the
 * schema checks, for the groups it registered; a denial's message is what the webhook answered.
 */
export interface ValidatingWebhook {
  /** validation.istio.io */
  name: string;
  groups: ReadonlySet<string>;
  /** What the webhook answered: a denial message, and warnings (AdmissionResponse.warnings) either way. */
  review(req: AdmissionRequest): { denied?: string; warnings?: string[] } | undefined;
}

/** The validating webhooks' verdict: the first denial as the apiserver returns it, and every warning. */
export interface WebhookVerdict {
  denied?: Status;
  warnings: string[];
}

/**
 * A plugin that refuses with 403 Forbidden (admission.NewForbidden), as ResourceQuota does: the
 * answer is the reason after `<resource> "<name>" is forbidden: `. Runs last, after the webhooks.
 */
export interface ForbiddingPlugin {
  name: string;
  check(req: AdmissionRequest): string | undefined;
}

export class AdmissionChain {
  private forbidding: ForbiddingPlugin[] = [];
  private mutating: MutatingPlugin[] = [];
  private validating: ValidatingPlugin[] = [];
  private webhooks: ValidatingWebhook[] = [];

  addMutating(p: MutatingPlugin): void {
    this.mutating.push(p);
  }
  addValidating(p: ValidatingPlugin): void {
    this.validating.push(p);
  }
  registerValidator(name: string, v: SchemaValidator): void {
    this.addValidating({ name, validate: (req) => (req.operation === 'DELETE' ? [] : v(req.object, req.resource)) });
  }

  addForbidding(p: ForbiddingPlugin): void {
    this.forbidding.push(p);
  }

  /** The first refusal of a forbidding plugin (ResourceQuota), or undefined. */
  runForbidding(req: AdmissionRequest): string | undefined {
    for (const p of this.forbidding) {
      const why = p.check(req);
      if (why !== undefined) return why;
    }
    return undefined;
  }

  addWebhook(w: ValidatingWebhook): void {
    this.webhooks.push(w);
  }

  /**
   * The validating webhooks, after run() passed: the first denial as the apiserver returns it
   * (k8s.io/apiserver webhookerrors.ToStatusErr: code 400, no reason, the webhook's words after
   * `admission webhook "<name>" denied the request: `). Nothing is stored.
   */
  runWebhooks(req: AdmissionRequest): WebhookVerdict {
    const warnings: string[] = [];
    if (req.operation === 'DELETE') return { warnings };
    for (const w of this.webhooks) {
      if (!w.groups.has(req.resource.group)) continue;
      const answer = w.review(req);
      warnings.push(...(answer?.warnings ?? []));
      if (answer?.denied !== undefined)
        return { warnings, denied: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `admission webhook "${w.name}" denied the request: ${answer.denied}`, reason: '', code: 400 } };
    }
    return { warnings };
  }

  run(req: AdmissionRequest): FieldError[] {
    for (const p of this.mutating) {
      const errs = p.admit(req);
      if (errs && errs.length) return errs;
    }
    const all: FieldError[] = [];
    for (const p of this.validating) all.push(...p.validate(req));
    return all;
  }
}
