/**
 * The resource kinds this apiserver serves: what `kubectl api-resources` lists.
 * Names, short names and scopes are those of a real cluster with Istio installed; Istio's kinds
 * and versions come from src/istio/kinds.ts (Istio 1.29's CRDs).
 */
import { ISTIO_CRDS } from '../../istio/kinds';

export interface ResourceKind {
  group: string; // '' for the core group
  /** Served versions, the preferred one (kubectl's default, the REST path's) first. */
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** Categories kubectl resolves (`kubectl get istio-io`); "all" is kubectl's own. */
  categories?: string[];
  /** Custom resources: where the definition comes from (a CRD object in the store). */
  crd?: boolean;
}

const ISTIO_KINDS: ResourceKind[] = ISTIO_CRDS.map((c) => ({
  group: c.group,
  versions: c.versions,
  kind: c.kind,
  plural: c.plural,
  singular: c.singular,
  shortNames: c.shortNames,
  namespaced: true,
  categories: c.categories,
  crd: true,
}));

export const KINDS: readonly ResourceKind[] = [
  { group: '', versions: ['v1'], kind: 'Namespace', plural: 'namespaces', singular: 'namespace', shortNames: ['ns'], namespaced: false },
  { group: '', versions: ['v1'], kind: 'Node', plural: 'nodes', singular: 'node', shortNames: ['no'], namespaced: false },
  { group: '', versions: ['v1'], kind: 'Pod', plural: 'pods', singular: 'pod', shortNames: ['po'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'Service', plural: 'services', singular: 'service', shortNames: ['svc'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'], namespaced: true },
  { group: 'discovery.k8s.io', versions: ['v1'], kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice', shortNames: [], namespaced: true },
  { group: '', versions: ['v1'], kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', shortNames: ['cm'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', shortNames: ['sa'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'Secret', plural: 'secrets', singular: 'secret', shortNames: [], namespaced: true },
  { group: '', versions: ['v1'], kind: 'Event', plural: 'events', singular: 'event', shortNames: ['ev'], namespaced: true },
  { group: 'apps', versions: ['v1'], kind: 'Deployment', plural: 'deployments', singular: 'deployment', shortNames: ['deploy'], namespaced: true },
  { group: 'apps', versions: ['v1'], kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'ResourceQuota', plural: 'resourcequotas', singular: 'resourcequota', shortNames: ['quota'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'LimitRange', plural: 'limitranges', singular: 'limitrange', shortNames: ['limits'], namespaced: true },
  { group: 'networking.k8s.io', versions: ['v1'], kind: 'NetworkPolicy', plural: 'networkpolicies', singular: 'networkpolicy', shortNames: ['netpol'], namespaced: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], kind: 'Role', plural: 'roles', singular: 'role', shortNames: [], namespaced: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], kind: 'RoleBinding', plural: 'rolebindings', singular: 'rolebinding', shortNames: [], namespaced: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], kind: 'ClusterRole', plural: 'clusterroles', singular: 'clusterrole', shortNames: [], namespaced: false },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', singular: 'clusterrolebinding', shortNames: [], namespaced: false },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    shortNames: ['crd', 'crds'],
    namespaced: false,
    categories: ['api-extensions'],
  },
  ...ISTIO_KINDS,
];

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The kind served for apiVersion+kind, or undefined ("no matches for kind"). */
export function kindFor(apiVersion: string, kind: string): ResourceKind | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return KINDS.find((k) => k.group === group && k.kind === kind && k.versions.includes(version));
}

export function kindByName(kind: string, group?: string): ResourceKind | undefined {
  return KINDS.find((k) => k.kind === kind && (group === undefined || k.group === group));
}

/** The kind seen through one of its served versions: that version first (REST paths, apiVersion of answers). */
export function inVersion(k: ResourceKind, version: string): ResourceKind {
  if (k.versions[0] === version || !k.versions.includes(version)) return k;
  return { ...k, versions: [version, ...k.versions.filter((v) => v !== version)] };
}

/**
 * Resolves what a user types after `kubectl get`: plural, singular, short name, Kind,
 * optionally qualified with a group (`gateways.networking.istio.io`) or a version and a group
 * (`virtualservices.v1alpha3.networking.istio.io`: the answer is then in that version).
 */
export function resolveResource(name: string): ResourceKind | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const qualifier = dot < 0 ? undefined : lower.slice(dot + 1);
  for (const k of KINDS) {
    if (!(k.plural === base || k.singular === base || k.shortNames.includes(base) || k.kind.toLowerCase() === base)) continue;
    if (qualifier === undefined || k.group === qualifier) return k;
    const version = k.versions.find((v) => qualifier === `${v}.${k.group}` || (k.group === '' && qualifier === v));
    if (version) return inVersion(k, version);
  }
  // `gateways` without a group means the Istio Gateway here (no Gateway API CRDs installed).
  return undefined;
}

/** The kind as an object's apiVersion names it (the version the client sends it in). */
export function kindForObject(r: ResourceKind, apiVersion: unknown): ResourceKind {
  if (typeof apiVersion !== 'string') return r;
  const { group, version } = splitApiVersion(apiVersion);
  return group === r.group ? inVersion(r, version) : r;
}

/** "deployments.apps", "pods", "virtualservices.networking.istio.io": the name in apiserver messages. */
export function qualifiedResource(k: ResourceKind): string {
  return k.group ? `${k.plural}.${k.group}` : k.plural;
}

/** "deployment.apps", "pod", "virtualservice.networking.istio.io": the prefix kubectl prints before /name. */
export function qualifiedSingular(k: ResourceKind): string {
  return k.group ? `${k.singular}.${k.group}` : k.singular;
}

export function preferredApiVersion(k: ResourceKind): string {
  return k.group ? `${k.group}/${k.versions[0]}` : k.versions[0];
}

/** One row of `kubectl api-resources`. */
export interface ApiResourceRow {
  name: string;
  shortNames: string[];
  apiVersion: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  categories: string[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * What `kubectl api-resources` lists, in its order: kubectl sorts stably by API group (core
 * first; kubernetes/kubectl pkg/cmd/apiresources sortableResource with no --sort-by), and
 * discovery lists a group's resources by name. Each kind appears once, in its preferred version
 * (ServerPreferredResources: the group's preferred version, or the highest one that serves it).
 */
export function apiResources(): ApiResourceRow[] {
  return [...KINDS]
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.group === '' ? 0 : a.plural.localeCompare(b.plural)))
    .map((k) => ({
      name: k.plural,
      shortNames: k.shortNames,
      apiVersion: preferredApiVersion(k),
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: VERBS,
      categories: k.categories ?? [],
    }));
}
