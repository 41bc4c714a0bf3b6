/**
 * Envoy's regular expressions (`safe_regex`, Google RE2) for route matching and
 * `regex_rewrite`, on re2js: matching takes time linear in the input whatever the pattern, so a
 * VirtualService header regex like `(a|a)*$` cannot hang the sandbox. Patterns the admission
 * webhook refuses (invalid RE2 syntax, see src/istio/validation/common.ts) never reach here from
 * a learner; a pattern that does not compile matches nothing, as Envoy rejects such a config.
 */
import { RE2JS } from 're2js';

const compiled = new Map<string, RE2JS | null>();

function compile(pattern: string): RE2JS | null {
  let re = compiled.get(pattern);
  if (re !== undefined) return re;
  try {
    re = RE2JS.compile(pattern);
  } catch {
    re = null;
  }
  if (compiled.size > 500) compiled.clear();
  compiled.set(pattern, re);
  return re;
}

/**
 * Full-string match, as Envoy's RegexMatcher (RE2::FullMatch; envoy source/common/common/regex.cc,
 * CompiledGoogleReMatcher::match). Case sensitivity options do not apply to a regex: Envoy's
 * RouteMatch.case_sensitive and StringMatcher.ignore_case are ignored for safe_regex
 * (envoy api/envoy/config/route/v3/route_components.proto, api/envoy/type/matcher/v3/string.proto).
 */
export function fullMatch(pattern: string, value: string): boolean {
  const re = compile(pattern);
  return re !== null && re.matches(value);
}

/**
 * RE2::GlobalReplace, as Envoy's regex_rewrite: every non-overlapping match replaced by the
 * substitution, where `\0`…`\9` insert a capture group and `\\` a backslash
 * (envoy source/common/common/regex.cc, CompiledGoogleReMatcher::replaceAll). Undefined when the
 * pattern does not compile.
 */
export function replaceAll(pattern: string, value: string, substitution: string): string | undefined {
  const re = compile(pattern);
  if (re === null) return undefined;
  const m = re.matcher(value);
  let out = '';
  let last = 0;
  let from = 0;
  let previousEnd = -1;
  while (from <= value.length && m.find(from)) {
    const start = m.start();
    const end = m.end();
    if (end === start && start === previousEnd) {
      // RE2 allows no empty match right after the previous match: it moves on one character
      from = start + 1;
      continue;
    }
    out += value.slice(last, start);
    for (let i = 0; i < substitution.length; i++) {
      const c = substitution[i];
      const n = substitution[i + 1];
      if (c === '\\' && n !== undefined && n >= '0' && n <= '9') {
        out += Number(n) <= m.groupCount() ? (m.group(Number(n)) ?? '') : '';
        i++;
      } else if (c === '\\' && n === '\\') {
        out += '\\';
        i++;
      } else out += c;
    }
    last = end;
    previousEnd = end;
    from = end === start ? end + 1 : end;
  }
  return out + value.slice(Math.min(last, value.length));
}
