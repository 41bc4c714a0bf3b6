/**
 * Envoy response flags (%RESPONSE_FLAGS%) and response code details (%RESPONSE_CODE_DETAILS%)
 * used by the simulation, with what each one means. Names as in Envoy's StreamInfo.
 */
export const ResponseFlag = {
  /** No route configured for the request (404). */
  NoRouteFound: 'NR',
  /** No healthy upstream host in the upstream cluster (503). */
  NoHealthyUpstream: 'UH',
  /** Upstream connection failure (503). */
  UpstreamConnectionFailure: 'UF',
  /** Upstream connection termination: the connection was made, then closed before a response (503). */
  UpstreamConnectionTermination: 'UC',
  /** Upstream overflow: circuit breaking (503). */
  UpstreamOverflow: 'UO',
  /** Upstream retry limit exceeded. */
  UpstreamRetryLimitExceeded: 'URX',
  /** Upstream request timeout (504). */
  UpstreamRequestTimeout: 'UT',
  /** Downstream connection termination (client went away, e.g. curl --max-time). */
  DownstreamConnectionTermination: 'DC',
  /** Request aborted with a response code by fault injection. */
  FaultInjected: 'FI',
  /** Request delayed by fault injection. */
  DelayInjected: 'DI',
  /** Cluster named by the route does not exist. */
  NoClusterFound: 'NC',
  /** Upstream remote reset. */
  UpstreamRemoteReset: 'UR',
  /** Request denied by RBAC. */
  UnauthorizedExternalService: 'UAEX',
  /** Request rate-limited locally by the HTTP local rate limit filter (429). */
  RateLimited: 'RL',
} as const;

export type ResponseFlagCode = (typeof ResponseFlag)[keyof typeof ResponseFlag];

export const ResponseCodeDetails = {
  viaUpstream: 'via_upstream',
  routeNotFound: 'route_not_found',
  noHealthyUpstream: 'no_healthy_upstream',
  clusterNotFound: 'cluster_not_found',
  responseTimeout: 'response_timeout',
  faultAbort: 'fault_filter_abort',
  directResponse: 'direct_response',
  overflow: 'upstream_reset_before_response_started{overflow}',
  connectionFailure: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}',
  /** TLS the proxy originated toward a server that answered in plaintext (BoringSSL's WRONG_VERSION_NUMBER). */
  tlsWrongVersion: 'upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end}',
  connectionTermination: 'upstream_reset_before_response_started{connection_termination}',
  connectionTimeout: 'upstream_reset_before_response_started{connection_timeout}',
  downstreamReset: 'downstream_remote_disconnect',
  rbacDenied: 'rbac_access_denied_matched_policy[none]',
  localRateLimited: 'local_rate_limited',
} as const;

/** Envoy prints several flags joined by commas, in a fixed order; "-" when there is none. */
export function formatFlags(flags: readonly string[]): string {
  return flags.length === 0 ? '-' : [...new Set(flags)].join(',');
}
