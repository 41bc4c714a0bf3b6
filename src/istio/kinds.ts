/**
 * Istio's custom resources as Istio 1.29's CRDs declare them: which kinds, in which served
 * versions (generated from the same schema bundle as the validator: kinds.gen.json, written by
 * src/validation/generator/generate-schemas.ts), and the CRD names a cluster shows — plural,
 * singular, short names, categories, storage version, printer columns. The names are those of
 * istio/istio manifests/charts/base/files/crd-all.gen.yaml (release-1.29): `spec.names`,
 * `versions[].storage` and `versions[].additionalPrinterColumns` of each CRD.
 */
import generated from './kinds.gen.json';

export interface PrinterColumn {
  name: string;
  /** A simple JSONPath (.spec.hosts), as in additionalPrinterColumns. */
  jsonPath: string;
  type: 'string' | 'date' | 'integer';
  description?: string;
}

export interface IstioCrd {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  /** Served versions, preferred first (Kubernetes' version priority: v1 > v1beta1 > v1alpha3). */
  versions: string[];
  /** The version objects are stored in (versions[].storage: true). */
  storageVersion: string;
  /** Columns of `kubectl get` besides NAME (Age is the creation timestamp). */
  printerColumns: PrinterColumn[];
}

const AGE: PrinterColumn = { name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date' };

/** spec.names and printer columns of crd-all.gen.yaml, per kind. */
const NAMES: Record<string, Omit<IstioCrd, 'group' | 'kind' | 'versions'>> = {
  WasmPlugin: { plural: 'wasmplugins', singular: 'wasmplugin', shortNames: [], categories: ['istio-io', 'extensions-istio-io'], storageVersion: 'v1alpha1', printerColumns: [AGE] },
  DestinationRule: {
    plural: 'destinationrules',
    singular: 'destinationrule',
    shortNames: ['dr'],
    categories: ['istio-io', 'networking-istio-io'],
    storageVersion: 'v1alpha3',
    printerColumns: [{ name: 'Host', jsonPath: '.spec.host', type: 'string', description: 'The name of a service from the service registry' }, AGE],
  },
  EnvoyFilter: { plural: 'envoyfilters', singular: 'envoyfilter', shortNames: [], categories: ['istio-io', 'networking-istio-io'], storageVersion: 'v1alpha3', printerColumns: [] },
  Gateway: { plural: 'gateways', singular: 'gateway', shortNames: ['gw'], categories: ['istio-io', 'networking-istio-io'], storageVersion: 'v1alpha3', printerColumns: [] },
  ProxyConfig: { plural: 'proxyconfigs', singular: 'proxyconfig', shortNames: [], categories: ['istio-io', 'networking-istio-io'], storageVersion: 'v1beta1', printerColumns: [] },
  ServiceEntry: {
    plural: 'serviceentries',
    singular: 'serviceentry',
    shortNames: ['se'],
    categories: ['istio-io', 'networking-istio-io'],
    storageVersion: 'v1alpha3',
    printerColumns: [
      { name: 'Hosts', jsonPath: '.spec.hosts', type: 'string', description: 'The hosts associated with the ServiceEntry' },
      { name: 'Location', jsonPath: '.spec.location', type: 'string', description: 'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)' },
      { name: 'Resolution', jsonPath: '.spec.resolution', type: 'string', description: 'Service resolution mode for the hosts (NONE, STATIC, or DNS)' },
      AGE,
    ],
  },
  Sidecar: { plural: 'sidecars', singular: 'sidecar', shortNames: [], categories: ['istio-io', 'networking-istio-io'], storageVersion: 'v1alpha3', printerColumns: [] },
  VirtualService: {
    plural: 'virtualservices',
    singular: 'virtualservice',
    shortNames: ['vs'],
    categories: ['istio-io', 'networking-istio-io'],
    storageVersion: 'v1alpha3',
    printerColumns: [
      { name: 'Gateways', jsonPath: '.spec.gateways', type: 'string', description: 'The names of gateways and sidecars that should apply these routes' },
      { name: 'Hosts', jsonPath: '.spec.hosts', type: 'string', description: 'The destination hosts to which traffic is being sent' },
      AGE,
    ],
  },
  WorkloadEntry: {
    plural: 'workloadentries',
    singular: 'workloadentry',
    shortNames: ['we'],
    categories: ['istio-io', 'networking-istio-io'],
    storageVersion: 'v1alpha3',
    printerColumns: [AGE, { name: 'Address', jsonPath: '.spec.address', type: 'string', description: 'Address associated with the network endpoint.' }],
  },
  WorkloadGroup: { plural: 'workloadgroups', singular: 'workloadgroup', shortNames: ['wg'], categories: ['istio-io', 'networking-istio-io'], storageVersion: 'v1alpha3', printerColumns: [AGE] },
  AuthorizationPolicy: {
    plural: 'authorizationpolicies',
    singular: 'authorizationpolicy',
    shortNames: ['ap'],
    categories: ['istio-io', 'security-istio-io'],
    storageVersion: 'v1beta1',
    printerColumns: [{ name: 'Action', jsonPath: '.spec.action', type: 'string', description: 'The operation to take.' }, AGE],
  },
  PeerAuthentication: {
    plural: 'peerauthentications',
    singular: 'peerauthentication',
    shortNames: ['pa'],
    categories: ['istio-io', 'security-istio-io'],
    storageVersion: 'v1beta1',
    printerColumns: [{ name: 'Mode', jsonPath: '.spec.mtls.mode', type: 'string', description: 'Defines the mTLS mode used for peer authentication.' }, AGE],
  },
  RequestAuthentication: { plural: 'requestauthentications', singular: 'requestauthentication', shortNames: ['ra'], categories: ['istio-io', 'security-istio-io'], storageVersion: 'v1beta1', printerColumns: [] },
  Telemetry: { plural: 'telemetries', singular: 'telemetry', shortNames: ['telemetry'], categories: ['istio-io', 'telemetry-istio-io'], storageVersion: 'v1alpha1', printerColumns: [AGE] },
};

/**
 * Kubernetes' version priority (k8s.io/apimachinery/pkg/version CompareKubeAwareVersionStrings):
 * GA before beta before alpha, higher numbers first. kubectl uses the first as the preferred version.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    return [m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [x, y] = [parse(a), parse(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.localeCompare(b);
}

export const ISTIO_CRDS: readonly IstioCrd[] = generated.kinds.map((k) => {
  const names = NAMES[k.kind];
  if (!names) throw new Error(`src/istio/kinds.ts: no CRD names for ${k.kind}`);
  return { group: k.group, kind: k.kind, versions: [...k.versions].sort(compareKubeVersions), ...names };
});

/** The CRD's name: `virtualservices.networking.istio.io`. */
export const crdName = (c: IstioCrd): string => `${c.plural}.${c.group}`;

export function istioCrd(group: string, kind: string): IstioCrd | undefined {
  return ISTIO_CRDS.find((c) => c.group === group && c.kind === kind);
}

/** The Istio release the kinds come from ("Istio 1.29.2 crd-all.gen.yaml"). */
export const ISTIO_CRDS_SOURCE = generated.istioCrds;
