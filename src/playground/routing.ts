/**
 * The routing logic of the sandbox, for live code blocks: given a VirtualService (and
 * optionally a DestinationRule) and a request, which rule matches and where the request
 * goes. Computed with the sandbox's own functions: istiod's VirtualService translation and
 * the dataplane's virtual host / route selection, weighted choice and rewrites.
 */
import { resolveShortname } from '../sandbox/controllers/istiod/hosts';
import type { DestinationRuleSpec, VirtualServiceSpec } from '../sandbox/controllers/istiod/istioTypes';
import type { PushContext } from '../sandbox/controllers/istiod/pushContext';
import { translateVirtualService } from '../sandbox/controllers/istiod/virtualService';
import { pickWeighted, rewritePath, selectRoute, selectVirtualHost } from '../sandbox/dataplane/route';
import type { HttpRequest } from '../sandbox/network/http';

export interface PlaygroundRequest {
  host: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
}

export interface PlaygroundDestination {
  host: string;
  subset?: string;
  /** Labels of the subset's pods, from the DestinationRule. */
  labels?: Record<string, string>;
  weight: number;
  /** Share of requests, in percent. */
  percent: number;
  cluster: string;
}

export interface RoutingResult {
  /** Whether the VirtualService applies to the request's host at all. */
  hostMatched: boolean;
  /** Index of the matched http rule in the VirtualService, or -1. */
  ruleIndex: number;
  ruleName?: string;
  kind?: 'route' | 'redirect' | 'direct';
  destinations: PlaygroundDestination[];
  /** The destination a request with this draw in [0,1) gets (weighted choice). */
  chosen?: PlaygroundDestination;
  /** Path sent upstream after rewrites. */
  upstreamPath?: string;
  /** Russian explanation, one line per fact. */
  explanation: string[];
}

const EMPTY_PUSH = { byHost: new Map() } as unknown as PushContext;

export function explainRouting(vs: VirtualServiceSpec, request: PlaygroundRequest, opts: { destinationRule?: DestinationRuleSpec; namespace?: string; draw?: number } = {}): RoutingResult {
  const ns = opts.namespace ?? 'default';
  const authority = request.host;
  const req: HttpRequest = {
    method: request.method ?? 'GET',
    scheme: 'http',
    authority,
    path: request.path ?? '/',
    headers: Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    body: '',
  };
  const domains = (vs.hosts ?? []).flatMap((h) => {
    const fqdn = resolveShortname(h, ns);
    const short = fqdn.endsWith(`.${ns}.svc.cluster.local`) ? fqdn.slice(0, -`.${ns}.svc.cluster.local`.length) : undefined;
    return short ? [fqdn, short, `${short}.${ns}`, `${short}.${ns}.svc`] : [fqdn];
  });
  const routes = translateVirtualService({ name: 'playground', namespace: ns, spec: vs, creationTimestamp: '' }, { push: EMPTY_PUSH, gateways: new Set(['mesh']), proxyLabels: {}, proxyNamespace: ns, port: 80 });
  const vhost = selectVirtualHost([{ name: 'playground', domains, routes }], authority.replace(/:\d+$/, ''));
  const explanation: string[] = [];
  if (!vhost) {
    explanation.push(`Хост «${authority}» не входит в hosts VirtualService (${(vs.hosts ?? []).join(', ') || 'пусто'}): правила не применяются, запрос идёт по маршруту по умолчанию.`);
    return { hostMatched: false, ruleIndex: -1, destinations: [], explanation };
  }
  const route = selectRoute(vhost.routes, req);
  if (!route) {
    explanation.push('Ни одно правило http не подошло: Envoy ответит 404 (флаг NR).');
    return { hostMatched: true, ruleIndex: -1, destinations: [], explanation };
  }
  // the http rule a route came from: routes are emitted in rule order, one per match entry
  const rules = vs.http ?? [];
  let ruleIndex = -1;
  let seen = 0;
  const routeIndex = vhost.routes.indexOf(route);
  for (let i = 0; i < rules.length && ruleIndex < 0; i++) {
    const n = rules[i].match && rules[i].match!.length ? rules[i].match!.length : 1;
    if (routeIndex < seen + n) ruleIndex = i;
    seen += n;
  }
  const ruleName = rules[ruleIndex]?.name;
  explanation.push(`Подошло правило №${ruleIndex + 1}${ruleName ? ` «${ruleName}»` : ''}: правила проверяются сверху вниз, побеждает первое совпавшее.`);
  if (route.action.type === 'redirect') {
    explanation.push(`Envoy сам отвечает перенаправлением ${route.action.responseCode} на ${route.action.pathRedirect ?? req.path}.`);
    return { hostMatched: true, ruleIndex, ruleName, kind: 'redirect', destinations: [], explanation };
  }
  if (route.action.type === 'direct') {
    explanation.push(`Envoy сам отвечает кодом ${route.action.status}.`);
    return { hostMatched: true, ruleIndex, ruleName, kind: 'direct', destinations: [], explanation };
  }
  const action = route.action;
  const total = action.clusters.reduce((s, c) => s + Math.max(0, c.weight), 0);
  const subsets = new Map((opts.destinationRule?.subsets ?? []).map((s) => [s.name, s.labels ?? {}]));
  const destinations = action.clusters.map((c) => {
    const subset = c.cluster.split('|')[2] || undefined;
    return { host: c.host, subset, labels: subset ? subsets.get(subset) : undefined, weight: c.weight, percent: total > 0 ? Math.round((Math.max(0, c.weight) / total) * 1000) / 10 : 0, cluster: c.cluster };
  });
  for (const d of destinations) {
    const where = d.subset ? `subset ${d.subset}${d.labels ? ` (поды с метками ${Object.entries(d.labels).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}` : 'все поды сервиса';
    explanation.push(`${d.percent} % → ${d.host}, ${where}; кластер Envoy ${d.cluster}.`);
    if (d.subset && opts.destinationRule && !d.labels) explanation.push(`Внимание: в DestinationRule нет subset «${d.subset}» — Envoy ответит 503 (NC).`);
  }
  const chosenCluster = pickWeighted(action.clusters, opts.draw ?? 0);
  const chosen = destinations[chosenCluster ? action.clusters.indexOf(chosenCluster) : 0];
  const upstreamPath = rewritePath(req.path, route.match, action.prefixRewrite, action.regexRewrite);
  if (upstreamPath !== req.path) explanation.push(`Путь переписан: ${req.path} → ${upstreamPath}.`);
  return { hostMatched: true, ruleIndex, ruleName, kind: 'route', destinations, chosen, upstreamPath, explanation };
}
