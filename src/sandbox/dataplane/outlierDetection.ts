/**
 * Outlier detection: an endpoint that returns `consecutive5xxErrors` server errors in a row
 * is ejected for baseEjectionTime × (times ejected), unless that would eject more than
 * maxEjectionPercent of the cluster. Pure state transitions over an explicit record.
 */
import type { OutlierDetection } from './types';

export interface OutlierHostState {
  consecutive5xx: number;
  ejectedUntil: number;
  ejections: number;
}

export type OutlierState = Map<string, OutlierHostState>;

export function isEjected(state: OutlierState, key: string, now: number): boolean {
  const s = state.get(key);
  return s !== undefined && s.ejectedUntil > now;
}

/** Records one response from `key`; returns true when this response ejected the host. */
export function recordResult(
  state: OutlierState,
  cfg: OutlierDetection,
  key: string,
  status: number,
  now: number,
  clusterSize: number,
): boolean {
  const s = state.get(key) ?? { consecutive5xx: 0, ejectedUntil: 0, ejections: 0 };
  state.set(key, s);
  if (status < 500) {
    s.consecutive5xx = 0;
    return false;
  }
  s.consecutive5xx++;
  const limit = status >= 502 && status <= 504 && cfg.consecutiveGatewayErrors ? Math.min(cfg.consecutive5xxErrors, cfg.consecutiveGatewayErrors) : cfg.consecutive5xxErrors;
  if (s.consecutive5xx < limit || s.ejectedUntil > now) return false;
  let ejectedNow = 0;
  for (const v of state.values()) if (v.ejectedUntil > now) ejectedNow++;
  const maxEjected = Math.floor((clusterSize * cfg.maxEjectionPercent) / 100);
  // Envoy always allows ejecting at least one host when the percentage permits any.
  if (ejectedNow >= Math.max(maxEjected, cfg.maxEjectionPercent > 0 ? 1 : 0)) return false;
  s.ejections++;
  s.ejectedUntil = now + cfg.baseEjectionTimeMs * s.ejections;
  s.consecutive5xx = 0;
  return true;
}
