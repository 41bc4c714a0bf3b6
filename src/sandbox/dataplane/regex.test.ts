import { describe, expect, it } from 'vitest';
import { fullMatch, replaceAll } from './regex';
import { matchString } from './route';

describe("Envoy's RE2 matching", () => {
  it('matches the whole value', () => {
    expect(fullMatch('v[0-9]+', 'v12')).toBe(true);
    expect(fullMatch('v[0-9]+', '/v12')).toBe(false);
    expect(fullMatch('a|b', 'ab')).toBe(false);
  });

  it('answers for patterns that backtrack catastrophically in JavaScript (issue 16)', () => {
    // (a|a)*$ against 41 "a" and a "!" takes 2^41 steps in a backtracking engine
    expect(fullMatch('(a|a)*$', `${'a'.repeat(41)}!`)).toBe(false);
    expect(fullMatch('(a|a)*$', 'a'.repeat(41))).toBe(true);
    expect(fullMatch('(x+x+)+y', 'x'.repeat(5000))).toBe(false);
    expect(matchString({ regex: '([a-z]+)*[0-9]' }, 'a'.repeat(10_000))).toBe(false);
  });

  it('has no lookaround or back references: such a pattern matches nothing', () => {
    expect(fullMatch('(?=a)a', 'a')).toBe(false);
    expect(fullMatch('(a)\\1', 'aa')).toBe(false);
  });

  it('is case-sensitive even under ignoreUriCase (Envoy ignores case_sensitive for safe_regex)', () => {
    expect(matchString({ regex: '/Items' }, '/items', true)).toBe(false);
    expect(matchString({ prefix: '/Items' }, '/items/1', true)).toBe(true);
  });
});

describe("Envoy's regex_rewrite (RE2::GlobalReplace)", () => {
  it('substitutes groups written \\1 and a backslash written \\\\', () => {
    expect(replaceAll('^/v1/(.*)$', '/v1/users/42', '/api/\\1')).toBe('/api/users/42');
    expect(replaceAll('(o)', '/foo', '\\1\\\\\\0')).toBe('/fo\\oo\\o');
    expect(replaceAll('o', '/foo', '$1$&')).toBe('/f$1$&$1$&');
  });

  it('replaces every match, and no empty match right after a match', () => {
    expect(replaceAll('a*', 'baaac', '-')).toBe('-b-c-');
    expect(replaceAll('/+', '//a///b', '/')).toBe('/a/b');
  });

  it('leaves a pattern that does not compile to the caller', () => {
    expect(replaceAll('(', '/x', 'y')).toBeUndefined();
  });
});
