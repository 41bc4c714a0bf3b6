/**
 * Endpoint selection inside a cluster: Envoy's load balancers, as pure functions over
 * explicit state so that tests can drive them with tables.
 */
import type { ConsistentHash, LbEndpoint, LbPolicy } from './types';

export interface LbState {
  /** Round-robin cursor per cluster. */
  rrIndex: number;
  /** Active requests per endpoint address (LEAST_REQUEST). */
  active: Map<string, number>;
}

export function newLbState(): LbState {
  return { rrIndex: 0, active: new Map() };
}

export interface LbInput {
  endpoints: readonly LbEndpoint[];
  policy: LbPolicy;
  state: LbState;
  /** Random draws in [0, 1). */
  draw: () => number;
  hashKey?: string;
}

export function endpointKey(e: LbEndpoint): string {
  return `${e.address}:${e.port}`;
}

/** FNV-1a 32-bit: used for consistent hashing and pod-template-hash. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Picks an endpoint among the healthy ones.
 * - ROUND_ROBIN: in order, one after another.
 * - RANDOM: uniformly.
 * - LEAST_REQUEST: Envoy's "power of two choices": two random picks, the one with fewer active requests.
 * - RING_HASH: a hash ring (Ketama-like); the same key lands on the same endpoint while the set is stable.
 */
export function pickEndpoint(input: LbInput): LbEndpoint | undefined {
  const eps = input.endpoints.filter((e) => e.healthy);
  if (eps.length === 0) return undefined;
  if (eps.length === 1) return eps[0];
  switch (input.policy) {
    case 'ROUND_ROBIN': {
      const e = eps[input.state.rrIndex % eps.length];
      input.state.rrIndex = (input.state.rrIndex + 1) % eps.length;
      return e;
    }
    case 'RANDOM':
      return eps[Math.floor(input.draw() * eps.length)];
    case 'LEAST_REQUEST': {
      const a = eps[Math.floor(input.draw() * eps.length)];
      const b = eps[Math.floor(input.draw() * eps.length)];
      const na = input.state.active.get(endpointKey(a)) ?? 0;
      const nb = input.state.active.get(endpointKey(b)) ?? 0;
      return nb < na ? b : a;
    }
    case 'RING_HASH': {
      if (input.hashKey === undefined) return eps[Math.floor(input.draw() * eps.length)];
      const ring: { h: number; e: LbEndpoint }[] = [];
      for (const e of eps) for (let v = 0; v < 64; v++) ring.push({ h: fnv1a(`${endpointKey(e)}_${v}`), e });
      ring.sort((x, y) => x.h - y.h);
      const h = fnv1a(input.hashKey);
      return (ring.find((r) => r.h >= h) ?? ring[0]).e;
    }
    case 'PASSTHROUGH':
      return eps[0];
  }
}

/** The key a consistent-hash policy hashes for a request, or undefined when it is absent. */
export function hashKeyFor(
  ch: ConsistentHash | undefined,
  headers: Record<string, string>,
  sourceIp: string,
  query: Record<string, string>,
): string | undefined {
  if (!ch) return undefined;
  if (ch.httpHeaderName) return headers[ch.httpHeaderName.toLowerCase()];
  if (ch.httpCookie) {
    const c = headers.cookie ?? '';
    const m = c.split(/;\s*/).find((kv) => kv.startsWith(`${ch.httpCookie}=`));
    return m?.slice(ch.httpCookie.length + 1);
  }
  if (ch.httpQueryParameterName) return query[ch.httpQueryParameterName];
  if (ch.useSourceIp) return sourceIp;
  return undefined;
}
