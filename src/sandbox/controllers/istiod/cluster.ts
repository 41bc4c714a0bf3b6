/**
 * Services → CDS clusters and EDS endpoints, shaped by DestinationRules:
 * outbound|<port>||<host> for the service and outbound|<port>|<subset>|<host> per subset,
 * with the load balancer, connection pool and outlier detection of the merged traffic policy.
 */
import { fromMap, matches } from '../../api/labels';
import type { Cluster, ClusterLoadAssignment, LbEndpoint, LbPolicy } from '../../dataplane/types';
import type { DestinationRuleSpec, TrafficPolicy } from './istioTypes';
import { parseDuration } from './istioTypes';
import type { Config, PushContext, ServiceInfo, ServicePort } from './pushContext';
import { clusterName } from './virtualService';
import { peerAuthenticationPortMode } from './security';
import { destinationRuleFor } from './destinationRules';

function mergePolicy(base: TrafficPolicy | undefined, over: TrafficPolicy | undefined): TrafficPolicy | undefined {
  if (!base) return over;
  if (!over) return base;
  return { ...base, ...over };
}

function lbPolicy(tp: TrafficPolicy | undefined): Pick<Cluster, 'lbPolicy' | 'consistentHash'> {
  const lb = tp?.loadBalancer;
  if (lb?.consistentHash) {
    const ch = lb.consistentHash;
    return {
      lbPolicy: 'RING_HASH',
      consistentHash: {
        httpHeaderName: ch.httpHeaderName,
        httpCookie: ch.httpCookie?.name,
        useSourceIp: ch.useSourceIp,
        httpQueryParameterName: ch.httpQueryParameterName,
      },
    };
  }
  const simple = lb?.simple;
  const map: Record<string, LbPolicy> = {
    ROUND_ROBIN: 'ROUND_ROBIN',
    RANDOM: 'RANDOM',
    LEAST_REQUEST: 'LEAST_REQUEST',
    LEAST_CONN: 'LEAST_REQUEST',
    PASSTHROUGH: 'PASSTHROUGH',
  };
  // Istio's default since 1.14 is LEAST_REQUEST.
  return { lbPolicy: simple ? map[simple] ?? 'LEAST_REQUEST' : 'LEAST_REQUEST' };
}

function applyPolicy(c: Cluster, tp: TrafficPolicy | undefined): void {
  Object.assign(c, lbPolicy(tp));
  const cp = tp?.connectionPool;
  if (cp)
    c.connectionPool = {
      maxConnections: cp.tcp?.maxConnections,
      http1MaxPendingRequests: cp.http?.http1MaxPendingRequests,
      http2MaxRequests: cp.http?.http2MaxRequests,
      maxRequestsPerConnection: cp.http?.maxRequestsPerConnection,
    };
  const od = tp?.outlierDetection;
  if (od)
    c.outlierDetection = {
      consecutive5xxErrors: od.consecutive5xxErrors ?? 5,
      consecutiveGatewayErrors: od.consecutiveGatewayErrors,
      intervalMs: parseDuration(od.interval) ?? 10_000,
      baseEjectionTimeMs: parseDuration(od.baseEjectionTime) ?? 30_000,
      maxEjectionPercent: od.maxEjectionPercent ?? 10,
    };
  const tls = tp?.tls;
  if (tls?.mode === 'DISABLE' || tls?.mode === 'SIMPLE' || tls?.mode === 'MUTUAL') c.tlsMode = tls.mode;
  if ((tls?.mode === 'SIMPLE' || tls?.mode === 'MUTUAL') && tls.sni) c.sni = tls.sni;
}

/**
 * The policy for one port: a portLevelSettings entry for it replaces the top-level loadBalancer,
 * connectionPool, outlierDetection and tls it sets (istio/istio pilot/pkg/networking/core
 * cluster_traffic_policy.go: selectTrafficPolicyComponents / MergeTrafficPolicy).
 */
function policyForPort(tp: TrafficPolicy | undefined, port: number): TrafficPolicy | undefined {
  const pls = tp?.portLevelSettings?.find((p) => p.port?.number === port);
  if (!pls) return tp;
  const { port: _port, ...over } = pls;
  const merged: TrafficPolicy = { ...tp };
  for (const k of ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls'] as const) if (over[k] !== undefined) (merged as Record<string, unknown>)[k] = over[k];
  return merged;
}

function endpointsFor(svc: ServiceInfo, port: ServicePort, subsetLabels: Record<string, string> | undefined, push?: PushContext): LbEndpoint[] {
  const reqs = fromMap(subsetLabels);
  return svc.instances
    .filter((i) => matches(i.labels, reqs))
    .filter((i) => i.ports[port.name] !== undefined || svc.source === 'serviceentry')
    .map((i) => ({
      address: i.ip,
      port: i.ports[port.name] ?? Number(port.targetPort),
      healthy: i.ready,
      pod: i.pod,
      // auto mTLS sends plaintext to a port whose PeerAuthentication says DISABLE
      istio: i.istio && !(push && i.pod && serverDisablesMtls(push, i.pod, i.ports[port.name])),
      hostname: i.hostname,
      labels: i.labels,
    }));
}

function serverDisablesMtls(push: PushContext, podKey: string, port: number | undefined): boolean {
  const pod = push.pods.find((p) => `${p.namespace}/${p.name}` === podKey);
  return !!pod && port !== undefined && peerAuthenticationPortMode(push, pod, port) === 'DISABLE';
}

/** CDS/EDS for the services a proxy sees (all of them for gateways; its SidecarScope's for sidecars). */
export function buildOutboundClusters(push: PushContext, proxy: { namespace: string; labels: Record<string, string> }, services: ServiceInfo[] = push.services): { clusters: Cluster[]; endpoints: ClusterLoadAssignment[] } {
  const clusters: Cluster[] = [];
  const endpoints: ClusterLoadAssignment[] = [];
  for (const svc of services) {
    // exportTo and workloadSelector decide which rule this proxy sees (destinationRules.ts)
    const dr = destinationRuleFor(push, svc.hostname, proxy, svc.namespace);
    for (const port of svc.ports) {
      const base: Cluster = {
        name: clusterName('outbound', port.port, undefined, svc.hostname),
        type: svc.resolution === 'DNS' ? 'STRICT_DNS' : svc.resolution === 'NONE' && svc.source === 'serviceentry' ? 'ORIGINAL_DST' : 'EDS',
        direction: 'outbound',
        serviceHost: svc.hostname,
        port: port.port,
        lbPolicy: 'LEAST_REQUEST',
        tlsMode: svc.external ? 'DISABLE' : 'ISTIO_MUTUAL',
        destinationRule: dr ? `${dr.namespace}/${dr.name}` : undefined,
        // HTTP2 and GRPC ports get an HTTP/2 upstream (istio/istio pilot/pkg/networking/core/cluster_builder.go
        // setUpstreamProtocol; pkg/config/protocol: IsHTTP2 is HTTP2, GRPC or GRPC-Web), e.g. a sidecar's
        // requests to istio-egressgateway's port 80, named `http2`, arrive at the gateway as HTTP/2
        ...(port.protocol === 'HTTP2' || port.protocol === 'GRPC' ? { http2: true } : {}),
      };
      applyPolicy(base, policyForPort(dr?.spec.trafficPolicy, port.port));
      clusters.push(base);
      endpoints.push({ clusterName: base.name, endpoints: endpointsFor(svc, port, undefined, push) });
      for (const subset of dr?.spec.subsets ?? []) {
        if (!subset.name) continue;
        const c: Cluster = { ...base, name: clusterName('outbound', port.port, subset.name, svc.hostname), subset: subset.name };
        applyPolicy(c, mergePolicy(policyForPort(dr?.spec.trafficPolicy, port.port), policyForPort(subset.trafficPolicy, port.port)));
        clusters.push(c);
        endpoints.push({ clusterName: c.name, endpoints: endpointsFor(svc, port, subset.labels, push) });
      }
    }
  }
  return { clusters, endpoints };
}

export const PASSTHROUGH_CLUSTER: Cluster = { name: 'PassthroughCluster', type: 'ORIGINAL_DST', direction: 'none', lbPolicy: 'PASSTHROUGH', tlsMode: 'DISABLE' };
export const BLACKHOLE_CLUSTER: Cluster = { name: 'BlackHoleCluster', type: 'STATIC', direction: 'none', lbPolicy: 'ROUND_ROBIN', tlsMode: 'DISABLE' };
