/**
 * The Internet as seen from the cluster: a few public hosts lessons use, with fixed
 * addresses. Anything else does not resolve.
 */
import type { HttpRequest, HttpResult } from './http';
import { httpbinRespond } from '../workloads/httpbin';

export interface ExternalHost {
  name: string;
  ip: string;
  ports: number[];
  /** Typical round-trip time from the cluster (ms). */
  rttMs: number;
  handle(req: HttpRequest, clientIp: string): HttpResult;
}

/** The address the cluster's traffic leaves with (the node's public NAT). */
export const CLUSTER_EGRESS_IP = '203.0.113.10';

const html = (title: string, text: string): string =>
  `<!doctype html>\n<html>\n<head>\n    <title>${title}</title>\n</head>\n<body>\n<div>\n    <h1>${title}</h1>\n    <p>${text}</p>\n</div>\n</body>\n</html>\n`;

export function defaultOutsideWorld(): ExternalHost[] {
  return [
    {
      name: 'httpbin.org',
      ip: '54.243.23.102',
      ports: [80, 443],
      rttMs: 180,
      handle: (req) => httpbinRespond(req, CLUSTER_EGRESS_IP, { public: true }),
    },
    {
      name: 'example.com',
      ip: '93.184.215.14',
      ports: [80, 443],
      rttMs: 90,
      handle: () => {
        const body = html('Example Domain', 'This domain is for use in illustrative examples in documents.');
        return { status: 200, headers: { 'content-type': 'text/html', 'content-length': String(body.length) }, body, durationMs: 20 };
      },
    },
    {
      name: 'example.org',
      ip: '96.7.128.198',
      ports: [80, 443],
      rttMs: 95,
      handle: () => {
        const body = html('Example Domain', 'This domain is for use in illustrative examples in documents.');
        return { status: 200, headers: { 'content-type': 'text/html', 'content-length': String(body.length) }, body, durationMs: 20 };
      },
    },
    {
      name: 'www.google.com',
      ip: '142.250.74.100',
      ports: [80, 443],
      rttMs: 30,
      handle: () => {
        const body = '<!doctype html><html><head><title>Google</title></head><body></body></html>';
        return { status: 200, headers: { 'content-type': 'text/html; charset=ISO-8859-1', 'content-length': String(body.length) }, body, durationMs: 30 };
      },
    },
  ];
}
