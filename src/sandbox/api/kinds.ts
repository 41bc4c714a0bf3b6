/**
 * The resource kinds this apiserver serves: what `kubectl api-resources` lists.
 * Names, short names and scopes are those of a real cluster with Istio installed.
 */
export interface ResourceKind {
  group: string; // '' for the core group
  versions: string[]; // served versions, storage version first
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** Extra names kubectl accepts (categories such as "all" are handled by kubectl). */
}

const ISTIO_NET_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];
const ISTIO_SEC_VERSIONS = ['v1', 'v1beta1'];

export const KINDS: readonly ResourceKind[] = [
  { group: '', versions: ['v1'], kind: 'Namespace', plural: 'namespaces', singular: 'namespace', shortNames: ['ns'], namespaced: false },
  { group: '', versions: ['v1'], kind: 'Node', plural: 'nodes', singular: 'node', shortNames: ['no'], namespaced: false },
  { group: '', versions: ['v1'], kind: 'Pod', plural: 'pods', singular: 'pod', shortNames: ['po'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'Service', plural: 'services', singular: 'service', shortNames: ['svc'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', shortNames: ['cm'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', shortNames: ['sa'], namespaced: true },
  { group: '', versions: ['v1'], kind: 'Secret', plural: 'secrets', singular: 'secret', shortNames: [], namespaced: true },
  { group: '', versions: ['v1'], kind: 'Event', plural: 'events', singular: 'event', shortNames: ['ev'], namespaced: true },
  { group: 'apps', versions: ['v1'], kind: 'Deployment', plural: 'deployments', singular: 'deployment', shortNames: ['deploy'], namespaced: true },
  { group: 'apps', versions: ['v1'], kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'], namespaced: true },
  { group: 'networking.istio.io', versions: ISTIO_NET_VERSIONS, kind: 'Gateway', plural: 'gateways', singular: 'gateway', shortNames: ['gw'], namespaced: true },
  { group: 'networking.istio.io', versions: ISTIO_NET_VERSIONS, kind: 'VirtualService', plural: 'virtualservices', singular: 'virtualservice', shortNames: ['vs'], namespaced: true },
  { group: 'networking.istio.io', versions: ISTIO_NET_VERSIONS, kind: 'DestinationRule', plural: 'destinationrules', singular: 'destinationrule', shortNames: ['dr'], namespaced: true },
  { group: 'networking.istio.io', versions: ISTIO_NET_VERSIONS, kind: 'ServiceEntry', plural: 'serviceentries', singular: 'serviceentry', shortNames: ['se'], namespaced: true },
  { group: 'networking.istio.io', versions: ISTIO_NET_VERSIONS, kind: 'Sidecar', plural: 'sidecars', singular: 'sidecar', shortNames: [], namespaced: true },
  { group: 'security.istio.io', versions: ISTIO_SEC_VERSIONS, kind: 'PeerAuthentication', plural: 'peerauthentications', singular: 'peerauthentication', shortNames: ['pa'], namespaced: true },
  { group: 'security.istio.io', versions: ISTIO_SEC_VERSIONS, kind: 'AuthorizationPolicy', plural: 'authorizationpolicies', singular: 'authorizationpolicy', shortNames: ['ap'], namespaced: true },
  // minimal lines for the dataplane's kinds until the generated registry lands (helper istio-core)
  { group: 'networking.istio.io', versions: ['v1alpha3'], kind: 'EnvoyFilter', plural: 'envoyfilters', singular: 'envoyfilter', shortNames: [], namespaced: true },
  { group: 'security.istio.io', versions: ISTIO_SEC_VERSIONS, kind: 'RequestAuthentication', plural: 'requestauthentications', singular: 'requestauthentication', shortNames: ['ra'], namespaced: true },
  { group: 'telemetry.istio.io', versions: ['v1', 'v1alpha1'], kind: 'Telemetry', plural: 'telemetries', singular: 'telemetry', shortNames: ['telemetry'], namespaced: true },
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

/**
 * Resolves what a user types after `kubectl get`: plural, singular, short name, Kind,
 * optionally qualified with a group (`gateways.networking.istio.io`).
 */
export function resolveResource(name: string): ResourceKind | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const matches = KINDS.filter(
    (k) =>
      (k.plural === base || k.singular === base || k.shortNames.includes(base) || k.kind.toLowerCase() === base) &&
      (group === undefined || k.group === group || `${k.versions[0]}.${k.group}` === group),
  );
  // `gateways` without a group means the Istio Gateway here (no Gateway API CRDs installed).
  return matches[0];
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
