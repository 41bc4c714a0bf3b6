/**
 * exportTo: which namespaces see a service and a VirtualService. Follows istio/istio
 * pilot/pkg/model/push_context.go (IsServiceVisible, initVirtualServices, VirtualServicesForGateway,
 * initDefaultExportMaps) with the mesh defaults (defaultServiceExportTo and
 * defaultVirtualServiceExportTo unset: "*"). A Kubernetes Service says its exportTo in the
 * `networking.istio.io/exportTo` annotation (comma-separated, pilot/pkg/serviceregistry/kube/conversion.go),
 * a ServiceEntry and a VirtualService in `spec.exportTo`. "." is the object's own namespace, "*" every
 * namespace, "~" none. DestinationRules have their own index (destinationRules.ts).
 */
import { resolveGatewayRef } from './hosts';
import type { VirtualServiceSpec } from './istioTypes';
import type { Config, PushContext, ServiceInfo } from './pushContext';

const PUBLIC = '*';
const PRIVATE = '.';
const NONE = '~';

/** The exportTo annotation of a Kubernetes Service, split as kube/conversion.go does. */
export function exportToAnnotation(annotations: Record<string, string> | undefined): string[] | undefined {
  const raw = annotations?.['networking.istio.io/exportTo'];
  if (!raw) return undefined;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/** IsServiceVisible: an empty exportTo takes the mesh default ("*"). */
export function isServiceVisible(svc: ServiceInfo, namespace: string): boolean {
  const exportTo = svc.exportTo ?? [];
  if (exportTo.length === 0) return true;
  return exportTo.includes(PUBLIC) || (exportTo.includes(PRIVATE) && svc.namespace === namespace) || exportTo.includes(namespace);
}

/** servicesExportedToNamespace, in the push context's order. */
export function servicesVisibleTo(push: PushContext, namespace: string): ServiceInfo[] {
  if (push.services.every((s) => !s.exportTo?.length)) return push.services;
  return push.services.filter((s) => isServiceVisible(s, namespace));
}

/** getGatewayNames: the gateways a VirtualService binds to, "mesh" when it names none, as "namespace/name". */
export function gatewayNames(vs: Config<VirtualServiceSpec>): string[] {
  const gws = vs.spec.gateways?.length ? vs.spec.gateways : ['mesh'];
  return gws.map((g) => resolveGatewayRef(g, vs.namespace));
}

/**
 * VirtualServicesForGateway: the VirtualServices bound to `gateway` ("mesh" or "namespace/name") that a
 * proxy in `proxyNamespace` sees — first those private to its namespace, then those exported to it by
 * name, then the public ones, each in creation order (the push context's order).
 */
export function virtualServicesForGateway(push: PushContext, proxyNamespace: string, gateway: string): Config<VirtualServiceSpec>[] {
  const priv: Config<VirtualServiceSpec>[] = [];
  const exported: Config<VirtualServiceSpec>[] = [];
  const pub: Config<VirtualServiceSpec>[] = [];
  for (const vs of push.virtualServices) {
    if (!gatewayNames(vs).includes(gateway)) continue;
    const exportTo = vs.spec.exportTo ?? [];
    if (exportTo.length === 0 || exportTo.includes(PUBLIC)) {
      pub.push(vs);
      continue;
    }
    if (exportTo.includes(NONE)) continue;
    if (vs.namespace === proxyNamespace && (exportTo.includes(PRIVATE) || exportTo.includes(vs.namespace))) priv.push(vs);
    else if (exportTo.includes(proxyNamespace)) exported.push(vs);
  }
  return [...priv, ...exported, ...pub];
}
