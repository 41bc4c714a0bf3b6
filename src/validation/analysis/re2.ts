/**
 * Is this a valid RE2 regular expression (the syntax Envoy and istiod use)? re2js is a port of
 * Go's regexp, so the reason reads exactly as istioctl's (`error parsing regexp: missing
 * closing ): \`(abc\``). Returns the reason, or undefined when valid.
 */
import { RE2JS } from 're2js';

/** Outcomes by pattern (null: valid): a VirtualService may repeat one regex in 5000 routes. */
const outcomes = new Map<string, string | null>();

export function re2Problem(re: string): string | undefined {
  let outcome = outcomes.get(re);
  if (outcome === undefined) {
    try {
      RE2JS.compile(re);
      outcome = null;
    } catch (e) {
      outcome = e instanceof Error ? e.message : String(e);
    }
    if (outcomes.size > 500) outcomes.clear();
    outcomes.set(re, outcome);
  }
  return outcome ?? undefined;
}
