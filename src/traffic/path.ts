/**
 * The path of one request as the «Путь запроса» view lists it: the hops in the order the request
 * met them. The sandbox records hops as they finish (the innermost first: the application answers
 * before its sidecar logs, and that before the caller's proxy), each with the time it started; the
 * path sorts them by start and, of two that started at the same moment (a sidecar inbound and the
 * application it hands the request to), puts the outer one — recorded later — first.
 */
import type { Hop } from '../sandbox/network/traffic';

export function inPathOrder(hops: readonly Hop[]): Hop[] {
  return hops
    .map((h, i) => ({ h, i }))
    .sort((a, b) => a.h.at - b.h.at || b.i - a.i)
    .map((x) => x.h);
}

/** A hop in one line (tests, screen-reader summaries): "wire client→istio-ingressgateway", "proxy gateway istio-ingressgateway". */
export function hopSummary(h: Hop): string {
  if (h.type === 'wire') return `wire ${h.from.kind === 'client' ? 'client' : (h.from.app ?? h.from.name)}→${h.to.app ?? h.to.name}`;
  if (h.type === 'proxy') return `proxy ${h.direction} ${h.proxy.app ?? h.proxy.name}`;
  return `app ${h.pod.app ?? h.pod.name}`;
}
