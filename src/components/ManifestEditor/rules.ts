/** Which diagnostics a learner may silence for one manifest. */
import type {Diagnostic} from '../../validation/types';

/**
 * The `galley.istio.io/analyze-suppress` annotation silences analyzer findings (what
 * `istioctl analyze` reports), never syntax or schema errors, which the apiserver or istiod's
 * webhook rejects whatever the annotation says (IST0106 is the webhook's). The engine honours
 * it the same way, so the button is offered exactly where it works.
 */
export function isSuppressible(d: Pick<Diagnostic, 'code' | 'source'>): boolean {
  return d.source === 'analysis' && d.code !== 'IST0106';
}

export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

/** Codes in an annotation value ("IST0101, prk004" → ["IST0101", "PRK004"]; "*" → ["*"]). */
export function parseCodes(value: string | undefined | null): string[] {
  if (!value) return [];
  const codes = value
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  return [...new Set(codes)];
}

/** Codes silenced on a parsed object, or [] when it has no annotation. */
export function silencedOn(object: unknown): string[] {
  if (typeof object !== 'object' || object === null) return [];
  const metadata = (object as {metadata?: unknown}).metadata;
  if (typeof metadata !== 'object' || metadata === null) return [];
  const annotations = (metadata as {annotations?: unknown}).annotations;
  if (typeof annotations !== 'object' || annotations === null) return [];
  const value = (annotations as Record<string, unknown>)[SUPPRESS_ANNOTATION];
  return typeof value === 'string' ? parseCodes(value) : [];
}
