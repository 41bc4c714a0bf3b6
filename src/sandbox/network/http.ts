/** HTTP messages as they travel through the simulated network. Header names are lower case. */
export type Headers = Record<string, string>;

export interface HttpRequest {
  method: string;
  scheme: 'http' | 'https';
  /** Host header / :authority, may include a port. */
  authority: string;
  /** Path with query string. */
  path: string;
  headers: Headers;
  body: string;
  /** HTTP/1.1 unless said otherwise. */
  protocol?: string;
  /** TLS server name the client sent (https). */
  sni?: string;
  /** PEM chain of the client certificate the client presents (curl --cert), for servers that ask for one. */
  clientCertificate?: string;
  /**
   * The bytes on the wire are TLS nobody has terminated yet (a client's own https, or TLS a proxy
   * originates): a proxy that only sees TCP (tcp_proxy, a passthrough gateway, an inbound sidecar)
   * carries them as they are, and the receiving server must terminate them.
   */
  tlsOnWire?: boolean;
  /** Plain TCP bytes (`nc`): no HTTP at all; `body` holds what the client wrote. */
  raw?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
  /** How long the response took, from the caller's point of view (ms of virtual time). */
  durationMs: number;
  /**
   * When TLS was terminated for the caller: the certificate the server presented (PEM), and the
   * protocol ALPN settled on when the server does not speak h2 (nginx's `listen 443 ssl` without http2).
   */
  tls?: { certificate: string; alpn?: 'http/1.1' };
}

/** A transport-level failure, as a client sees it (curl exit codes 6, 7, 28, 52, 56). */
export interface NetError {
  error: 'ENOTFOUND' | 'ECONNREFUSED' | 'ETIMEDOUT' | 'ECONNRESET' | 'EMPTY';
  message: string;
  durationMs: number;
}

export type HttpResult = HttpResponse | NetError;

export function isNetError(r: HttpResult): r is NetError {
  return 'error' in r;
}

export const REASON_PHRASES: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  418: "I'm a teapot",
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(code: number): string {
  return REASON_PHRASES[code] ?? '';
}

export function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } {
  const m = authority.match(/^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/);
  if (!m) return { host: authority, port: defaultPort };
  return { host: m[1].toLowerCase(), port: m[2] ? Number(m[2]) : defaultPort };
}

export function splitPathQuery(path: string): { pathname: string; query: Record<string, string> } {
  const i = path.indexOf('?');
  const pathname = i < 0 ? path : path.slice(0, i);
  const query: Record<string, string> = {};
  if (i >= 0)
    for (const kv of path.slice(i + 1).split('&')) {
      if (!kv) continue;
      const j = kv.indexOf('=');
      const k = safeDecode(j < 0 ? kv : kv.slice(0, j));
      query[k] = j < 0 ? '' : safeDecode(kv.slice(j + 1));
    }
  return { pathname, query };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Go's http.TimeFormat, used in Date headers. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
