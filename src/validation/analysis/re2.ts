/**
 * Is this a valid RE2 regular expression (the syntax Envoy and istiod use)? re2js is a port of
 * Go's regexp, so the reason reads exactly as istioctl's (`error parsing regexp: missing
 * closing ): \`(abc\``). Returns the reason, or undefined when valid.
 */
import { RE2JS } from 're2js';

export function re2Problem(re: string): string | undefined {
  try {
    RE2JS.compile(re);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
