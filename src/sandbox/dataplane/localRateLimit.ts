/**
 * Envoy's HTTP local rate limit filter (envoy.filters.http.local_ratelimit,
 * envoyproxy/envoy source/extensions/filters/http/local_ratelimit): a token bucket per filter
 * instance (per listener's HTTP connection manager, or per route with typed_per_filter_config),
 * filled by tokens_per_fill every fill_interval up to max_tokens, starting full. A request that
 * finds the bucket empty gets 429 `local_rate_limited`, response flag RL, and the configured
 * response headers; `<stat_prefix>.http_local_rate_limit.{enabled,enforced,rate_limited,ok}` count.
 */

export interface LocalRateLimitConfig {
  statPrefix: string;
  /** Absent: the filter passes everything (it needs a bucket, here or per route). */
  tokenBucket?: { maxTokens: number; tokensPerFill: number; fillIntervalMs: number };
  /** filter_enabled / filter_enforced runtime fractions, in percent (absent → 0: off). */
  enabledPercent: number;
  enforcedPercent: number;
  /** Added to rate-limited responses (response_headers_to_add). */
  responseHeaders: { key: string; value: string; append: boolean }[];
  /** status.code (default 429 Too Many Requests). */
  status: number;
}

export interface TokenBucketState {
  tokens: number;
  /** When the filter was created: fills happen at createdAt + k·fill_interval. */
  createdAt: number;
  lastFill: number;
}

export function newBucket(cfg: NonNullable<LocalRateLimitConfig['tokenBucket']>, now: number): TokenBucketState {
  return { tokens: cfg.maxTokens, createdAt: now, lastFill: now };
}

/** Takes one token if there is one (after the fills due by `now`); false when the bucket is empty. */
export function consume(state: TokenBucketState, cfg: NonNullable<LocalRateLimitConfig['tokenBucket']>, now: number): boolean {
  if (cfg.fillIntervalMs > 0) {
    const fills = Math.floor((now - state.createdAt) / cfg.fillIntervalMs) - Math.floor((state.lastFill - state.createdAt) / cfg.fillIntervalMs);
    if (fills > 0) {
      state.tokens = Math.min(cfg.maxTokens, state.tokens + fills * cfg.tokensPerFill);
      state.lastFill = now;
    }
  }
  if (state.tokens >= 1) {
    state.tokens -= 1;
    return true;
  }
  return false;
}

/** A FractionalPercent { numerator, denominator: HUNDRED | TEN_THOUSAND | MILLION } as a percentage. */
export function fractionPercent(v: unknown): number {
  if (!v || typeof v !== 'object') return 0;
  const dv = (v as { default_value?: unknown; defaultValue?: unknown }).default_value ?? (v as { defaultValue?: unknown }).defaultValue;
  if (!dv || typeof dv !== 'object') return 0;
  const n = Number((dv as { numerator?: unknown }).numerator ?? 0);
  const d = String((dv as { denominator?: unknown }).denominator ?? 'HUNDRED');
  return d === 'MILLION' ? n / 10_000 : d === 'TEN_THOUSAND' ? n / 100 : n;
}
