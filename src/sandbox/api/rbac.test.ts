import { describe, expect, it } from 'vitest';
import { ADMIN_USER, authorize, forbiddenMessage, requestVerb, ruleAllows, rulesFor, serviceAccountUser, type RbacStore, type RequestAttributes } from './rbac';
import type { KubeObject } from './types';

const pods = (verb: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({ verb, apiGroup: '', resource: 'pods', namespace: 'ws-a', ...extra });

describe('ruleAllows (pkg/apis/rbac/v1/evaluation_helpers.go)', () => {
  it.each<[string, Record<string, unknown>, RequestAttributes, boolean]>([
    ['verb and resource listed', { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, pods('list'), true],
    ['another verb', { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, pods('delete'), false],
    ['verb *', { apiGroups: [''], resources: ['pods'], verbs: ['*'] }, pods('deletecollection'), true],
    ['another group', { apiGroups: ['apps'], resources: ['pods'], verbs: ['*'] }, pods('get'), false],
    ['group *', { apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }, pods('get'), true],
    ['resource without its subresource', { apiGroups: [''], resources: ['pods'], verbs: ['create'] }, pods('create', { subresource: 'exec', name: 'web' }), false],
    ['resource/subresource', { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, pods('create', { subresource: 'exec', name: 'web' }), true],
    ['*/subresource', { apiGroups: [''], resources: ['*/log'], verbs: ['get'] }, pods('get', { subresource: 'log', name: 'web' }), true],
    ['*/subresource for another subresource', { apiGroups: [''], resources: ['*/log'], verbs: ['get'] }, pods('get', { subresource: 'exec', name: 'web' }), false],
    ['resource *', { apiGroups: [''], resources: ['*'], verbs: ['get'] }, pods('get', { subresource: 'log', name: 'web' }), true],
    ['resourceNames with that name', { apiGroups: [''], resources: ['pods'], resourceNames: ['web'], verbs: ['get'] }, pods('get', { name: 'web' }), true],
    ['resourceNames with another name', { apiGroups: [''], resources: ['pods'], resourceNames: ['web'], verbs: ['get'] }, pods('get', { name: 'db' }), false],
    ['resourceNames and a list (no name)', { apiGroups: [''], resources: ['pods'], resourceNames: ['web'], verbs: ['list'] }, pods('list'), false],
    ['non-resource URL exact', { nonResourceURLs: ['/version'], verbs: ['get'] }, { verb: 'get', path: '/version' }, true],
    ['non-resource URL prefix*', { nonResourceURLs: ['/apis/*'], verbs: ['get'] }, { verb: 'get', path: '/apis/apps/v1' }, true],
    ['non-resource rule for a resource request', { nonResourceURLs: ['*'], verbs: ['*'] }, pods('get'), false],
  ])('%s', (_name, rule, attrs, allowed) => {
    expect(ruleAllows(attrs, rule)).toBe(allowed);
  });
});

function store(objects: KubeObject[]): RbacStore {
  return { list: (kind, ns) => objects.filter((o) => o.kind === kind && (ns === undefined || o.metadata.namespace === ns)) };
}

const RBAC = 'rbac.authorization.k8s.io/v1';
const role: KubeObject = { apiVersion: RBAC, kind: 'Role', metadata: { name: 'participant', namespace: 'ws-a' }, rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments'], verbs: ['get', 'list', 'create'] }] };
const binding = (name: string, ns: string, roleRef: Record<string, string>, subjects: Record<string, string>[]): KubeObject => ({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects });
const viewer: KubeObject = { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'viewer' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
const alice = serviceAccountUser('ws-a', 'participant');

describe('authorize (plugin/pkg/auth/authorizer/rbac, pkg/registry/rbac/validation/rule.go)', () => {
  const objects = [
    role,
    viewer,
    binding('participant', 'ws-a', { kind: 'Role', name: 'participant' }, [{ kind: 'ServiceAccount', name: 'participant', namespace: 'ws-a' }]),
    binding('view', 'ws-a', { kind: 'ClusterRole', name: 'viewer' }, [{ kind: 'ServiceAccount', name: 'participant' }]),
    binding('dangling', 'ws-b', { kind: 'Role', name: 'gone' }, [{ kind: 'Group', name: 'system:serviceaccounts' }]),
  ];
  it.each<[string, RequestAttributes, boolean, string]>([
    ['a Role through its RoleBinding', pods('list'), true, 'RBAC: allowed by RoleBinding "participant/ws-a" of Role "participant" to ServiceAccount "participant/ws-a"'],
    ['the same verb in another namespace', pods('list', { namespace: 'ws-b' }), false, 'RBAC: role.rbac.authorization.k8s.io "gone" not found'],
    ['the same verb at the cluster scope', pods('list', { namespace: undefined }), false, ''],
    ['a ClusterRole through a RoleBinding (subject namespace from the binding)', { verb: 'get', apiGroup: '', resource: 'configmaps', name: 'x', namespace: 'ws-a' }, true, 'RBAC: allowed by RoleBinding "view/ws-a" of ClusterRole "viewer" to ServiceAccount "participant/ws-a"'],
    ['that ClusterRole does not reach another namespace', { verb: 'get', apiGroup: '', resource: 'configmaps', name: 'x', namespace: 'default' }, false, ''],
    ['a verb the role lacks', pods('delete', { name: 'web' }), false, ''],
    ['self access reviews, for every authenticated user (system:basic-user)', { verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }, true, 'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"'],
  ])('%s', (_name, attrs, allowed, reason) => {
    expect(authorize(store(objects), alice, attrs)).toEqual({ allowed, reason });
  });

  it('gives the admin everything through cluster-admin', () => {
    expect(authorize(store([]), ADMIN_USER, { verb: 'delete', apiGroup: '', resource: 'namespaces', name: 'x', namespace: 'x' })).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"',
    });
  });

  it('does not bind a ServiceAccount of another namespace with the same name', () => {
    expect(authorize(store(objects), serviceAccountUser('ws-b', 'participant'), pods('list')).allowed).toBe(false);
  });
});

describe('the Forbidden message (responsewriters/errors.go forbiddenMessage, apierrors.NewForbidden)', () => {
  it.each<[RequestAttributes, string, string]>([
    [pods('list', { namespace: 'default' }), '', 'pods is forbidden: User "system:serviceaccount:ws-a:participant" cannot list resource "pods" in API group "" in the namespace "default"'],
    [{ verb: 'get', apiGroup: 'apps', resource: 'deployments', name: 'web', namespace: 'ws-b' }, '', 'deployments.apps "web" is forbidden: User "system:serviceaccount:ws-a:participant" cannot get resource "deployments" in API group "apps" in the namespace "ws-b"'],
    [{ verb: 'create', apiGroup: '', resource: 'namespaces' }, '', 'namespaces is forbidden: User "system:serviceaccount:ws-a:participant" cannot create resource "namespaces" in API group "" at the cluster scope'],
    [pods('create', { subresource: 'exec', name: 'web' }), '', 'pods "web" is forbidden: User "system:serviceaccount:ws-a:participant" cannot create resource "pods/exec" in API group "" in the namespace "ws-a"'],
    [pods('list'), 'RBAC: role.rbac.authorization.k8s.io "gone" not found', 'pods is forbidden: User "system:serviceaccount:ws-a:participant" cannot list resource "pods" in API group "" in the namespace "ws-a": RBAC: role.rbac.authorization.k8s.io "gone" not found'],
    [{ verb: 'get', path: '/metrics' }, '', 'forbidden: User "system:serviceaccount:ws-a:participant" cannot get path "/metrics"'],
  ])('%j', (attrs, reason, message) => {
    expect(forbiddenMessage(alice, attrs, reason)).toBe(message);
  });
});

describe('requestVerb (requestinfo.go)', () => {
  it.each<[string, boolean, Record<string, string>, string]>([
    ['GET', true, {}, 'get'],
    ['GET', false, {}, 'list'],
    ['GET', false, { watch: 'true' }, 'watch'],
    ['GET', true, { watch: '1' }, 'watch'],
    ['POST', false, {}, 'create'],
    ['PUT', true, {}, 'update'],
    ['PATCH', true, {}, 'patch'],
    ['DELETE', true, {}, 'delete'],
    ['DELETE', false, {}, 'deletecollection'],
  ])('%s (name: %s, %j) is %s', (method, named, q, verb) => {
    expect(requestVerb(method, named, q)).toBe(verb);
  });
});

describe('rulesFor (SelfSubjectRulesReview, pkg/registry/rbac/validation/rule.go RulesFor)', () => {
  it('collects the rules of the bindings that apply, cluster-wide first, and reports a missing role as incomplete', () => {
    const objects = [role, binding('participant', 'ws-a', { kind: 'Role', name: 'participant' }, [{ kind: 'ServiceAccount', name: 'participant', namespace: 'ws-a' }]), binding('dangling', 'ws-b', { kind: 'Role', name: 'gone' }, [{ kind: 'Group', name: 'system:authenticated' }])];
    const a = rulesFor(store(objects), alice, 'ws-a');
    expect(a.incomplete).toBe(false);
    expect(a.resourceRules[0]).toEqual({ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] });
    expect(a.resourceRules.at(-1)).toEqual({ verbs: ['get', 'list', 'create'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments'] });
    const b = rulesFor(store(objects), alice, 'ws-b');
    expect(b).toMatchObject({ incomplete: true, evaluationError: 'role.rbac.authorization.k8s.io "gone" not found' });
    expect(b.resourceRules.some((r) => r.resources.includes('pods'))).toBe(false);
  });
});
