import { describe, expect, it } from 'vitest';
import { fromLabelSelector, matches, parseSelector } from './labels';

describe('label selectors', () => {
  const labels = { app: 'web', version: 'v1', tier: 'front' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['app=web,version=v1', true],
    ['app=web,version=v2', false],
    ['version in (v1,v2)', true],
    ['version notin (v1)', false],
    ['tier', true],
    ['!canary', true],
    ['!tier', false],
  ])('%j matches=%s', (sel, want) => {
    expect(matches(labels, parseSelector(sel))).toBe(want);
  });

  it('reads matchLabels and matchExpressions', () => {
    const reqs = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'version', operator: 'In', values: ['v1', 'v3'] }] });
    expect(matches(labels, reqs)).toBe(true);
    expect(matches({ app: 'web', version: 'v2' }, reqs)).toBe(false);
  });

  it('rejects malformed selectors', () => {
    expect(() => parseSelector('a=b=c')).toThrow();
  });
});
