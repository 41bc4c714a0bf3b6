/**
 * The Internet as seen from the node and the cluster: the public hosts istio.io tasks and
 * tutorials call, behaving like the real sites (HTTP→HTTPS redirects where the site has one,
 * TLS on 443, the status codes the tasks print), any other public name as a plain web
 * server, and reserved names that never resolve.
 *
 * Reserved names (RFC 2606, RFC 6761, RFC 6762): .example, .invalid, .test, .localhost and
 * .local are never answered by the public DNS. A name with one label (no dot) is not a
 * public name either. Sources for the sites' behaviour: the outputs istio.io prints in
 * tasks/traffic-management/egress/* (edition.cnn.com redirects http to https with 301;
 * httpbin.org serves both; www.google.com answers plain HTTP).
 */
import { istioJwtSampleAt } from '../pki/istioJwtSamples';
import type { HttpRequest, HttpResponse, HttpResult } from './http';
import { httpbinRespond } from '../workloads/httpbin';

export interface ExternalHost {
  name: string;
  ip: string;
  ports: number[];
  /** Typical round-trip time from the cluster (ms). */
  rttMs: number;
  /** A request that reached this host on `port` (TLS on the wire when req.scheme is https). */
  handle(req: HttpRequest, clientIp: string, port: number): HttpResult;
}

/** The address the cluster's traffic leaves with (the node's public NAT). */
export const CLUSTER_EGRESS_IP = '203.0.113.10';

const RESERVED_TLDS = new Set(['example', 'invalid', 'test', 'localhost', 'local']);

/** Whether the public DNS can answer for `name` (not reserved, at least two labels, a real-looking TLD). */
export function isPublicName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const labels = n.split('.');
  if (labels.length < 2 || labels.some((l) => !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l))) return false;
  const tld = labels[labels.length - 1];
  if (!/^[a-z]{2,63}$/.test(tld) || RESERVED_TLDS.has(tld)) return false;
  return !n.endsWith('.cluster.local') && !labels.includes('svc');
}

function page(status: number, body: string, headers: Record<string, string>, ms: number): HttpResponse {
  return { status, headers: { ...headers, 'content-length': String(new TextEncoder().encode(body).length) }, body, durationMs: ms };
}

/** nginx's 400 for plain HTTP on a TLS port (and what most sites behind it answer). */
function plainHttpOnTlsPort(server: string): HttpResponse {
  const body = `<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
  return page(400, body, { server, 'content-type': 'text/html' }, 1);
}

interface Site {
  name: string;
  ip: string;
  rttMs: number;
  server: string;
  /** Plain HTTP answers with a 301 to the https:// URL. */
  redirectsToHttps: boolean;
  /** Host to redirect to (www.istio.io → istio.io). */
  canonical?: string;
  serve(req: HttpRequest, clientIp: string): HttpResponse;
}

const html = (title: string, text: string): string =>
  `<!doctype html>\n<html>\n<head>\n    <title>${title}</title>\n</head>\n<body>\n<div>\n    <h1>${title}</h1>\n    <p>${text}</p>\n</div>\n</body>\n</html>\n`;

const htmlPage = (server: string, title: string, text: string, ms = 20): HttpResponse => page(200, html(title, text), { server, 'content-type': 'text/html; charset=utf-8' }, ms);

const SITES: Site[] = [
  { name: 'httpbin.org', ip: '54.243.23.102', rttMs: 180, server: 'gunicorn/19.9.0', redirectsToHttps: false, serve: (req) => httpbinRespond(req, CLUSTER_EGRESS_IP, { public: true }) },
  { name: 'example.com', ip: '93.184.215.14', rttMs: 90, server: 'ECAcc (nyd/D184)', redirectsToHttps: false, serve: () => htmlPage('ECAcc (nyd/D184)', 'Example Domain', 'This domain is for use in illustrative examples in documents.') },
  { name: 'www.example.com', ip: '93.184.215.14', rttMs: 90, server: 'ECAcc (nyd/D184)', redirectsToHttps: false, serve: () => htmlPage('ECAcc (nyd/D184)', 'Example Domain', 'This domain is for use in illustrative examples in documents.') },
  { name: 'example.org', ip: '96.7.128.198', rttMs: 95, server: 'ECAcc (nyd/D184)', redirectsToHttps: false, serve: () => htmlPage('ECAcc (nyd/D184)', 'Example Domain', 'This domain is for use in illustrative examples in documents.') },
  {
    name: 'www.google.com',
    ip: '142.250.74.100',
    rttMs: 30,
    server: 'gws',
    redirectsToHttps: false,
    serve: () => page(200, '<!doctype html><html itemscope="" itemtype="http://schema.org/WebPage" lang="en"><head><title>Google</title></head><body></body></html>', { server: 'gws', 'content-type': 'text/html; charset=ISO-8859-1' }, 40),
  },
  { name: 'edition.cnn.com', ip: '151.101.3.5', rttMs: 60, server: 'Varnish', redirectsToHttps: true, serve: () => htmlPage('Varnish', 'CNN International - Breaking News, US News, World News and Video', 'Find the latest breaking news and information on the top stories.', 120) },
  { name: 'cnn.com', ip: '151.101.131.5', rttMs: 60, server: 'Varnish', redirectsToHttps: true, canonical: 'edition.cnn.com', serve: () => htmlPage('Varnish', 'CNN', 'CNN') },
  { name: 'istio.io', ip: '75.2.60.5', rttMs: 70, server: 'Netlify', redirectsToHttps: true, serve: () => htmlPage('Netlify', 'Istio', 'Simplify observability, traffic management, security, and policy with the leading service mesh.', 40) },
  { name: 'www.istio.io', ip: '75.2.60.5', rttMs: 70, server: 'Netlify', redirectsToHttps: true, canonical: 'istio.io', serve: () => htmlPage('Netlify', 'Istio', 'Istio') },
  {
    name: 'api.github.com',
    ip: '140.82.121.6',
    rttMs: 80,
    server: 'github.com',
    redirectsToHttps: true,
    serve: (req) =>
      req.path === '/'
        ? page(200, '{\n  "current_user_url": "https://api.github.com/user",\n  "emojis_url": "https://api.github.com/emojis",\n  "events_url": "https://api.github.com/events",\n  "rate_limit_url": "https://api.github.com/rate_limit",\n  "repository_url": "https://api.github.com/repos/{owner}/{repo}",\n  "user_url": "https://api.github.com/users/{user}"\n}\n', { server: 'github.com', 'content-type': 'application/json; charset=utf-8' }, 30)
        : page(404, '{\n  "message": "Not Found",\n  "documentation_url": "https://docs.github.com/rest",\n  "status": "404"\n}', { server: 'github.com', 'content-type': 'application/json; charset=utf-8' }, 30),
  },
  { name: 'github.com', ip: '140.82.121.4', rttMs: 80, server: 'github.com', redirectsToHttps: true, serve: () => htmlPage('github.com', 'GitHub', 'GitHub: Let’s build from here') },
  {
    name: 'raw.githubusercontent.com',
    ip: '185.199.108.133',
    rttMs: 40,
    server: 'Varnish',
    redirectsToHttps: true,
    serve: (req) => {
      if (req.path === '/') return page(301, '', { server: 'Varnish', location: 'https://github.com/' }, 10);
      // Istio's JWT samples (the istio.io authentication tasks fetch them)
      const sample = istioJwtSampleAt(req.path);
      return sample !== undefined ? page(200, sample, { server: 'Varnish', 'content-type': 'text/plain; charset=utf-8' }, 20) : page(404, '404: Not Found', { server: 'Varnish', 'content-type': 'text/plain; charset=utf-8' }, 20);
    },
  },
  { name: 'www.oracle.com', ip: '23.32.29.134', rttMs: 50, server: 'AkamaiNetStorage', redirectsToHttps: true, serve: () => htmlPage('AkamaiNetStorage', 'Oracle | Cloud Applications and Cloud Platform', 'Oracle offers a comprehensive and fully integrated stack of cloud applications and cloud platform services.', 90) },
  { name: 'www.wikipedia.org', ip: '185.15.59.224', rttMs: 45, server: 'ATS/9.2.5', redirectsToHttps: true, serve: () => htmlPage('ATS/9.2.5', 'Wikipedia', 'Wikipedia is a free online encyclopedia, created and edited by volunteers around the world.') },
  { name: 'en.wikipedia.org', ip: '185.15.59.224', rttMs: 45, server: 'ATS/9.2.5', redirectsToHttps: true, serve: () => htmlPage('ATS/9.2.5', 'Wikipedia, the free encyclopedia', 'Welcome to Wikipedia.') },
];

function toHost(site: Site): ExternalHost {
  return {
    name: site.name,
    ip: site.ip,
    ports: [80, 443],
    rttMs: site.rttMs,
    handle: (req, clientIp, port) => {
      const tls = req.scheme === 'https';
      if (!tls && port === 443) return plainHttpOnTlsPort(site.server);
      if (tls && port === 80) return { error: 'ECONNRESET', message: 'wrong version number', durationMs: 1 };
      const host = req.authority.replace(/:\d+$/, '');
      if (!tls && site.redirectsToHttps) {
        return page(301, '', { server: site.server, location: `https://${site.canonical ?? host}${req.path}` }, 5);
      }
      if (tls && site.canonical) return page(301, '', { server: site.server, location: `https://${site.canonical}${req.path}` }, 5);
      return site.serve(req, clientIp);
    },
  };
}

/** A public name nobody told us about: a plain web server (an nginx welcome page) on 80 and 443. */
export function genericHost(name: string): ExternalHost {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const ip = `104.${16 + (h % 16)}.${(h >>> 8) & 255}.${1 + ((h >>> 16) % 254)}`;
  const server = 'nginx';
  return {
    name,
    ip,
    ports: [80, 443],
    rttMs: 40 + (h % 120),
    handle: (req, _clientIp, port) => {
      const tls = req.scheme === 'https';
      if (!tls && port === 443) return plainHttpOnTlsPort(server);
      if (tls && port === 80) return { error: 'ECONNRESET', message: 'wrong version number', durationMs: 1 };
      const body = '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n';
      return page(200, body, { server, 'content-type': 'text/html' }, 10);
    },
  };
}

/** The named sites; other public names join the list (genericHost) the first time they are looked up. */
export function defaultOutsideWorld(): ExternalHost[] {
  return SITES.map(toHost);
}

/** Public DNS: a known site, a generic server for any other public name, or nothing. */
export function lookupPublic(world: ExternalHost[], name: string): ExternalHost | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  const known = world.find((h) => h.name === n);
  if (known) return known;
  if (!isPublicName(n)) return undefined;
  const host = genericHost(n);
  world.push(host);
  return host;
}
