/**
 * Admission: what runs between a write request and the store, in the apiserver's order:
 * mutating plugins (defaulting, ClusterIP allocation, Istio's sidecar injector webhook),
 * then validating plugins (structural checks here; schema validation from src/validation
 * plugs in through `registerValidator`), all before anything is stored, so a rejected
 * object leaves nothing half-applied.
 */
import type { FieldError } from './status';
import type { ResourceKind } from './kinds';
import type { KubeObject } from './types';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: Operation;
  resource: ResourceKind;
  object: KubeObject;
  oldObject?: KubeObject;
  dryRun: boolean;
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

export class AdmissionChain {
  private mutating: MutatingPlugin[] = [];
  private validating: ValidatingPlugin[] = [];

  addMutating(p: MutatingPlugin): void {
    this.mutating.push(p);
  }
  addValidating(p: ValidatingPlugin): void {
    this.validating.push(p);
  }
  registerValidator(name: string, v: SchemaValidator): void {
    this.addValidating({ name, validate: (req) => (req.operation === 'DELETE' ? [] : v(req.object, req.resource)) });
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
