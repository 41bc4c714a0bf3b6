/**
 * curl's URL handling (curl/curl lib/urlapi.c, curl_url_strerror): the scheme is guessed
 * when missing, a URL without a host is rejected with exit 3, a port must be a number
 * between 0 and 65535, and the Host header leaves out the scheme's default port (lib/http.c).
 */

export interface CurlUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path and query ("/" when empty). */
  path: string;
  /** host[:port] as curl writes it in the URL and the Host header (no default port). */
  hostHeader: string;
  /** The normalized URL (url_effective). */
  href: string;
}

export interface CurlUrlError {
  code: number;
  message: string;
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

export function parseCurlUrl(raw: string): CurlUrl | CurlUrlError {
  if (raw === '' || /[\s\u0000-\u001f]/.test(raw)) return { code: 3, message: 'URL rejected: Malformed input to a URL function' };
  const schemeMatch = raw.match(/^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//);
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : 'http';
  if (scheme !== 'http' && scheme !== 'https') return { code: 1, message: `Protocol "${schemeMatch![1]}" not supported` };
  const rest = schemeMatch ? raw.slice(schemeMatch[0].length) : raw;
  const end = rest.search(/[/?#]/);
  const authority0 = end < 0 ? rest : rest.slice(0, end);
  let pathAndMore = end < 0 ? '' : rest.slice(end);
  const hash = pathAndMore.indexOf('#');
  if (hash >= 0) pathAndMore = pathAndMore.slice(0, hash);
  const authority = authority0.includes('@') ? authority0.slice(authority0.lastIndexOf('@') + 1) : authority0;
  const m = authority.match(/^(\[[^\]]*\]|[^:]*)(?::(.*))?$/);
  const host = (m?.[1] ?? '').toLowerCase();
  if (!host) return { code: 3, message: 'URL rejected: No host part in the URL' };
  if (host.startsWith('[') && !/^\[[0-9a-f:.]+\]$/.test(host)) return { code: 3, message: 'URL rejected: Bad IPv6 address' };
  if (!host.startsWith('[') && !/^[a-z0-9._~!$&'()*+,;=%-]+$/.test(host)) return { code: 3, message: 'URL rejected: Bad hostname' };
  const portText = m?.[2];
  let port: number = DEFAULT_PORT[scheme];
  if (portText !== undefined && portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return { code: 3, message: 'URL rejected: Port number was not a decimal number between 0 and 65535' };
    port = Number(portText);
  }
  const path = pathAndMore === '' ? '/' : pathAndMore.startsWith('/') ? pathAndMore : `/${pathAndMore}`;
  const hostHeader = port === DEFAULT_PORT[scheme] ? host : `${host}:${port}`;
  return { scheme, host, port, path, hostHeader, href: `${scheme}://${hostHeader}${path}` };
}

export function isUrlError(u: CurlUrl | CurlUrlError): u is CurlUrlError {
  return 'code' in u;
}

/** -w: %{variable}, %{header{name}}, \n \t and %%, as curl's tool_writeout.c expands them. */
export function writeOut(fmt: string, vars: Record<string, string>, headers: Record<string, string> = {}): string {
  return fmt
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\r/g, '\r')
    .replace(/%\{header\{([^}]+)\}\}|%\{([a-z_]+)\}|%%/g, (all, header: string | undefined, name: string | undefined) => {
      if (all === '%%') return '%';
      if (header !== undefined) return headers[header.toLowerCase()] ?? '';
      return vars[name!] ?? all;
    });
}
