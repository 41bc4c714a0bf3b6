/**
 * Discovery: what kubectl reads to map `kubectl get vs` to a REST path.
 *
 *   aggregated (KEP-3352, apidiscovery.k8s.io/v2): GET /api and /apis with
 *     Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList
 *     → every group, version, resource, subresource in one answer
 *   legacy: /api (APIVersions), /apis (APIGroupList), /api/v1 and /apis/G/V (APIResourceList)
 *
 * Shapes from k8s.io/api/apidiscovery/v2 and k8s.io/apimachinery/pkg/apis/meta/v1 (types.go);
 * verbs, categories and subresources as a kind cluster with Istio 1.29 serves them.
 */
import { KINDS, type ResourceKind } from '../api/kinds';

export const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** The group of SelfSubjectAccessReview (kubectl auth can-i). */
const AUTHZ: ResourceKind = {
  group: 'authorization.k8s.io',
  versions: ['v1'],
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  shortNames: [],
  namespaced: false,
};

/** SelfSubjectRulesReview (kubectl auth can-i --list), in the same group. */
const AUTHZ_RULES: ResourceKind = { ...AUTHZ, kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview' };

const FULL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function verbs(r: ResourceKind): string[] {
  if (r === AUTHZ || r === AUTHZ_RULES) return ['create'];
  if (r.kind === 'Namespace') return ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
  return FULL;
}

/** `kubectl get all` expands the category "all" (pods, services, deployments, replicasets, …). */
function categories(r: ResourceKind): string[] {
  if (['Pod', 'Service', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'ReplicationController'].includes(r.kind) && (r.group === '' || r.group === 'apps' || r.group === 'batch'))
    return ['all'];
  // Istio's CRDs (manifests/charts/base/files/crd-all.gen.yaml): spec.names.categories
  if (r.group.endsWith('.istio.io')) return ['istio-io', `${r.group.split('.')[0]}-istio-io`];
  return [];
}

interface Sub {
  subresource: string;
  verbs: string[];
  kind?: { group: string; version: string; kind: string };
}

function subresources(r: ResourceKind): Sub[] {
  const status: Sub = { subresource: 'status', verbs: ['get', 'patch', 'update'] };
  switch (r.kind) {
    case 'Pod':
      return [
        { subresource: 'exec', verbs: ['create', 'get'], kind: { group: '', version: 'v1', kind: 'PodExecOptions' } },
        { subresource: 'log', verbs: ['get'] },
        { subresource: 'portforward', verbs: ['create', 'get'], kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' } },
        status,
      ];
    case 'ServiceAccount':
      // the TokenRequest subresource (kubectl create token)
      return [{ subresource: 'token', verbs: ['create'], kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' } }];
    case 'ResourceQuota':
      return [status];
    case 'Deployment':
    case 'ReplicaSet':
      return [{ subresource: 'scale', verbs: ['get', 'patch', 'update'], kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } }, status];
    case 'Namespace':
    case 'Node':
    case 'Service':
      return [status];
    default:
      return r.group.endsWith('.istio.io') ? [status] : [];
  }
}

function served(): ResourceKind[] {
  return [...KINDS, AUTHZ, AUTHZ_RULES];
}

/** Groups in the order a kube-apiserver lists them: core first, then built-in groups, then CRDs. */
function groups(): { name: string; versions: string[] }[] {
  const order = (g: string): number => (g === '' ? 0 : g.endsWith('.k8s.io') || !g.includes('.') ? 1 : 2);
  const byGroup = new Map<string, Set<string>>();
  for (const k of served()) {
    const s = byGroup.get(k.group) ?? new Set<string>();
    for (const v of k.versions) s.add(v);
    byGroup.set(k.group, s);
  }
  return [...byGroup]
    .map(([name, vs]) => ({ name, versions: sortVersions([...vs]) }))
    .sort((a, b) => order(a.name) - order(b.name) || (order(a.name) === 2 ? a.name.localeCompare(b.name) : 0));
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first (apimachinery's version.CompareKubeAwareVersionStrings). */
export function sortVersions(vs: string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    return [m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  return [...vs].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  });
}

function resourcesOf(group: string, version: string): ResourceKind[] {
  return served().filter((k) => k.group === group && k.versions.includes(version));
}

// ---- legacy -------------------------------------------------------------------------------

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups()
      .filter((g) => g.name !== '')
      .map((g) => ({
        name: g.name,
        versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
      })),
  };
}

export function apiGroup(name: string): unknown | undefined {
  const g = groups().find((x) => x.name === name && name !== '');
  if (!g) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
  };
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const rs = resourcesOf(group, version);
  if (rs.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const r of rs) {
    const cats = categories(r);
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbs(r),
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(cats.length ? { categories: cats } : {}),
    });
    for (const s of subresources(r))
      resources.push({
        name: `${r.plural}/${s.subresource}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.kind ? { group: s.kind.group, version: s.kind.version } : {}),
        kind: s.kind?.kind ?? r.kind,
        verbs: s.verbs,
      });
  }
  resources.sort((a, b) => String((a as { name: string }).name).localeCompare(String((b as { name: string }).name)));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

// ---- aggregated (apidiscovery.k8s.io/v2) ----------------------------------------------------

export function aggregatedDiscovery(which: 'api' | 'apis'): unknown {
  const items = groups()
    .filter((g) => (which === 'api' ? g.name === '' : g.name !== ''))
    .map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: resourcesOf(g.name, v)
          .sort((a, b) => a.plural.localeCompare(b.plural))
          .map((r) => {
            const cats = categories(r);
            const subs = subresources(r);
            return {
              resource: r.plural,
              responseKind: { group: r.group, version: v, kind: r.kind },
              scope: r.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: r.singular,
              verbs: verbs(r),
              ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
              ...(cats.length ? { categories: cats } : {}),
              ...(subs.length
                ? { subresources: subs.map((s) => ({ subresource: s.subresource, responseKind: s.kind ?? { group: r.group, version: v, kind: r.kind }, verbs: s.verbs })) }
                : {}),
            };
          }),
        freshness: 'Current',
      })),
    }));
  if (which === 'api') for (const i of items) delete (i.metadata as { name?: string }).name;
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

/** Is this served (group, version) known at all (for 404s on /apis/G/V)? */
export function servesGroupVersion(group: string, version: string): boolean {
  return resourcesOf(group, version).length > 0;
}

export { AUTHZ as SELF_SUBJECT_ACCESS_REVIEW };
