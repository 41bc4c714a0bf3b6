/**
 * The sandbox's apiserver over HTTP: what the real kubectl, client libraries and the workshop
 * server talk to. Pure request → response logic; http/node.ts puts it on a socket.
 *
 *   /version /healthz /livez /readyz             (k8s.io/apiserver/pkg/server/healthz)
 *   /api /apis /api/v1 /apis/G /apis/G/V          discovery (discovery.ts), aggregated or legacy
 *   /openapi/v3 /openapi/v3/apis/G/V              OpenAPI v3 (openapi.ts)
 *   /api/v1/…, /apis/G/V/…                        ApiServer.handle(); Table output (table.ts),
 *                                                 watch and WatchList (watch.ts), pods/log
 *   POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews   kubectl auth can-i
 *
 * Every request needs the bearer token; every failure is a metav1.Status with the
 * apiserver's reason and code, and no request can stop the server.
 */
import { parse as parseYaml } from 'yaml';
import { KUBERNETES_VERSION } from '../../istio/version';
import { parsePath } from '../api/server';
import { badRequest, isStatus, type Status } from '../api/status';
import { isRecord, type KubeObject } from '../api/types';
import { WatchCache } from '../api/watchCache';
import type { Sandbox } from '../sandbox';
import { aggregatedDiscovery, AGGREGATED_DISCOVERY, apiGroup, apiGroupList, apiResourceList, apiVersions, servesGroupVersion } from './discovery';
import { openApiDocument, openApiRoot } from './openapi';
import { podLog } from './logs';
import { decodeAccessReview, decodeObject, decodeRulesReview } from './protobuf';
import { TABLE_ACCEPT, toTable } from './table';
import type { HttpRequest, HttpResponse, HttpStream } from './types';
import { watchStream } from './watch';
import { attributesOf, Authenticator, authorizeRequest, rbacStore } from './auth';
import { ADMIN_USER, authorize, rulesFor, type RequestAttributes, type UserInfo } from '../api/rbac';

/**
 * The apiserver the sandbox stands for: the release of src/istio/version.ts, as the Node objects say.
 * gitCommit, buildDate and goVersion are placeholders (the sandbox is no build of that commit); kubectl prints
 * only gitVersion unless asked for -o yaml/json.
 */
export const SERVER_VERSION = {
  major: KUBERNETES_VERSION.slice(1).split('.')[0],
  minor: KUBERNETES_VERSION.slice(1).split('.')[1],
  gitVersion: KUBERNETES_VERSION,
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** kube-apiserver's --max-request-bytes default for JSON bodies (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface KubeHttpOptions {
  /** The bearer token every request must carry. */
  token: string;
  /** host:port advertised in /api's serverAddressByClientCIDRs. */
  serverAddress?: string;
  /** Requests per second allowed (token bucket, burst twice that); default 1000. */
  rateLimit?: number;
  /** How often a watch that allows bookmarks gets one (ms); default 10 s. */
  bookmarkIntervalMs?: number;
}

const JSON_TYPE = 'application/json';

/** What the apiserver answers a body it cannot decode (a protobuf kind the sandbox does not read). */
const UNSUPPORTED_MEDIA_TYPE = statusOf(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');

export function statusOf(code: number, reason: string, message: string, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reason as Status['reason'], ...(details ? { details } : {}), code };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string | string[]> = {}): HttpResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

function statusResponse(s: Status, headers: Record<string, string | string[]> = {}): HttpResponse {
  return jsonResponse(s.code, s, headers);
}

function text(status: number, body: string, type = 'text/plain; charset=utf-8'): HttpResponse {
  return { status, headers: { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' }, body };
}

export class KubeHttpApi {
  readonly watchCache: WatchCache;
  /** Bearer tokens: the admin's and the ServiceAccount tokens it issued (auth.ts). */
  readonly auth: Authenticator;
  private tokens: number;
  private lastRefill = Date.now();

  constructor(
    readonly sandbox: Sandbox,
    readonly opts: KubeHttpOptions,
  ) {
    this.watchCache = new WatchCache(sandbox.cluster.server);
    this.auth = new Authenticator(opts.token, sandbox.cluster.server);
    this.tokens = this.burst;
  }

  private get burst(): number {
    return (this.opts.rateLimit ?? 1000) * 2;
  }

  /** 401 unless the request carries a known token (Authorization: Bearer …). */
  authenticate(headers: HttpRequest['headers']): HttpResponse | undefined {
    return this.auth.user(headers.authorization) ? undefined : statusResponse(statusOf(401, 'Unauthorized', 'Unauthorized'));
  }

  /** 401 or 403 for a request on a resource path (the upgrades of exec and port-forward come through here too). */
  admit(method: string, url: string, headers: HttpRequest['headers']): HttpResponse | undefined {
    const user = this.auth.user(headers.authorization);
    if (!user) return statusResponse(statusOf(401, 'Unauthorized', 'Unauthorized'));
    const attrs = attributesOf(method, url);
    const denied = attrs && authorizeRequest(this.sandbox.cluster.server, user, attrs);
    return denied ? statusResponse(denied) : undefined;
  }

  /** 429 when the client sends faster than the limit (the apiserver's max-in-flight answer). */
  throttle(): HttpResponse | undefined {
    const now = Date.now();
    const rate = this.opts.rateLimit ?? 1000;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * rate);
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return statusResponse(statusOf(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 } as Status['details']), { 'Retry-After': '1' });
  }

  handle(req: HttpRequest): HttpResponse | HttpStream {
    try {
      const denied = this.admit(req.method, req.url, req.headers) ?? this.throttle();
      if (denied) return denied;
      if (req.body.length > MAX_BODY_BYTES) return statusResponse(statusOf(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`));
      return this.route(req);
    } catch (e) {
      // never a crash: whatever went wrong is an InternalError Status
      return statusResponse(statusOf(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  private route(req: HttpRequest): HttpResponse | HttpStream {
    const u = new URL(req.url, 'http://sandbox');
    const path = u.pathname.replace(/\/+$/, '') || '/';
    const method = req.method.toUpperCase();
    const accept = req.headers.accept ?? '';
    switch (path) {
      case '/version':
        return jsonResponse(200, SERVER_VERSION);
      case '/healthz':
      case '/livez':
      case '/readyz':
        return text(200, 'ok');
      case '/api':
        if (accept.includes('as=APIGroupDiscoveryList')) return jsonResponse(200, aggregatedDiscovery('api'), { 'Content-Type': AGGREGATED_DISCOVERY, Vary: 'Accept' });
        return jsonResponse(200, apiVersions(this.opts.serverAddress ?? '127.0.0.1:6443'));
      case '/apis':
        if (accept.includes('as=APIGroupDiscoveryList')) return jsonResponse(200, aggregatedDiscovery('apis'), { 'Content-Type': AGGREGATED_DISCOVERY, Vary: 'Accept' });
        return jsonResponse(200, apiGroupList());
      case '/openapi/v3':
        return jsonResponse(200, openApiRoot());
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiDocument(path.slice('/openapi/v3/'.length));
      return doc ? { status: 200, headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'public, immutable' }, body: doc } : this.notFoundPath();
    }
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) return this.resourceList('', parts[1]);
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = apiGroup(parts[1]);
      return g ? jsonResponse(200, g) : this.notFoundPath();
    }
    if (parts[0] === 'apis' && parts.length === 3) return this.resourceList(parts[1], parts[2]);
    if (path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') return this.accessReview(method, req, this.auth.user(req.headers.authorization) ?? ADMIN_USER);
    if (path === '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews') return this.rulesReview(method, req, this.auth.user(req.headers.authorization) ?? ADMIN_USER);
    if (parts[0] !== 'api' && parts[0] !== 'apis') return this.notFoundPath();
    return this.resource(method, path, u.searchParams, req);
  }

  private notFoundPath(): HttpResponse {
    return statusResponse(statusOf(404, 'NotFound', 'the server could not find the requested resource', {}));
  }

  private resourceList(group: string, version: string): HttpResponse {
    if (!servesGroupVersion(group, version)) return this.notFoundPath();
    return jsonResponse(200, apiResourceList(group, version));
  }

  /** kubectl auth can-i: RBAC's answer for the user who asks (the admin is bound to cluster-admin). */
  private accessReview(method: string, req: HttpRequest, user: UserInfo): HttpResponse {
    if (method !== 'POST') return statusResponse(statusOf(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    let parsed: unknown;
    if ((req.headers['content-type'] ?? '').includes('protobuf')) {
      try {
        parsed = decodeAccessReview(req.bytes ?? new TextEncoder().encode(req.body));
      } catch (e) {
        return statusResponse(statusOf(400, 'BadRequest', `the body of the request was in an unknown format: ${e instanceof Error ? e.message : String(e)}`));
      }
    } else parsed = decodeBody(req.body, req.headers['content-type'] ?? '');
    if (isStatus(parsed)) return statusResponse(parsed);
    if (!isRecord(parsed) || !isRecord(parsed.spec) || (!isRecord(parsed.spec.resourceAttributes) && !isRecord(parsed.spec.nonResourceAttributes)))
      return statusResponse(statusOf(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified'));
    const ra = isRecord(parsed.spec.resourceAttributes) ? parsed.spec.resourceAttributes : undefined;
    const na = isRecord(parsed.spec.nonResourceAttributes) ? parsed.spec.nonResourceAttributes : {};
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const attrs: RequestAttributes = ra
      ? { verb: str(ra.verb), apiGroup: str(ra.group), resource: str(ra.resource), subresource: str(ra.subresource) || undefined, name: str(ra.name) || undefined, namespace: str(ra.namespace) || undefined }
      : { verb: str(na.verb), path: str(na.path) };
    const d = authorize(rbacStore(this.sandbox.cluster.server), user, attrs);
    return jsonResponse(201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: parsed.spec,
      status: d.reason ? { allowed: d.allowed, reason: d.reason } : { allowed: d.allowed },
    });
  }

  /** kubectl auth can-i --list: the rules RBAC gives the asking user in spec.namespace. */
  private rulesReview(method: string, req: HttpRequest, user: UserInfo): HttpResponse {
    if (method !== 'POST') return statusResponse(statusOf(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    let parsed: unknown;
    if ((req.headers['content-type'] ?? '').includes('protobuf')) {
      try {
        parsed = decodeRulesReview(req.bytes ?? new TextEncoder().encode(req.body));
      } catch (e) {
        return statusResponse(statusOf(400, 'BadRequest', `the body of the request was in an unknown format: ${e instanceof Error ? e.message : String(e)}`));
      }
    } else parsed = decodeBody(req.body, req.headers['content-type'] ?? '');
    if (isStatus(parsed)) return statusResponse(parsed);
    const spec = isRecord(parsed) && isRecord(parsed.spec) ? parsed.spec : {};
    const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
    return jsonResponse(201, {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { ...(namespace ? { namespace } : {}) },
      status: rulesFor(rbacStore(this.sandbox.cluster.server), user, namespace),
    });
  }

  private resource(method: string, path: string, params: URLSearchParams, req: HttpRequest): HttpResponse | HttpStream {
    const query: Record<string, string> = {};
    for (const [k, v] of params) query[k] = v;
    const p = parsePath(path);
    if ('error' in p) return this.notFoundPath();
    const cluster = this.sandbox.cluster;
    cluster.sync();
    const sub = p.subresource;
    if (p.resource.kind === 'Pod' && (sub === 'exec' || sub === 'attach' || sub === 'portforward'))
      return statusResponse(statusOf(400, 'BadRequest', 'Upgrade request required'));
    if (p.resource.kind === 'Pod' && sub === 'log' && method === 'GET') return podLog(this.sandbox, p, query);
    if (p.resource.kind === 'ServiceAccount' && sub === 'token' && p.name) {
      if (method !== 'POST') return statusResponse(statusOf(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
      // kubectl create token posts the TokenRequest as protobuf
      let body: unknown = {};
      if ((req.headers['content-type'] ?? '').includes('protobuf')) {
        try {
          body = decodeObject(req.bytes ?? new TextEncoder().encode(req.body));
        } catch {
          return statusResponse(UNSUPPORTED_MEDIA_TYPE);
        }
      } else if (req.body.trim() !== '') body = decodeBody(req.body, req.headers['content-type'] ?? '');
      const r = this.auth.requestToken(p.namespace ?? '', p.name, isStatus(body) ? {} : body);
      return jsonResponse(r.code, r.body);
    }
    if (method === 'GET' && (query.watch === 'true' || query.watch === '1')) return watchStream(this, p, query, req.headers.accept ?? '');
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method) || (method === 'POST' && p.name && !sub)) return statusResponse(statusOf(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    if ((method === 'POST' || method === 'PUT') && !query.fieldManager) query.fieldManager = managerFromUserAgent(req.headers['user-agent']);
    if (method === 'PATCH' && !query.fieldManager && !(req.headers['content-type'] ?? '').startsWith('application/apply-patch'))
      query.fieldManager = managerFromUserAgent(req.headers['user-agent']);
    const protobuf = (req.headers['content-type'] ?? '').includes('protobuf');
    if (protobuf && method !== 'POST' && method !== 'PUT') return statusResponse(UNSUPPORTED_MEDIA_TYPE);
    let body: unknown;
    if (method === 'POST' || method === 'PUT') {
      if (protobuf) {
        try {
          body = decodeObject(req.bytes ?? new TextEncoder().encode(req.body));
        } catch {
          return statusResponse(UNSUPPORTED_MEDIA_TYPE);
        }
      } else body = decodeBody(req.body, req.headers['content-type'] ?? '');
      if (isStatus(body)) return statusResponse(body);
    } else if (method === 'PATCH') body = req.body;
    else if (method === 'DELETE' && req.body.trim() !== '') {
      // kubectl sends its options as a DeleteOptions body, not as query parameters
      const opts = decodeBody(req.body, req.headers['content-type'] ?? '');
      if (isStatus(opts)) return statusResponse(opts);
      if (isRecord(opts)) {
        if (Array.isArray(opts.dryRun) && opts.dryRun.includes('All')) query.dryRun = 'All';
        if (typeof opts.gracePeriodSeconds === 'number') query.gracePeriodSeconds = String(opts.gracePeriodSeconds);
      }
    }
    const res = cluster.server.handle({ method: method as 'GET', path, query, body, contentType: req.headers['content-type'] });
    if (method !== 'GET') cluster.sync();
    const headers: Record<string, string | string[]> = {};
    if (res.warnings?.length) headers.Warning = res.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
    if (isStatus(res.body)) return statusResponse(res.body, headers);
    if (method === 'GET' && TABLE_ACCEPT.test(req.headers.accept ?? '') && !sub) {
      const body = res.body as KubeObject & { items?: KubeObject[] };
      const items = p.name ? [body] : body.items ?? [];
      const meta = p.name ? { resourceVersion: body.metadata.resourceVersion } : body.metadata;
      return jsonResponse(200, toTable(p.resource, p.version, items, cluster.clock.now(), query.includeObject ?? 'Metadata', meta as Record<string, unknown>), headers);
    }
    return jsonResponse(res.code, res.body, headers);
  }
}

/** The apiserver names a manager that did not name itself after its User-Agent's first word. */
function managerFromUserAgent(ua: string | undefined): string {
  const first = (ua ?? '').split('/')[0].trim();
  return first.slice(0, 128) || 'unknown';
}

/** A JSON (or YAML) request body; a malformed one is a 400 with the decoder's words. */
export function decodeBody(body: string, contentType: string): unknown {
  if (body.trim() === '') return badRequest('the body of the request was in an unknown format');
  try {
    if (contentType.includes('yaml')) return parseYaml(body) as unknown;
    return JSON.parse(body) as unknown;
  } catch (e) {
    return badRequest(`couldn't get version/kind; json parse error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

