/**
 * How istiod's validating webhook collects and words its findings (istio/istio
 * pkg/config/validation/agent: AppendValidation/AppendErrors over hashicorp/go-multierror).
 * A single error reads as itself; two or more read as go-multierror's list; an error first
 * created with multierror.Append is already a list of one ("1 error occurred: …").
 */
export type FieldPath = Array<string | number>;

export interface IstioIssue {
  /** Where in the object the rule looked (for the editor's marker). */
  path: FieldPath;
  message: string;
  /** Raised through multierror.Append on nothing: a list even when alone. */
  list?: boolean;
}

export interface IstioValidation {
  errors: IstioIssue[];
  warnings: IstioIssue[];
}

export class Findings {
  readonly errors: IstioIssue[] = [];
  readonly warnings: IstioIssue[] = [];
  constructor(readonly base: FieldPath = []) {}

  at(...rel: FieldPath): Findings {
    const f = new Findings([...this.base, ...rel]);
    // share the lists: a child writes into its parent's findings
    (f as { errors: IstioIssue[] }).errors = this.errors;
    (f as { warnings: IstioIssue[] }).warnings = this.warnings;
    return f;
  }

  error(message: string | undefined, ...rel: FieldPath): void {
    if (message !== undefined) this.errors.push({ path: [...this.base, ...rel], message });
  }

  /** multierror.Append(errs, err) where errs may still be nil. */
  listError(message: string, ...rel: FieldPath): void {
    this.errors.push({ path: [...this.base, ...rel], message, list: true });
  }

  warn(message: string | undefined, ...rel: FieldPath): void {
    if (message !== undefined) this.warnings.push({ path: [...this.base, ...rel], message });
  }

  result(): IstioValidation {
    return { errors: this.errors, warnings: this.warnings };
  }
}

/** go-multierror's default ListFormatFunc. */
export function formatErrors(errors: readonly IstioIssue[]): string {
  if (errors.length === 1 && !errors[0].list) return errors[0].message;
  const head = errors.length === 1 ? '1 error occurred:' : `${errors.length} errors occurred:`;
  return `${head}\n${errors.map((e) => `\t* ${e.message}`).join('\n')}\n\n`;
}

/**
 * The Status message the apiserver returns when istiod's webhook denies a request
 * (pkg/webhooks/validation/server: `configuration is invalid: %v`; the apiserver prefixes
 * `admission webhook "<name>" denied the request: `).
 */
export function webhookDenialMessage(errors: readonly IstioIssue[]): string {
  return `admission webhook "validation.istio.io" denied the request: configuration is invalid: ${formatErrors(errors)}`;
}
