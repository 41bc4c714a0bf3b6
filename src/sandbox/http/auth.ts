/**
 * Who is asking, and may they: the served sandbox's authentication and authorization.
 *
 *  - the admin token (the kubeconfig `--serve` writes) is user kubernetes-admin in group
 *    kubeadm:cluster-admins, bound to cluster-admin as on a kubeadm/kind cluster;
 *  - ServiceAccount tokens come from the TokenRequest subresource (`kubectl create token SA`,
 *    POST /api/v1/namespaces/NS/serviceaccounts/SA/token; kubernetes pkg/registry/core/serviceaccount/storage/token.go):
 *    JWT-shaped, bound to the ServiceAccount's uid (a deleted ServiceAccount's tokens stop working, as bound tokens do),
 *    valid for spec.expirationSeconds (default 3600);
 *  - every resource request is authorized by RBAC (api/rbac.ts); exec, attach and portforward also need
 *    `create` (AuthorizePodWebsocketUpgradeCreatePermission, on by default in 1.35).
 *
 * Non-resource paths the handler serves (/api, /apis, /openapi, /version, /healthz…) are what
 * system:discovery and system:public-info-viewer allow every authenticated user, so they are not checked.
 */
import { authorize, ADMIN_USER, forbiddenMessage, requestVerb, serviceAccountUser, type RequestAttributes, type UserInfo } from '../api/rbac';
import type { ApiServer } from '../api/server';
import { parsePath } from '../api/server';
import { forbidden, type Status } from '../api/status';
import { isRecord, type KubeObject } from '../api/types';
import { kindByName } from '../api/kinds';

interface IssuedToken {
  namespace: string;
  name: string;
  uid: string;
  expiresAt: number;
}

/** TokenRequest's default and bounds (pkg/registry/core/serviceaccount/storage/token.go, validation: at least 10 minutes). */
const DEFAULT_EXPIRATION_S = 3600;
const MIN_EXPIRATION_S = 600;

const b64url = (s: string): string => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function randomPart(): string {
  const b = new Uint8Array(32);
  crypto.getRandomValues(b);
  return b64url(String.fromCharCode(...b));
}

export class Authenticator {
  private tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly adminToken: string,
    private readonly server: ApiServer,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user a bearer token stands for, or undefined (401). */
  user(authorization: string | undefined): UserInfo | undefined {
    const m = /^Bearer\s+(.+)$/i.exec((authorization ?? '').trim());
    if (!m) return undefined;
    const token = m[1].trim();
    if (timingSafeEqual(token, this.adminToken)) return ADMIN_USER;
    const t = this.tokens.get(token);
    if (!t) return undefined;
    if (t.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    const sa = this.serviceAccount(t.namespace, t.name);
    if (!sa || sa.metadata.uid !== t.uid) return undefined;
    return serviceAccountUser(t.namespace, t.name);
  }

  private serviceAccount(namespace: string, name: string): KubeObject | undefined {
    const r = this.server.handle({ method: 'GET', path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}` });
    return r.code === 200 ? (r.body as KubeObject) : undefined;
  }

  /** POST …/serviceaccounts/NAME/token: a TokenRequest answered with its status.token, or a Status. */
  requestToken(namespace: string, name: string, body: unknown): { code: number; body: unknown } {
    const sa = this.serviceAccount(namespace, name);
    if (!sa) return { code: 404, body: notFoundSa(name) };
    const spec = isRecord(body) && isRecord(body.spec) ? body.spec : {};
    const seconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : DEFAULT_EXPIRATION_S;
    if (!Number.isInteger(seconds) || seconds < MIN_EXPIRATION_S)
      return {
        code: 422,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration less than 10 minutes`,
          reason: 'Invalid',
          code: 422,
        },
      };
    const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : ['https://kubernetes.default.svc.cluster.local'];
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + seconds;
    const claims = {
      aud: audiences,
      exp,
      iat,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: crypto.randomUUID(),
      'kubernetes.io': { namespace, serviceaccount: { name, uid: sa.metadata.uid } },
      nbf: iat,
      sub: `system:serviceaccount:${namespace}:${name}`,
    };
    const token = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'sandbox' }))}.${b64url(JSON.stringify(claims))}.${randomPart()}`;
    this.tokens.set(token, { namespace, name, uid: sa.metadata.uid ?? '', expiresAt: exp * 1000 });
    return {
      code: 201,
      body: {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name, namespace, creationTimestamp: null },
        spec: { audiences, expirationSeconds: seconds, boundObjectRef: null },
        status: { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
      },
    };
  }
}

function notFoundSa(name: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `serviceaccounts "${name}" not found`, reason: 'NotFound', details: { name, kind: 'serviceaccounts' }, code: 404 };
}

/** requestinfo.go for a resource path: the attributes RBAC evaluates; undefined for a path that is no resource. */
export function attributesOf(method: string, url: string): RequestAttributes | undefined {
  const u = new URL(url, 'http://sandbox');
  const p = parsePath(u.pathname.replace(/\/+$/, ''));
  if ('error' in p) return undefined;
  const r = p.resource;
  return {
    verb: requestVerb(method, Boolean(p.name), u.searchParams),
    apiGroup: r.group,
    resource: r.plural,
    subresource: p.subresource,
    name: p.name,
    // requestinfo.go: a request for namespace NAME is in namespace NAME
    namespace: r.kind === 'Namespace' ? p.name : p.namespace,
  };
}

/** The RBAC objects as the authorizer's informers see them. */
export function rbacStore(server: ApiServer): Parameters<typeof authorize>[0] {
  return {
    list: (kind, namespace) => {
      const k = kindByName(kind, 'rbac.authorization.k8s.io');
      return k ? server.listShared(k, namespace) : [];
    },
  };
}

/** 403 with the apiserver's words when RBAC does not allow the request (and `create` too for connect upgrades). */
export function authorizeRequest(server: ApiServer, user: UserInfo, a: RequestAttributes): Status | undefined {
  const store = rbacStore(server);
  const checks = [a];
  if (a.resource === 'pods' && a.verb === 'get' && (a.subresource === 'exec' || a.subresource === 'attach' || a.subresource === 'portforward')) checks.push({ ...a, verb: 'create' });
  for (const c of checks) {
    const d = authorize(store, user, c);
    if (!d.allowed) return forbidden(forbiddenMessage(user, c, d.reason));
  }
  return undefined;
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}
