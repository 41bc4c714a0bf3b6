/**
 * Istio's default TEXT access-log format (meshConfig.accessLogFile set, accessLogFormat empty):
 *
 * [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 * %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 * "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
 * %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 * "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
 * %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
 * %REQUESTED_SERVER_NAME% %ROUTE_NAME%
 *
 * Empty values print as "-".
 */
import { isoMillis } from '../core/clock';
import { formatFlags } from './responseFlags';

export interface AccessLogEntry {
  startTime: number;
  method: string;
  /** X-ENVOY-ORIGINAL-PATH if a rewrite happened, else :path. */
  path: string;
  protocol: string;
  responseCode: number;
  flags: string[];
  details: string;
  connectionTerminationDetails?: string;
  upstreamTransportFailureReason?: string;
  bytesReceived: number;
  bytesSent: number;
  durationMs: number;
  upstreamServiceTimeMs?: number;
  xForwardedFor?: string;
  userAgent?: string;
  requestId?: string;
  authority: string;
  upstreamHost?: string;
  upstreamCluster?: string;
  upstreamLocalAddress?: string;
  downstreamLocalAddress: string;
  downstreamRemoteAddress: string;
  requestedServerName?: string;
  routeName?: string;
}

const d = (v: string | number | undefined): string => (v === undefined || v === '' ? '-' : String(v));

export function formatAccessLog(e: AccessLogEntry): string {
  return (
    `[${isoMillis(e.startTime)}] "${e.method} ${e.path} ${e.protocol}" ${e.responseCode} ${formatFlags(e.flags)} ${d(e.details)} ` +
    `${d(e.connectionTerminationDetails)} "${d(e.upstreamTransportFailureReason)}" ${e.bytesReceived} ${e.bytesSent} ${Math.round(e.durationMs)} ` +
    `${d(e.upstreamServiceTimeMs === undefined ? undefined : Math.round(e.upstreamServiceTimeMs))} "${d(e.xForwardedFor)}" "${d(e.userAgent)}" ` +
    `"${d(e.requestId)}" "${d(e.authority)}" "${d(e.upstreamHost)}" ${d(e.upstreamCluster)} ${d(e.upstreamLocalAddress)} ` +
    `${d(e.downstreamLocalAddress)} ${d(e.downstreamRemoteAddress)} ${d(e.requestedServerName)} ${d(e.routeName)}`
  );
}

/**
 * meshConfig.accessLogEncoding: JSON — Istio's default JSON access-log format: the same
 * fields under snake_case keys, numbers as numbers, absent values as null, keys sorted.
 */
export function formatAccessLogJson(e: AccessLogEntry): string {
  const v = (x: string | number | undefined): string | number | null => (x === undefined || x === '' ? null : x);
  const o: Record<string, string | number | null> = {
    authority: v(e.authority),
    bytes_received: e.bytesReceived,
    bytes_sent: e.bytesSent,
    connection_termination_details: v(e.connectionTerminationDetails),
    downstream_local_address: v(e.downstreamLocalAddress),
    downstream_remote_address: v(e.downstreamRemoteAddress),
    duration: Math.round(e.durationMs),
    method: e.method === '-' ? null : e.method,
    path: e.path === '-' ? null : e.path,
    protocol: e.protocol === '-' ? null : e.protocol,
    request_id: v(e.requestId),
    requested_server_name: v(e.requestedServerName),
    response_code: e.responseCode,
    response_code_details: v(e.details),
    response_flags: e.flags.length ? e.flags.join(',') : '-',
    route_name: v(e.routeName),
    start_time: isoMillis(e.startTime),
    upstream_cluster: v(e.upstreamCluster),
    upstream_host: v(e.upstreamHost),
    upstream_local_address: v(e.upstreamLocalAddress),
    upstream_service_time: e.upstreamServiceTimeMs === undefined ? null : String(Math.round(e.upstreamServiceTimeMs)),
    upstream_transport_failure_reason: v(e.upstreamTransportFailureReason),
    user_agent: v(e.userAgent),
    x_forwarded_for: v(e.xForwardedFor),
  };
  return JSON.stringify(o);
}
