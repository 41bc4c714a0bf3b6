/**
 * VirtualService → Envoy routes, as pilot/pkg/networking/core/route does it:
 * each HTTPRoute becomes one Envoy route per match (a route without match matches "/"),
 * matches on gateways, sourceLabels and port are decided here, at compile time, for the
 * proxy being configured; destinations become weighted clusters named
 * outbound|<port>|<subset>|<host>.
 */
import { matches, fromMap } from '../../api/labels';
import type { HeaderOps, Route, RouteAction, StringMatch, WeightedCluster } from '../../dataplane/types';
import { resolveGatewayRef, resolveShortname } from './hosts';
import type { Destination, HeaderOperations, HTTPMatchRequest, HTTPRoute, StringMatchSpec, VirtualServiceSpec } from './istioTypes';
import { parseDuration } from './istioTypes';
import type { Config, PushContext } from './pushContext';

/**
 * Istio's default retry policy for HTTP routes (istio/istio pilot/pkg/networking/core/route/retry/retry.go,
 * defaultPolicy): 2 retries on connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes.
 * Since 1.24 EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY defaults to true (pilot/pkg/features), so no status code
 * is retriable: an application's 503 reaches the caller.
 */
export const DEFAULT_RETRY = { attempts: 2, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'], retriableStatusCodes: [] as number[] };

/**
 * retryOn as Istio's parseRetryOn splits it: numbers that are HTTP status codes become
 * retriable_status_codes (and `retriable-status-codes` is added when missing), the rest are Envoy policies.
 */
export function parseRetryOn(retryOn: string): { retryOn: string[]; retriableStatusCodes: number[] } {
  const codes: number[] = [];
  const policies: string[] = [];
  for (const raw of retryOn.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    if (/^\d+$/.test(part) && Number(part) >= 100 && Number(part) < 600) codes.push(Number(part));
    else policies.push(part);
  }
  if (codes.length && !policies.includes('retriable-status-codes')) policies.push('retriable-status-codes');
  return { retryOn: policies, retriableStatusCodes: codes };
}

export interface RouteContext {
  push: PushContext;
  /** "mesh" for sidecars, or the set of "ns/name" gateways this listener serves. */
  gateways: Set<string>;
  proxyLabels: Record<string, string>;
  proxyNamespace: string;
  /** The service port (sidecar) or gateway server port the virtual host is built for. */
  port: number;
}

export function toStringMatch(m: StringMatchSpec | undefined): StringMatch | undefined {
  if (!m) return undefined;
  if (m.exact !== undefined) return { exact: m.exact };
  if (m.prefix !== undefined) return { prefix: m.prefix };
  if (m.regex !== undefined) return { regex: m.regex };
  return undefined;
}

function headerOps(h: HeaderOperations | undefined): HeaderOps | undefined {
  if (!h) return undefined;
  return { set: h.set, add: h.add, remove: h.remove };
}

export function clusterName(direction: 'outbound' | 'inbound', port: number, subset: string | undefined, host: string): string {
  return `${direction}|${port}|${subset ?? ''}|${host}`;
}

/** The cluster a destination names; the port defaults to the service's only port. */
export function destinationCluster(d: Destination | undefined, vsNamespace: string, push: PushContext, fallbackPort: number): { cluster: string; host: string } {
  const host = resolveShortname(d?.host ?? '', vsNamespace);
  let port = d?.port?.number;
  if (port === undefined) {
    const svc = push.byHost.get(host);
    port = svc && svc.ports.length >= 1 ? svc.ports[0].port : fallbackPort;
  }
  return { cluster: clusterName('outbound', port, d?.subset, host), host };
}

/** Whether a match block applies to this proxy (gateways, sourceLabels, port, sourceNamespace). */
export function matchAppliesToProxy(m: HTTPMatchRequest, vsNamespace: string, ctx: RouteContext): boolean {
  if (m.gateways && m.gateways.length) {
    if (!m.gateways.some((g) => ctx.gateways.has(resolveGatewayRef(g, vsNamespace)))) return false;
  }
  if (m.sourceLabels && !matches(ctx.proxyLabels, fromMap(m.sourceLabels))) return false;
  if (m.sourceNamespace && m.sourceNamespace !== ctx.proxyNamespace) return false;
  if (m.port !== undefined && m.port !== ctx.port) return false;
  return true;
}

function translateAction(r: HTTPRoute, vs: Config<VirtualServiceSpec>, ctx: RouteContext): Route['action'] {
  if (r.directResponse) {
    const body = r.directResponse.body?.string ?? (r.directResponse.body?.bytes ? atob(r.directResponse.body.bytes) : undefined);
    return { type: 'direct', status: r.directResponse.status ?? 200, body };
  }
  if (r.redirect) {
    return {
      type: 'redirect',
      pathRedirect: r.redirect.uri,
      hostRedirect: r.redirect.authority,
      schemeRedirect: r.redirect.scheme,
      portRedirect: r.redirect.port,
      responseCode: r.redirect.redirectCode ?? 301,
    };
  }
  const dests = r.route ?? [];
  const clusters: WeightedCluster[] = dests.map((d) => {
    const { cluster, host } = destinationCluster(d.destination, vs.namespace, ctx.push, ctx.port);
    return {
      cluster,
      host,
      // A single destination without weight gets 100; several without weights share nothing (Istio requires them to sum to 100).
      weight: d.weight ?? (dests.length === 1 ? 100 : 0),
      requestHeaders: headerOps(d.headers?.request),
      responseHeaders: headerOps(d.headers?.response),
    };
  });
  const action: RouteAction = {
    type: 'route',
    clusters,
    timeoutMs: parseDuration(r.timeout) ?? 0,
    retry: r.retries
      ? r.retries.attempts === 0
        ? undefined
        : {
            attempts: r.retries.attempts ?? 2,
            perTryTimeoutMs: parseDuration(r.retries.perTryTimeout),
            ...(r.retries.retryOn ? parseRetryOn(r.retries.retryOn) : { retryOn: DEFAULT_RETRY.retryOn, retriableStatusCodes: [] }),
          }
      : { ...DEFAULT_RETRY },
  };
  if (r.rewrite?.uri !== undefined) action.prefixRewrite = r.rewrite.uri;
  if (r.rewrite?.uriRegexRewrite?.match !== undefined)
    action.regexRewrite = { pattern: r.rewrite.uriRegexRewrite.match, substitution: r.rewrite.uriRegexRewrite.rewrite ?? '' };
  if (r.rewrite?.authority) action.hostRewrite = r.rewrite.authority;
  if (r.mirror)
    action.mirror = { cluster: destinationCluster(r.mirror, vs.namespace, ctx.push, ctx.port).cluster, percentage: r.mirrorPercentage?.value ?? 100 };
  return action;
}

function translateMatch(m: HTTPMatchRequest | undefined): Route['match'] {
  const headers: Route['match']['headers'] = [];
  const queryParams: Route['match']['queryParams'] = [];
  if (m) {
    for (const [name, sm] of Object.entries(m.headers ?? {})) headers.push({ name, match: toStringMatch(sm) });
    for (const [name, sm] of Object.entries(m.withoutHeaders ?? {})) headers.push({ name, match: toStringMatch(sm), invert: true });
    if (m.method) headers.push({ name: ':method', match: toStringMatch(m.method) });
    if (m.authority) headers.push({ name: ':authority', match: toStringMatch(m.authority) });
    if (m.scheme) headers.push({ name: ':scheme', match: toStringMatch(m.scheme) });
    for (const [name, sm] of Object.entries(m.queryParams ?? {})) queryParams.push({ name, match: toStringMatch(sm) });
  }
  return { path: toStringMatch(m?.uri), ignoreUriCase: m?.ignoreUriCase, headers, queryParams };
}

/** Translates the http section of a VirtualService into Envoy routes for one proxy and port. */
export function translateVirtualService(vs: Config<VirtualServiceSpec>, ctx: RouteContext): Route[] {
  const out: Route[] = [];
  let rule = -1;
  for (const r of vs.spec.http ?? []) {
    rule++;
    const action = translateAction(r, vs, ctx);
    const fault = r.fault
      ? {
          delay: r.fault.delay
            ? { fixedDelayMs: parseDuration(r.fault.delay.fixedDelay) ?? 0, percentage: r.fault.delay.percentage?.value ?? r.fault.delay.percent ?? 100 }
            : undefined,
          abort: r.fault.abort ? { httpStatus: r.fault.abort.httpStatus ?? 500, percentage: r.fault.abort.percentage?.value ?? 100 } : undefined,
        }
      : undefined;
    const base = {
      action,
      requestHeaders: headerOps(r.headers?.request),
      responseHeaders: headerOps(r.headers?.response),
      fault,
      origin: `${vs.namespace}/${vs.name}`,
      rule,
    };
    const ms = r.match && r.match.length ? r.match : [undefined];
    for (const m of ms) {
      if (m && !matchAppliesToProxy(m, vs.namespace, ctx)) continue;
      const name = r.name ? (m?.name ? `${r.name}.${m.name}` : r.name) : m?.name;
      out.push({ ...base, name, match: translateMatch(m) });
    }
    // A route without match catches everything: later routes are unreachable, as in Envoy.
  }
  return out;
}

/** The route Istio generates for a service without a VirtualService. */
export function defaultRoute(cluster: string, host: string): Route {
  return {
    name: 'default',
    match: { path: { prefix: '/' }, headers: [], queryParams: [] },
    action: { type: 'route', clusters: [{ cluster, host, weight: 100 }], timeoutMs: 0, retry: { ...DEFAULT_RETRY } },
  };
}
