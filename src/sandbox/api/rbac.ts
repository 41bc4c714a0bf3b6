/**
 * RBAC as the apiserver's authorizer evaluates it, and the request attributes it evaluates
 * (who asks, which verb, on which resource in which namespace).
 *
 *  - rules: kubernetes/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go (RuleAllows, VerbMatches,
 *    APIGroupMatches, ResourceMatches with `*` and `*∕subresource`, ResourceNameMatches, NonResourceURLMatches);
 *  - bindings: plugin/pkg/auth/authorizer/rbac/rbac.go and pkg/registry/rbac/validation/rule.go
 *    (VisitRulesFor: every ClusterRoleBinding, then the RoleBindings of the request's namespace; a
 *    RoleBinding may refer to a Role of its namespace or to a ClusterRole; appliesToUser for User,
 *    Group and ServiceAccount subjects; "RBAC: allowed by …" and the "not found" errors of a binding whose
 *    role is missing);
 *  - attributes: staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go (verb from the
 *    method, list/watch/deletecollection, the namespace of /api/v1/namespaces/NAME is NAME);
 *  - wording of a refusal: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go
 *    forbiddenMessage, wrapped by apierrors.NewForbidden (`pods is forbidden: User "…" cannot list …`).
 *
 * The bootstrap policy a real cluster creates (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go)
 * is built in here rather than stored: cluster-admin bound to the admin's group, system:basic-user
 * (self access reviews) and system:discovery for every authenticated user.
 */
import { isRecord, type KubeObject } from './types';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface RequestAttributes {
  verb: string;
  /** Resource requests: the API group ('' for core), resource (plural), subresource, name, namespace. */
  resource?: string;
  apiGroup?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  /** Non-resource requests (/version, /api): the path. */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  /** "RBAC: allowed by …" when allowed; the binding errors (missing roles) when not, else ''. */
  reason: string;
}

/** Reads the RBAC objects (the informer's view). */
export interface RbacStore {
  list(kind: 'Role' | 'RoleBinding' | 'ClusterRole' | 'ClusterRoleBinding', namespace?: string): readonly KubeObject[];
}

type R = Record<string, unknown>;
const rec = (v: unknown): R => (isRecord(v) ? v : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The admin of the served sandbox (kind's kubeconfig user and its group). */
export const ADMIN_USER: UserInfo = { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

/** The username of a ServiceAccount's tokens (k8s.io/apiserver pkg/authentication/serviceaccount/util.go MakeUsername). */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return { name: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const rule = (r: unknown): Rule => {
  const o = rec(r);
  return { verbs: strings(o.verbs), apiGroups: strings(o.apiGroups), resources: strings(o.resources), resourceNames: strings(o.resourceNames), nonResourceURLs: strings(o.nonResourceURLs) };
};

const clusterRole = (name: string, rules: Partial<Rule>[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });
const clusterRoleBinding = (name: string, role: string, groups: string[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
});

/** bootstrappolicy/policy.go ClusterRoles() and ClusterRoleBindings(), the parts a sandbox user meets (kubeadm binds cluster-admin to kubeadm:cluster-admins). */
const BOOTSTRAP_ROLES: KubeObject[] = [
  clusterRole('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]),
  clusterRole('system:basic-user', [
    { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
    { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
  ]),
  clusterRole('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
  clusterRole('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
  clusterRole('system:service-account-issuer-discovery', [{ nonResourceURLs: ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'], verbs: ['get'] }]),
];
const BOOTSTRAP_BINDINGS: KubeObject[] = [
  clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', ['kubeadm:cluster-admins']),
  clusterRoleBinding('cluster-admin', 'cluster-admin', ['system:masters']),
  clusterRoleBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
  clusterRoleBinding('system:discovery', 'system:discovery', ['system:authenticated']),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
  clusterRoleBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', ['system:serviceaccounts']),
];

function verbMatches(r: Rule, verb: string): boolean {
  return r.verbs.some((v) => v === '*' || v === verb);
}

function groupMatches(r: Rule, group: string): boolean {
  return r.apiGroups.some((g) => g === '*' || g === group);
}

function resourceMatches(r: Rule, combined: string, sub: string): boolean {
  return r.resources.some((x) => x === '*' || x === combined || (sub !== '' && x === `*/${sub}`));
}

function nameMatches(r: Rule, name: string): boolean {
  return r.resourceNames.length === 0 || r.resourceNames.includes(name);
}

function urlMatches(r: Rule, path: string): boolean {
  return r.nonResourceURLs.some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** RuleAllows: one PolicyRule against the request. */
export function ruleAllows(a: RequestAttributes, raw: unknown): boolean {
  const r = rule(raw);
  if (a.resource !== undefined) {
    const sub = a.subresource ?? '';
    const combined = sub ? `${a.resource}/${sub}` : a.resource;
    return verbMatches(r, a.verb) && groupMatches(r, a.apiGroup ?? '') && resourceMatches(r, combined, sub) && nameMatches(r, a.name ?? '');
  }
  return verbMatches(r, a.verb) && urlMatches(r, a.path ?? '');
}

function appliesTo(user: UserInfo, subject: R, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return typeof subject.name === 'string' && user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = typeof subject.namespace === 'string' && subject.namespace ? subject.namespace : bindingNamespace;
      return ns !== '' && user.name === `system:serviceaccount:${ns}:${String(subject.name)}`;
    }
    default:
      return false;
  }
}

function describeSubject(s: R, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount "${String(s.name)}/${typeof s.namespace === 'string' && s.namespace ? s.namespace : bindingNamespace}"`;
  return `${String(s.kind)} "${String(s.name)}"`;
}

/** Evaluates the request against every binding that applies to the user; the first rule that allows wins. */
export function authorize(store: RbacStore, user: UserInfo, a: RequestAttributes): Decision {
  const errors: string[] = [];
  const clusterRoles = new Map<string, KubeObject>();
  for (const r of [...BOOTSTRAP_ROLES, ...store.list('ClusterRole')]) clusterRoles.set(r.metadata.name ?? '', r);
  const visit = (binding: KubeObject, namespace: string, what: string): string | undefined => {
    const ref = rec(binding.roleRef);
    const subjects = Array.isArray(binding.subjects) ? binding.subjects.filter(isRecord) : [];
    const subject = subjects.find((s) => appliesTo(user, s, namespace));
    if (!subject) return undefined;
    const refName = String(ref.name ?? '');
    let role: KubeObject | undefined;
    if (ref.kind === 'ClusterRole') {
      role = clusterRoles.get(refName);
      if (!role) errors.push(`clusterrole.rbac.authorization.k8s.io "${refName}" not found`);
    } else if (ref.kind === 'Role' && namespace) {
      role = store.list('Role', namespace).find((r) => r.metadata.name === refName);
      if (!role) errors.push(`role.rbac.authorization.k8s.io "${refName}" not found`);
    }
    if (!role) return undefined;
    const rules = Array.isArray(role.rules) ? role.rules : [];
    if (!rules.some((r) => ruleAllows(a, r))) return undefined;
    return `RBAC: allowed by ${what} "${namespace ? `${binding.metadata.name}/${namespace}` : binding.metadata.name}" of ${String(ref.kind)} "${refName}" to ${describeSubject(subject, namespace)}`;
  };
  for (const b of [...BOOTSTRAP_BINDINGS, ...store.list('ClusterRoleBinding')]) {
    const ok = visit(b, '', 'ClusterRoleBinding');
    if (ok) return { allowed: true, reason: ok };
  }
  if (a.namespace)
    for (const b of store.list('RoleBinding', a.namespace)) {
      const ok = visit(b, a.namespace, 'RoleBinding');
      if (ok) return { allowed: true, reason: ok };
    }
  // utilerrors.NewAggregate: one error as itself, several as [a, b]
  const reason = errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
  return { allowed: false, reason };
}

export interface RulesReview {
  resourceRules: { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs: string[] }[];
  incomplete: boolean;
  evaluationError?: string;
}

/**
 * SelfSubjectRulesReview (`kubectl auth can-i --list`): every rule of every binding that applies to
 * the user in the namespace, ClusterRoleBindings first (pkg/registry/rbac/validation/rule.go RulesFor,
 * pkg/registry/authorization/util ResourceRulesToAPI); a missing role makes it incomplete.
 */
export function rulesFor(store: RbacStore, user: UserInfo, namespace: string): RulesReview {
  const out: RulesReview = { resourceRules: [], nonResourceRules: [], incomplete: false };
  const errors: string[] = [];
  const clusterRoles = new Map<string, KubeObject>();
  for (const r of [...BOOTSTRAP_ROLES, ...store.list('ClusterRole')]) clusterRoles.set(r.metadata.name ?? '', r);
  const collect = (binding: KubeObject, ns: string): void => {
    const subjects = Array.isArray(binding.subjects) ? binding.subjects.filter(isRecord) : [];
    if (!subjects.some((s) => appliesTo(user, s, ns))) return;
    const ref = rec(binding.roleRef);
    const name = String(ref.name ?? '');
    const role = ref.kind === 'ClusterRole' ? clusterRoles.get(name) : store.list('Role', ns).find((r) => r.metadata.name === name);
    if (!role) {
      errors.push(`${ref.kind === 'ClusterRole' ? 'clusterrole' : 'role'}.rbac.authorization.k8s.io "${name}" not found`);
      return;
    }
    for (const raw of Array.isArray(role.rules) ? role.rules : []) {
      const r = rule(raw);
      if (r.nonResourceURLs.length) out.nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
      else out.resourceRules.push({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, ...(r.resourceNames.length ? { resourceNames: r.resourceNames } : {}) });
    }
  };
  for (const b of [...BOOTSTRAP_BINDINGS, ...store.list('ClusterRoleBinding')]) collect(b, '');
  if (namespace) for (const b of store.list('RoleBinding', namespace)) collect(b, namespace);
  if (errors.length) {
    out.incomplete = true;
    out.evaluationError = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  }
  return out;
}

/** requestinfo.go: the verb of a resource request. */
export function requestVerb(method: string, hasName: boolean, query: URLSearchParams | Record<string, string>): string {
  const get = (k: string): string | null => (query instanceof URLSearchParams ? query.get(k) : query[k] ?? null);
  switch (method.toUpperCase()) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default: {
      const w = get('watch');
      if (w === 'true' || w === '1') return 'watch';
      return hasName ? 'get' : 'list';
    }
  }
}

/** forbiddenMessage + apierrors.NewForbidden: the message of a 403 the apiserver sends for a refused request. */
export function forbiddenMessage(user: UserInfo, a: RequestAttributes, reason: string): string {
  let msg: string;
  if (a.resource === undefined) msg = `User "${user.name}" cannot ${a.verb} path "${a.path ?? ''}"`;
  else {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    msg = a.namespace
      ? `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}" in the namespace "${a.namespace}"`
      : `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}" at the cluster scope`;
  }
  if (reason) msg = `${msg}: ${reason}`;
  if (a.resource === undefined) return `forbidden: ${msg}`;
  // schema.GroupResource.String(): resource, or resource.group
  const gr = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  return a.name ? `${gr} "${a.name}" is forbidden: ${msg}` : `${gr} is forbidden: ${msg}`;
}
