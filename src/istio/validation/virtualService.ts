/**
 * ValidateVirtualService and its HTTP/TCP/TLS route checks (istio/istio
 * pkg/config/validation/validation.go and virtualservice.go), in the order Istio runs them.
 */
import { duplicateHostPairs, hostSubsetOf } from '../hosts';
import {
  arr,
  durationFieldProblem,
  fqdnProblem,
  goFixed,
  headerNameProblem,
  ipSubnetProblem,
  isDNS1123Label,
  isIP,
  isRecord,
  num,
  percentageProblem,
  portProblem,
  quote,
  regexProblem,
  str,
  subsetNameProblem,
  validateLabels,
  wildcardDomainProblem,
} from './common';
import type { Findings } from './errors';

type R = Record<string, unknown>;

const MAX_DUPLICATE_HOST_ERRORS = 100;

/** Envoy's retry-on policies istiod accepts (validation.go supportedRetryOnPolicies). */
export const SUPPORTED_RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream', 'retriable-status-codes',
  'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

/** Codes Go's http.StatusText knows (a retryOn entry may be one of them). */
const HTTP_STATUS_TEXT = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409,
  410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

const SUPPORTED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE']);

const isGateway = (gateways: string[]): boolean => !gateways.includes('mesh');

export function validateVirtualService(f: Findings, spec: R): void {
  const hosts = arr(spec.hosts).map(str);
  const gateways = arr(spec.gateways).map(str);
  const http = arr(spec.http);
  const tcp = arr(spec.tcp);
  const tls = arr(spec.tls);
  const delegate = hosts.length === 0;
  if (delegate) {
    if (gateways.length) f.error('delegate virtual service must have no gateways specified', 'spec', 'gateways');
    if (tls.length) f.error('delegate virtual service must have no tls route specified', 'spec', 'tls');
    if (tcp.length) f.error('delegate virtual service must have no tcp route specified', 'spec', 'tcp');
  }
  let appliesToMesh = gateways.length === 0;
  let appliesToGateway = false;
  if (gateways.length) {
    validateGatewayNames(f, gateways, 'spec', 'gateways');
    appliesToGateway = isGateway(gateways);
    appliesToMesh = !appliesToGateway;
  }
  const sni = tls.some((t) => isRecord(t) && arr(t.match).some((m) => isRecord(m) && arr(m.sniHosts).length > 0));
  let allHostsValid = true;
  hosts.forEach((h, i) => {
    const err = appliesToGateway ? gatewayBoundDomainProblem(sni, h) : wildcardDomainProblem(h);
    if (err) {
      if (!isIP(h)) {
        f.error(err, 'spec', 'hosts', i);
        allHostsValid = false;
      }
    } else if (appliesToMesh && h === '*') {
      f.error('wildcard host * is not allowed for virtual services bound to the mesh gateway', 'spec', 'hosts', i);
      allHostsValid = false;
    }
  });
  if (allHostsValid) {
    // Istio reports every pair; the sandbox stops at MAX_DUPLICATE_HOST_ERRORS (50 000 copies of
    // one host would be 1.25 billion messages: a real webhook call times out long before)
    for (const [i, j] of duplicateHostPairs(hosts, MAX_DUPLICATE_HOST_ERRORS)) f.error(`duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`, 'spec', 'hosts', j);
  }
  if (!http.length && !tcp.length && !tls.length) f.error('http, tcp or tls must be provided in virtual service', 'spec');
  http.forEach((h, i) => {
    if (!isRecord(h)) f.error('http route may not be null', 'spec', 'http', i);
    else validateHTTPRoute(f.at('spec', 'http', i), h, delegate);
  });
  tls.forEach((t, i) => {
    if (isRecord(t)) validateTLSRoute(f.at('spec', 'tls', i), t, hosts, gateways);
  });
  tcp.forEach((t, i) => {
    if (isRecord(t)) validateTCPRoute(f.at('spec', 'tcp', i), t);
  });
  validateExportTo(f, arr(spec.exportTo).map(str), false, 'spec', 'exportTo');
  analyzeUnreachableHTTPRules(f, http);
}

function gatewayBoundDomainProblem(sni: boolean, domain: string): string | undefined {
  const first = domain.split('.')[0];
  if (sni && first === 'outbound_') return /outbound_.([0-8].*).*/.test(domain) ? undefined : `domain name ${quote(domain)} invalid (label ${quote(first)} invalid)`;
  return wildcardDomainProblem(domain);
}

/** validateGatewayNames */
export function validateGatewayNames(f: Findings, names: string[], ...rel: Array<string | number>): void {
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const parts = name.split('.');
        f.warn(`using legacy gatewayName format ${quote(name)}; prefer the <namespace>/<name> format: ${quote(`${parts[1]}/${parts[0]}`)}`, ...rel, i);
      }
      f.error(fqdnProblem(name), ...rel, i);
      return; // Istio returns after the first name without a namespace
    }
    const [ns, gw] = [name.slice(0, slash), name.slice(slash + 1)];
    if (!ns || !gw) f.error('config namespace and gateway name cannot be empty', ...rel, i);
    if (!isDNS1123Label(ns)) f.error(`invalid value for namespace: ${quote(ns)}`, ...rel, i);
    if (!isDNS1123Label(gw)) f.error(`invalid value for gateway name: ${quote(gw)}`, ...rel, i);
  }
}

function validateHTTPRoute(f: Findings, h: R, delegate: boolean): void {
  // validateHTTPRouteConflict
  const routes = arr(h.route);
  if (h.redirect !== undefined) {
    if (routes.length) f.error('HTTP route cannot contain both route and redirect', 'redirect');
    if (h.fault !== undefined) f.error('HTTP route cannot contain both fault and redirect', 'fault');
    if (h.rewrite !== undefined) f.error('HTTP route rule cannot contain both rewrite and redirect', 'rewrite');
    if (h.directResponse !== undefined) f.error('HTTP route cannot contain both redirect and direct_response', 'directResponse');
  } else if (h.directResponse !== undefined) {
    if (routes.length) f.error('HTTP route cannot contain both route and direct_response', 'directResponse');
    if (h.fault !== undefined) f.error('HTTP route cannot contain both fault and direct_response', 'fault');
    if (h.rewrite !== undefined) f.error('HTTP route rule cannot contain both rewrite and direct_response', 'rewrite');
  } else if (!routes.length && h.delegate === undefined) {
    f.error('HTTP route, redirect or direct_response is required');
  }
  // validateHTTPRouteMatchRequest
  arr(h.match).forEach((m, i) => {
    if (!isRecord(m)) return;
    const at = f.at('match', i);
    for (const [name, sm] of Object.entries(isRecord(m.headers) ? m.headers : {})) {
      if (sm === null) at.error(`header match ${name} cannot be null`, 'headers', name);
      if (!name.startsWith('@request.auth.claims')) at.error(headerNameProblem(name), 'headers', name);
      if (!delegate) at.error(stringMatchRegex(sm, 'headers'), 'headers', name);
      else if (isRecord(sm) && sm.regex !== undefined) at.error(`header match ${name} does not support regex match for delegating`, 'headers', name);
    }
    for (const field of ['uri', 'scheme', 'method', 'authority'] as const) {
      if (!delegate) at.error(stringMatchRegex(m[field], field), field);
      else if (isRecord(m[field]) && (m[field] as R).regex !== undefined) at.error(`${field === 'uri' ? 'url' : field} match does not support regex match for delegating`, field);
    }
    for (const [name, sm] of Object.entries(isRecord(m.queryParams) ? m.queryParams : {})) {
      if (!delegate) at.error(stringMatchRegex(sm, 'queryParams'), 'queryParams', name);
    }
    for (const [name, sm] of Object.entries(isRecord(m.withoutHeaders) ? m.withoutHeaders : {})) {
      if (sm === null) at.error(`withoutHeaders match ${name} cannot be null`, 'withoutHeaders', name);
      if (!name.startsWith('@request.auth.claims')) at.error(headerNameProblem(name), 'withoutHeaders', name);
    }
    if (num(m.port) !== 0) at.error(portProblem(num(m.port)), 'port');
    validateLabels(at, m.sourceLabels, 'sourceLabels');
    validateGatewayNames(at, arr(m.gateways).map(str), 'gateways');
    if (typeof m.sourceNamespace === 'string' && m.sourceNamespace !== '' && !isDNS1123Label(m.sourceNamespace))
      at.error(`sourceNamespace match ${m.sourceNamespace} is invalid`, 'sourceNamespace');
  });
  // header manipulation
  headerOperations(f, h.headers, 'headers');
  validateCORSPolicy(f, h.corsPolicy);
  validateFault(f, h.fault);
  if (isRecord(h.mirrorPercentage)) {
    const v = num(h.mirrorPercentage.value);
    if (v > 100) f.error(`mirror_percentage must have a max value of 100 (it has ${goFixed(v)})`, 'mirrorPercentage', 'value');
    if (v < 0) f.error(`mirror_percentage must have a min value of 0 (it has ${goFixed(v)})`, 'mirrorPercentage', 'value');
  }
  if (h.mirrorPercent !== undefined) {
    const v = num(h.mirrorPercent);
    if (v > 100) f.error(`mirror_percent must have a max value of 100 (it has ${v})`, 'mirrorPercent');
    f.warn('using deprecated setting "mirrorPercent", use "mirrorPercentage" instead', 'mirrorPercent');
  }
  validateDestination(f, h.mirror, 'mirror');
  arr(h.mirrors).forEach((m, i) => {
    if (!isRecord(m)) return f.error('mirror cannot be null', 'mirrors', i);
    if (!isRecord(m.destination)) return f.error('destination is required for mirrors', 'mirrors', i);
    validateDestination(f, m.destination, 'mirrors', i, 'destination');
    if (isRecord(m.percentage)) {
      const v = num(m.percentage.value);
      if (v > 100) f.error(`mirror percentage must have a max value of 100 (it has ${goFixed(v)})`, 'mirrors', i, 'percentage');
      if (v < 0) f.error(`mirror percentage must have a min value of 0 (it has ${goFixed(v)})`, 'mirrors', i, 'percentage');
    }
  });
  validateRedirect(f, h.redirect);
  validateDirectResponse(f, h.directResponse);
  validateRetries(f, h.retries);
  validateRewrite(f, h.rewrite);
  validateAuthorityRewrite(f, h.rewrite, h.headers);
  validateRouteDestinations(f, routes, true);
  if (h.timeout !== undefined) f.error(durationFieldProblem(h.timeout), 'timeout');
}

function stringMatchRegex(sm: unknown, where: string): string | undefined {
  if (!isRecord(sm) || sm.regex === undefined) return undefined;
  const re = str(sm.regex);
  if (re === '') return `${quote(where)}: regex string match should not be empty`;
  return regexProblem(re, where);
}

function headerOperations(f: Findings, headers: unknown, ...rel: Array<string | number>): void {
  if (!isRecord(headers)) return;
  for (const dir of ['request', 'response'] as const) {
    const ops = headers[dir];
    if (!isRecord(ops)) continue;
    for (const op of ['add', 'set'] as const) {
      for (const [name, val] of Object.entries(isRecord(ops[op]) ? ops[op] : {})) {
        f.error(dir === 'request' ? headerWithAuthorityProblem(name) : headerOperationProblem(name), ...rel, dir, op, name);
        f.error(headerValueProblem(str(val)), ...rel, dir, op, name);
      }
    }
    arr(ops.remove).forEach((name, i) => f.error(headerOperationProblem(str(name)), ...rel, dir, 'remove', i));
  }
}

const isInternalHeader = (k: string): boolean => k.startsWith(':') || k.toLowerCase() === 'host';
const isAuthorityHeader = (k: string): boolean => k.toLowerCase() === ':authority' || k.toLowerCase() === 'host';

function headerWithAuthorityProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isInternalHeader(name) && !isAuthorityHeader(name)) return `invalid header ${quote(name)}: header cannot have ":" prefix`;
  return undefined;
}

function headerOperationProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `invalid header ${quote(name)}: cannot set Host header`;
  if (isInternalHeader(name)) return `invalid header ${quote(name)}: header cannot have ":" prefix`;
  return undefined;
}

// eslint-disable-next-line no-control-regex
const HEADER_VALUE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
function headerValueProblem(v: string): string | undefined {
  return HEADER_VALUE.test(v) ? undefined : `header value configuration ${v} is invalid`;
}

function validateAuthorityRewrite(f: Findings, rewrite: unknown, headers: unknown): void {
  let current = isRecord(rewrite) ? str(rewrite.authority) : '';
  const req = isRecord(headers) && isRecord(headers.request) ? headers.request : {};
  for (const op of ['set', 'add'] as const) {
    for (const [k, v] of Object.entries(isRecord(req[op]) ? req[op] : {})) {
      if (!isAuthorityHeader(k)) continue;
      if (current !== '') return f.error(`authority header cannot be set multiple times: have ${quote(current)}, attempting to set ${quote(str(v))}`, 'headers', 'request', op, k);
      current = str(v);
    }
  }
}

function validateCORSPolicy(f: Findings, cors: unknown): void {
  if (!isRecord(cors)) return;
  arr(cors.allowOrigins).forEach((o, i) => {
    if (!isRecord(o)) return;
    const match = str(o.exact ?? o.prefix ?? o.regex);
    if (match === '') f.error(`'' is not a valid match type for CORS allow origins`, 'corsPolicy', 'allowOrigins', i);
    else f.error(stringMatchRegex(o, 'corsPolicy.allowOrigins'), 'corsPolicy', 'allowOrigins', i);
  });
  arr(cors.allowMethods).forEach((m, i) => {
    if (!SUPPORTED_METHODS.has(str(m))) f.error(`${quote(str(m))} is not a supported HTTP method`, 'corsPolicy', 'allowMethods', i);
  });
  for (const field of ['allowHeaders', 'exposeHeaders'] as const)
    arr(cors[field]).forEach((n, i) => {
      if (str(n) !== '*') f.error(headerNameProblem(str(n)), 'corsPolicy', field, i);
    });
  if (cors.maxAge !== undefined) f.error(durationFieldProblem(cors.maxAge), 'corsPolicy', 'maxAge');
}

function validateFault(f: Findings, fault: unknown): void {
  if (!isRecord(fault)) return;
  if (fault.abort === undefined && fault.delay === undefined) f.listError('HTTP fault injection must have an abort and/or a delay', 'fault');
  const abort = fault.abort;
  if (isRecord(abort)) {
    f.error(percentageProblem(abort.percentage), 'fault', 'abort', 'percentage', 'value');
    if (abort.grpcStatus !== undefined) {
      if (!GRPC_STATUS.has(str(abort.grpcStatus)))
        f.error(
          `gRPC status ${quote(str(abort.grpcStatus))} is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'`,
          'fault',
          'abort',
          'grpcStatus',
        );
    } else if (abort.http2Error !== undefined) f.error('HTTP/2 abort fault injection not supported yet', 'fault', 'abort', 'http2Error');
    else if (abort.httpStatus !== undefined) f.error(httpStatusProblem(num(abort.httpStatus)), 'fault', 'abort', 'httpStatus');
    else f.warn('abort configured, but error type not set', 'fault', 'abort');
  }
  const delay = fault.delay;
  if (isRecord(delay)) {
    f.error(percentageProblem(delay.percentage), 'fault', 'delay', 'percentage', 'value');
    if (delay.fixedDelay !== undefined) f.error(durationFieldProblem(delay.fixedDelay), 'fault', 'delay', 'fixedDelay');
    else if (delay.exponentialDelay !== undefined) {
      f.error(durationFieldProblem(delay.exponentialDelay), 'fault', 'delay', 'exponentialDelay');
      f.listError('exponentialDelay not supported yet', 'fault', 'delay', 'exponentialDelay');
    }
  }
}

/** grpc.SupportedGRPCStatus */
const GRPC_STATUS = new Set([
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION',
  'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
]);

function httpStatusProblem(status: number): string | undefined {
  return status < 200 || status > 600 ? `HTTP status ${status} is not in range 200-599` : undefined;
}

export function validateDestination(f: Findings, d: unknown, ...rel: Array<string | number>): void {
  if (!isRecord(d)) return;
  const host = str(d.host);
  if (host === '*') f.error(`invalid destination host ${host}`, ...rel, 'host');
  else f.error(wildcardDomainProblem(host), ...rel, 'host');
  if (str(d.subset) !== '') f.error(subsetNameProblem(str(d.subset)), ...rel, 'subset');
  if (isRecord(d.port)) f.error(portProblem(num(d.port.number)), ...rel, 'port', 'number');
}

function validateRetries(f: Findings, r: unknown): void {
  if (!isRecord(r)) return;
  const attempts = num(r.attempts);
  if (attempts < 0) f.listError('attempts cannot be negative', 'retries', 'attempts');
  if (attempts === 0 && (r.perTryTimeout !== undefined || str(r.retryOn) !== '' || r.retryRemoteLocalities !== undefined))
    f.error('http retry policy configured when attempts are set to 0 (disabled)', 'retries', 'attempts');
  if (r.perTryTimeout !== undefined) f.error(durationFieldProblem(r.perTryTimeout), 'retries', 'perTryTimeout');
  if (str(r.retryOn) !== '') {
    for (const policy of str(r.retryOn).split(',')) {
      const code = /^[+-]?\d+$/.test(policy) ? Number(policy) : 0;
      if (!HTTP_STATUS_TEXT.has(code) && !SUPPORTED_RETRY_ON.has(policy)) f.error(`${quote(policy)} is not a valid retryOn policy`, 'retries', 'retryOn');
    }
  }
}

function validateRedirect(f: Findings, r: unknown): void {
  if (!isRecord(r)) return;
  const at = (m: string, ...rel: string[]): void => f.error(m, 'redirect', ...rel);
  if (str(r.uri) === '' && str(r.authority) === '' && r.port === undefined && r.derivePort === undefined && str(r.scheme) === '')
    return at('redirect must specify URI, authority, scheme, or port');
  const code = num(r.redirectCode);
  if (code !== 0 && (code < 300 || code > 399)) return at(`${code} is not a valid redirect code, must be 3xx`, 'redirectCode');
  if (str(r.scheme) !== '' && r.scheme !== 'http' && r.scheme !== 'https') return at('invalid redirect scheme, must be "http" or "https"', 'scheme');
  if (num(r.port) > 0) {
    const p = portProblem(num(r.port));
    if (p) at(p, 'port');
  }
}

function validateDirectResponse(f: Findings, d: unknown): void {
  if (!isRecord(d)) return;
  if (isRecord(d.body)) {
    const size = str(d.body.string ?? d.body.bytes).length;
    if (size > 1024 * 1024) f.error('large direct_responses may impact control plane performance, must be less than 1MB', 'directResponse', 'body');
    else if (size > 100 * 1024) f.warn('large direct_responses may impact control plane performance', 'directResponse', 'body');
  }
  f.error(httpStatusProblem(num(d.status)), 'directResponse', 'status');
}

function validateRewrite(f: Findings, r: unknown): void {
  if (!isRecord(r)) return;
  const uri = str(r.uri);
  const regex = r.uriRegexRewrite;
  if (uri !== '' && regex !== undefined) return f.error('rewrite may only contain one of URI or UriRegexRewrite', 'rewrite');
  if (uri === '' && regex === undefined && str(r.authority) === '')
    return f.error('rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified', 'rewrite');
  if (isRecord(regex)) {
    // errors.Join: the two messages on two lines
    if (str(regex.match) === '' || str(regex.rewrite) === '')
      return f.error('UriRegexRewrite has errors\nUriRegexRewrite requires both Rewrite and Match fields to be specified', 'rewrite', 'uriRegexRewrite');
    const p = regexProblem(str(regex.match), 'HTTPRewrite.UriRegexRewrite.Match');
    if (p) f.error(`UriRegexRewrite has errors\n${p}`, 'rewrite', 'uriRegexRewrite', 'match');
  }
}

/** validateHTTPRouteDestinations / validateRouteDestinations */
function validateRouteDestinations(f: Findings, routes: unknown[], http: boolean): void {
  let total = 0;
  routes.forEach((w, i) => {
    if (!isRecord(w)) return f.listError('weight may not be nil', 'route', i);
    if (!isRecord(w.destination)) f.listError('destination is required', 'route', i);
    if (http) headerOperations(f, w.headers, 'route', i, 'headers');
    validateDestination(f, w.destination, 'route', i, 'destination');
    const weight = num(w.weight);
    if (weight < 0) f.error(`weight ${weight} < 0`, 'route', i, 'weight');
    total += weight;
  });
  if (routes.length > 1 && total === 0) f.error('total destination weight = 0', 'route');
}

function validateTLSRoute(f: Findings, t: R, hosts: string[], gateways: string[]): void {
  const matches = arr(t.match);
  if (!matches.length) f.error('TLS route must have at least one match condition', 'match');
  matches.forEach((m, i) => {
    if (!isRecord(m)) return f.error('TLS match may not be null', 'match', i);
    const sni = arr(m.sniHosts).map(str);
    if (!sni.length) f.error('TLS match must have at least one SNI host', 'match', i);
    sni.forEach((s, j) => {
      const err = isGateway(gateways) ? gatewayBoundDomainProblem(true, s) : wildcardDomainProblem(s);
      if (err) {
        if (isIP(s)) f.warn(`using an IP address (${quote(s)}) goes against SNI spec and most clients do not support this`, 'match', i, 'sniHosts', j);
        else f.error(err, 'match', i, 'sniHosts', j);
        return;
      }
      if (!hosts.some((h) => hostSubsetOf(s, h)))
        f.error(`SNI host ${quote(s)} is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`, 'match', i, 'sniHosts', j);
    });
    l4Match(f.at('match', i), m);
  });
  if (!arr(t.route).length) f.error('TLS route is required', 'route');
  validateRouteDestinations(f, arr(t.route), false);
}

function validateTCPRoute(f: Findings, t: R): void {
  arr(t.match).forEach((m, i) => {
    if (!isRecord(m)) return f.listError('tcp match may not be nil', 'match', i);
    l4Match(f.at('match', i), m);
  });
  if (!arr(t.route).length) f.error('TCP route is required', 'route');
  validateRouteDestinations(f, arr(t.route), false);
}

function l4Match(f: Findings, m: R): void {
  arr(m.destinationSubnets).forEach((s, i) => f.error(ipSubnetProblem(str(s)), 'destinationSubnets', i));
  if (num(m.port) !== 0) f.error(portProblem(num(m.port)), 'port');
  validateLabels(f, m.sourceLabels, 'sourceLabels');
  validateGatewayNames(f, arr(m.gateways).map(str), 'gateways');
}

/** validateExportTo */
export function validateExportTo(f: Findings, exportTo: string[], serviceEntry: boolean, ...rel: Array<string | number>): void {
  if (!exportTo.length) return;
  const seen = new Set<string>();
  exportTo.forEach((e, i) => {
    const key = e === '.' ? '<ns>' : e;
    if (seen.has(key)) return f.error(`duplicate entries in exportTo for entry ${e}`, ...rel, i);
    if (serviceEntry && e === '~') return void seen.add(key);
    if (e !== '.' && e !== '*' && !isDNS1123Label(e)) return f.error(`only . or * or valid DNS 1123 label is allowed as exportTo entry`, ...rel, i);
    seen.add(key);
  });
  if (seen.has('*') && exportTo.length > 1) f.error('cannot have both public (*) and non-public exportTo values for a resource', ...rel);
  if (seen.has('~') && exportTo.length > 1) f.error('cannot export service entry to no one (~) and someone', ...rel);
}

/** analyzeUnreachableHTTPRules: warnings (VirtualServiceUnreachableRule / IneffectiveMatch) */
function analyzeUnreachableHTTPRules(f: Findings, routes: unknown[]): void {
  const seen = new Map<string, number>();
  let emptyAt = -1;
  const routeName = (r: R, n: number): string => (str(r.name) ? quote(str(r.name)) : `#${n}`);
  routes.forEach((r, n) => {
    if (!isRecord(r)) return;
    const matches = arr(r.match);
    if (!matches.length) {
      if (emptyAt >= 0) f.warn(`virtualService rule ${routeName(r, n)} not used (only the last rule can have no matches)`, 'spec', 'http', n);
      emptyAt = n;
      return;
    }
    let dups = 0;
    matches.forEach((m, mn) => {
      const key = JSON.stringify(isRecord(m) ? { ...m, name: undefined } : m);
      const d = seen.get(key);
      if (d !== undefined) {
        const mName = isRecord(m) && str(m.name) ? quote(str(m.name)) : `#${mn}`;
        f.warn(`virtualService rule ${routeName(r, n)} match ${mName} is not used (duplicate/overlapping match in rule ${routeName(routes[d] as R, d)})`, 'spec', 'http', n, 'match', mn);
        dups++;
      } else seen.set(key, n);
    });
    if (dups === matches.length) f.warn(`virtualService rule ${routeName(r, n)} not used (all matches used by prior rules)`, 'spec', 'http', n);
  });
}
