import { describe, expect, it } from 'vitest';
import { envoyFilterSupport, parseLocalRateLimit } from '../controllers/istiod/envoyFilter';
import { consume, fractionPercent, newBucket } from './localRateLimit';

describe('local rate limit token bucket', () => {
  const cfg = { maxTokens: 3, tokensPerFill: 2, fillIntervalMs: 1000 };
  it.each<[string, number[], boolean[]]>([
    ['starts full, then empty', [0, 0, 0, 0], [true, true, true, false]],
    ['fills tokens_per_fill per interval', [0, 0, 0, 1000, 1000, 1000], [true, true, true, true, true, false]],
    ['never above max_tokens', [0, 5000, 5000, 5000, 5000], [true, true, true, true, false]],
    ['fills on interval boundaries from creation', [0, 0, 0, 999, 1001], [true, true, true, false, true]],
  ])('%s', (_n, times, want) => {
    const b = newBucket(cfg, 0);
    expect(times.map((t) => consume(b, cfg, t))).toEqual(want);
  });

  it.each([
    [{ default_value: { numerator: 100, denominator: 'HUNDRED' } }, 100],
    [{ default_value: { numerator: 5000, denominator: 'TEN_THOUSAND' } }, 50],
    [{ default_value: { numerator: 10 } }, 10],
    [undefined, 0],
  ])('fraction %j → %d%%', (v, want) => expect(fractionPercent(v)).toBe(want));

  it('reads the LocalRateLimit fields', () => {
    expect(parseLocalRateLimit({ stat_prefix: 'p', token_bucket: { max_tokens: 4, fill_interval: '1m' }, response_headers_to_add: [{ append: false, header: { key: 'X-A', value: 'b' } }], status: { code: 503 } })).toEqual({
      statPrefix: 'p',
      tokenBucket: { maxTokens: 4, tokensPerFill: 1, fillIntervalMs: 60_000 },
      enabledPercent: 0,
      enforcedPercent: 0,
      responseHeaders: [{ key: 'x-a', value: 'b', append: false }],
      status: 503,
    });
  });
});

describe('EnvoyFilter patches the sandbox executes', () => {
  const lrl = { '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit', stat_prefix: 'x' };
  it.each<[string, Record<string, unknown>, boolean]>([
    ['HTTP_FILTER local_ratelimit', { applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.local_ratelimit', typed_config: lrl } } }, true],
    ['HTTP_ROUTE per-filter config', { applyTo: 'HTTP_ROUTE', patch: { operation: 'MERGE', value: { typed_per_filter_config: { 'envoy.filters.http.local_ratelimit': lrl } } } }, true],
    ['global ratelimit filter', { applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.ratelimit', typed_config: {} } } }, false],
    ['Lua filter', { applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.lua' } } }, false],
    ['CLUSTER add', { applyTo: 'CLUSTER', patch: { operation: 'ADD', value: { name: 'rate_limit_cluster' } } }, false],
  ])('%s', (_n, patch, supported) => {
    const [s] = envoyFilterSupport({ configPatches: [patch] });
    expect(s.supported).toBe(supported);
    if (!supported) expect(s.reason).toMatch(/^патч 0 \(.+\) сохранён, но не выполняется: Envoy песочницы выполняет только локальное ограничение частоты запросов/);
  });
});
