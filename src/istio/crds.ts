/**
 * Istio's CustomResourceDefinitions as objects (apiextensions.k8s.io/v1), the way
 * `istioctl install` applies them from manifests/charts/base/files/crd-all.gen.yaml: names,
 * scope, versions (served, storage, printer columns, status subresource) and the status the
 * apiserver gives an established CRD. The OpenAPI schemas themselves are not copied in (the
 * validator holds them in src/validation/schema); `kubectl explain` reads them from there.
 */
import { crdName, ISTIO_CRDS, type IstioCrd } from './kinds';

export type CrdObject = {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
};

export function crdObject(c: IstioCrd): CrdObject {
  const names = {
    categories: c.categories,
    kind: c.kind,
    listKind: `${c.kind}List`,
    plural: c.plural,
    ...(c.shortNames.length ? { shortNames: c.shortNames } : {}),
    singular: c.singular,
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crdName(c),
      // crd-all.gen.yaml's metadata
      annotations: { 'helm.sh/resource-policy': 'keep' },
      labels: { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' },
    },
    spec: {
      group: c.group,
      names,
      scope: 'Namespaced',
      versions: [...c.versions].sort().map((name) => ({
        ...(c.printerColumns.length ? { additionalPrinterColumns: c.printerColumns } : {}),
        name,
        served: true,
        storage: name === c.storageVersion,
        subresources: { status: {} },
      })),
    },
    status: {
      acceptedNames: names,
      conditions: [
        { message: 'no conflicts found', reason: 'NoConflicts', status: 'True', type: 'NamesAccepted' },
        { message: 'the initial names have been accepted', reason: 'InitialNamesAccepted', status: 'True', type: 'Established' },
      ],
      storedVersions: [c.storageVersion],
    },
  };
}

/** Every Istio CRD, in crd-all.gen.yaml's order. */
export function istioCrdObjects(): CrdObject[] {
  return ISTIO_CRDS.map(crdObject);
}
