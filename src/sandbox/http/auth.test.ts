import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { KubeHttpApi } from './handler';
import { isStream, type HttpResponse } from './types';

const sb = new Sandbox({ seed: 4 });
const api = new KubeHttpApi(sb, { token: 'admin', rateLimit: 100_000 });

function call(token: string, method: string, url: string, body?: unknown): { status: number; json: Record<string, unknown> } {
  const r = api.handle({ method, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) });
  if (isStream(r)) throw new Error('stream');
  return { status: r.status, json: JSON.parse((r as HttpResponse).body) as Record<string, unknown> };
}

const RBAC = 'rbac.authorization.k8s.io/v1';
function setUp(): string {
  expect(call('admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ws-a' } }).status).toBe(201);
  expect(call('admin', 'POST', '/api/v1/namespaces/ws-a/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'participant' } }).status).toBe(201);
  expect(
    call('admin', 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/ws-a/roles', {
      apiVersion: RBAC,
      kind: 'Role',
      metadata: { name: 'participant' },
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['get'] },
      ],
    }).status,
  ).toBe(201);
  expect(
    call('admin', 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/ws-a/rolebindings', {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'participant' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'participant' },
      subjects: [{ kind: 'ServiceAccount', name: 'participant', namespace: 'ws-a' }],
    }).status,
  ).toBe(201);
  const tr = call('admin', 'POST', '/api/v1/namespaces/ws-a/serviceaccounts/participant/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  expect(tr.status).toBe(201);
  expect(tr.json).toMatchObject({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { expirationSeconds: 3600 } });
  return String((tr.json.status as Record<string, unknown>).token);
}

describe('ServiceAccount tokens and RBAC on the served apiserver', () => {
  const token = setUp();

  it('issues a JWT-shaped token whose claims name the ServiceAccount', () => {
    const [, payload] = token.split('.');
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    expect(claims.sub).toBe('system:serviceaccount:ws-a:participant');
  });

  it('lets the ServiceAccount do what its Role allows, in its namespace only', () => {
    expect(call(token, 'GET', '/api/v1/namespaces/ws-a/pods').status).toBe(200);
    const other = call(token, 'GET', '/api/v1/namespaces/default/pods');
    expect(other).toEqual({
      status: 403,
      json: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'pods is forbidden: User "system:serviceaccount:ws-a:participant" cannot list resource "pods" in API group "" in the namespace "default"',
        reason: 'Forbidden',
        code: 403,
      },
    });
    expect(call(token, 'GET', '/api/v1/pods').json.message).toBe('pods is forbidden: User "system:serviceaccount:ws-a:participant" cannot list resource "pods" in API group "" at the cluster scope');
    expect(call(token, 'DELETE', '/api/v1/namespaces/ws-a').json.message).toBe('namespaces "ws-a" is forbidden: User "system:serviceaccount:ws-a:participant" cannot delete resource "namespaces" in API group "" in the namespace "ws-a"');
  });

  it('needs create on pods/exec as well as get for the exec upgrade (AuthorizePodWebsocketUpgradeCreatePermission)', () => {
    const r = api.admit('GET', '/api/v1/namespaces/ws-a/pods/web/exec?command=sh&stdin=true', { authorization: `Bearer ${token}` });
    expect(r && JSON.parse(r.body).message).toBe('pods "web" is forbidden: User "system:serviceaccount:ws-a:participant" cannot create resource "pods/exec" in API group "" in the namespace "ws-a"');
    expect(api.admit('GET', '/api/v1/namespaces/ws-a/pods/web/exec', { authorization: 'Bearer admin' })).toBeUndefined();
  });

  it('answers kubectl auth can-i from RBAC for the asking user', () => {
    const review = (verb: string, resource: string, group = '', namespace = 'ws-a'): unknown =>
      call(token, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: { namespace, verb, group, resource } } }).json.status;
    expect(review('create', 'pods')).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "participant/ws-a" of Role "participant" to ServiceAccount "participant/ws-a"' });
    expect(review('create', 'pods', '', 'default')).toEqual({ allowed: false });
    expect(review('create', 'namespaces')).toEqual({ allowed: false });
  });

  it('refuses a token shorter than ten minutes, and a ServiceAccount that does not exist', () => {
    expect(call('admin', 'POST', '/api/v1/namespaces/ws-a/serviceaccounts/participant/token', { spec: { expirationSeconds: 60 } }).json).toMatchObject({
      code: 422,
      message: 'TokenRequest.authentication.k8s.io "participant" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    });
    expect(call('admin', 'POST', '/api/v1/namespaces/ws-a/serviceaccounts/nobody/token', {}).json).toMatchObject({ code: 404, message: 'serviceaccounts "nobody" not found' });
  });

  it('does not let a participant mint tokens, and a deleted ServiceAccount\'s token stops working', () => {
    expect(call(token, 'POST', '/api/v1/namespaces/ws-a/serviceaccounts/participant/token', {}).json.message).toBe(
      'serviceaccounts "participant" is forbidden: User "system:serviceaccount:ws-a:participant" cannot create resource "serviceaccounts/token" in API group "" in the namespace "ws-a"',
    );
    expect(call('admin', 'DELETE', '/api/v1/namespaces/ws-a/serviceaccounts/participant').status).toBe(200);
    expect(call(token, 'GET', '/api/v1/namespaces/ws-a/pods')).toMatchObject({ status: 401, json: { reason: 'Unauthorized' } });
  });
});
