import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random';
import { hashKeyFor, newLbState, pickEndpoint } from './loadBalancer';
import { isEjected, recordResult, type OutlierState } from './outlierDetection';
import type { LbEndpoint } from './types';

const ep = (ip: string, healthy = true): LbEndpoint => ({ address: ip, port: 9090, healthy, istio: true, labels: {} });
const eps = [ep('10.0.0.1'), ep('10.0.0.2'), ep('10.0.0.3')];

describe('pickEndpoint', () => {
  it('ROUND_ROBIN goes in order and wraps', () => {
    const state = newLbState();
    const picks = Array.from({ length: 5 }, () => pickEndpoint({ endpoints: eps, policy: 'ROUND_ROBIN', state, draw: () => 0 })?.address);
    expect(picks).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.2']);
  });

  it('skips unhealthy endpoints and returns undefined when none is healthy', () => {
    const state = newLbState();
    const mixed = [ep('10.0.0.1', false), ep('10.0.0.2')];
    for (let i = 0; i < 3; i++) expect(pickEndpoint({ endpoints: mixed, policy: 'ROUND_ROBIN', state, draw: () => 0 })?.address).toBe('10.0.0.2');
    expect(pickEndpoint({ endpoints: [ep('a', false)], policy: 'RANDOM', state, draw: () => 0 })).toBeUndefined();
  });

  it.each([
    [0, '10.0.0.1'],
    [0.5, '10.0.0.2'],
    [0.99, '10.0.0.3'],
  ])('RANDOM draw %f → %s', (d, want) => {
    expect(pickEndpoint({ endpoints: eps, policy: 'RANDOM', state: newLbState(), draw: () => d })?.address).toBe(want);
  });

  it('LEAST_REQUEST prefers the less loaded of two random picks', () => {
    const state = newLbState();
    state.active.set('10.0.0.1:9090', 5);
    const draws = [0, 0.5];
    let i = 0;
    expect(pickEndpoint({ endpoints: eps, policy: 'LEAST_REQUEST', state, draw: () => draws[i++] })?.address).toBe('10.0.0.2');
  });

  it('RANDOM spreads evenly over many picks (seeded)', () => {
    const rng = new SeededRandom(3);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) {
      const a = pickEndpoint({ endpoints: eps, policy: 'RANDOM', state: newLbState(), draw: () => rng.next() })!.address;
      counts[a] = (counts[a] ?? 0) + 1;
    }
    for (const c of Object.values(counts)) expect(Math.abs(c - 1000)).toBeLessThan(100);
  });

  it('RING_HASH is sticky per key', () => {
    const state = newLbState();
    const pick = (k: string) => pickEndpoint({ endpoints: eps, policy: 'RING_HASH', state, draw: () => 0, hashKey: k })?.address;
    expect(pick('user-1')).toBe(pick('user-1'));
    const spread = new Set(Array.from({ length: 50 }, (_, i) => pick(`user-${i}`)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it.each([
    [{ httpHeaderName: 'X-User' }, { 'x-user': 'jason' }, '', {}, 'jason'],
    [{ httpCookie: 'session' }, { cookie: 'a=1; session=abc' }, '', {}, 'abc'],
    [{ useSourceIp: true }, {}, '10.1.1.1', {}, '10.1.1.1'],
    [{ httpQueryParameterName: 'u' }, {}, '', { u: '7' }, '7'],
  ])('hashKeyFor %j', (ch, headers, ip, query, want) => {
    expect(hashKeyFor(ch, headers, ip, query)).toBe(want);
  });
});

describe('outlier detection', () => {
  const cfg = { consecutive5xxErrors: 3, intervalMs: 5000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50 };
  it.each<[number[], boolean]>([
    [[503, 503], false],
    [[503, 503, 503], true],
    [[503, 200, 503, 503], false],
    [[500, 502, 504], true],
    [[404, 404, 404], false],
  ])('%j ejects=%s', (codes, want) => {
    const state: OutlierState = new Map();
    codes.forEach((c) => recordResult(state, cfg, 'h', c, 1000, 4));
    expect(isEjected(state, 'h', 1000)).toBe(want);
  });

  it('ejection lasts baseEjectionTime × times ejected', () => {
    const state: OutlierState = new Map();
    for (let i = 0; i < 3; i++) recordResult(state, cfg, 'h', 503, 0, 4);
    expect(isEjected(state, 'h', 29_999)).toBe(true);
    expect(isEjected(state, 'h', 30_000)).toBe(false);
    for (let i = 0; i < 3; i++) recordResult(state, cfg, 'h', 503, 31_000, 4);
    expect(isEjected(state, 'h', 31_000 + 59_999)).toBe(true);
  });

  it('respects maxEjectionPercent', () => {
    const state: OutlierState = new Map();
    for (const h of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) recordResult(state, cfg, h, 503, 0, 4);
    const ejected = ['a', 'b', 'c'].filter((h) => isEjected(state, h, 1));
    expect(ejected.length).toBe(2);
  });
});
