/**
 * The parts of Istio's networking.istio.io / security.istio.io specs the sandbox reads.
 * Field names follow istio.io/api exactly; every field is optional because admission of
 * these kinds is only structural until src/validation plugs its schema check in.
 */

export interface StringMatchSpec {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatchSpec;
  scheme?: StringMatchSpec;
  method?: StringMatchSpec;
  authority?: StringMatchSpec;
  headers?: Record<string, StringMatchSpec>;
  withoutHeaders?: Record<string, StringMatchSpec>;
  queryParams?: Record<string, StringMatchSpec>;
  port?: number;
  sourceLabels?: Record<string, string>;
  gateways?: string[];
  sourceNamespace?: string;
  ignoreUriCase?: boolean;
}

export interface PortSelector {
  number?: number;
}

export interface Destination {
  host?: string;
  subset?: string;
  port?: PortSelector;
}

export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface Headers {
  request?: HeaderOperations;
  response?: HeaderOperations;
}

export interface HTTPRouteDestination {
  destination?: Destination;
  weight?: number;
  headers?: Headers;
}

export interface Percent {
  value?: number;
}

export interface HTTPFaultInjection {
  delay?: { fixedDelay?: string; percentage?: Percent; percent?: number };
  abort?: { httpStatus?: number; percentage?: Percent };
}

export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  redirect?: { uri?: string; authority?: string; port?: number; scheme?: string; redirectCode?: number };
  directResponse?: { status?: number; body?: { string?: string; bytes?: string } };
  rewrite?: { uri?: string; authority?: string; uriRegexRewrite?: { match?: string; rewrite?: string } };
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string };
  fault?: HTTPFaultInjection;
  mirror?: Destination;
  mirrorPercentage?: Percent;
  headers?: Headers;
}

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HTTPRoute[];
  exportTo?: string[];
}

export interface Subset {
  name?: string;
  labels?: Record<string, string>;
  trafficPolicy?: TrafficPolicy;
}

export interface TrafficPolicy {
  loadBalancer?: {
    simple?: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'PASSTHROUGH' | 'LEAST_CONN' | 'UNSPECIFIED';
    consistentHash?: {
      httpHeaderName?: string;
      httpCookie?: { name?: string; ttl?: string };
      useSourceIp?: boolean;
      httpQueryParameterName?: string;
    };
  };
  connectionPool?: {
    tcp?: { maxConnections?: number };
    http?: { http1MaxPendingRequests?: number; http2MaxRequests?: number; maxRequestsPerConnection?: number };
  };
  outlierDetection?: {
    consecutive5xxErrors?: number;
    consecutiveGatewayErrors?: number;
    interval?: string;
    baseEjectionTime?: string;
    maxEjectionPercent?: number;
  };
  tls?: { mode?: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL'; sni?: string; credentialName?: string };
  /** Per destination port: these fields replace the top-level ones for that port (networking/v1alpha3 PortTrafficPolicy). */
  portLevelSettings?: (Omit<TrafficPolicy, 'portLevelSettings'> & { port?: { number?: number } })[];
}

export interface DestinationRuleSpec {
  host?: string;
  trafficPolicy?: TrafficPolicy;
  subsets?: Subset[];
  exportTo?: string[];
}

export interface ServerSpec {
  port?: { number?: number; name?: string; protocol?: string; targetPort?: number };
  hosts?: string[];
  tls?: { mode?: string; httpsRedirect?: boolean; credentialName?: string };
  name?: string;
}

export interface GatewaySpec {
  selector?: Record<string, string>;
  servers?: ServerSpec[];
}

export interface ServiceEntrySpec {
  hosts?: string[];
  addresses?: string[];
  ports?: { number?: number; protocol?: string; name?: string; targetPort?: number }[];
  location?: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  resolution?: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN';
  endpoints?: { address?: string; ports?: Record<string, number>; labels?: Record<string, string> }[];
  exportTo?: string[];
}

export interface PeerAuthenticationSpec {
  selector?: { matchLabels?: Record<string, string> };
  mtls?: { mode?: 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT' };
}

// The duration parser lives in src/istio/duration.ts (shared with src/validation).
export { parseDuration } from '../../../istio/duration';
