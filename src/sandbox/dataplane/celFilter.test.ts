import { describe, expect, it } from 'vitest';
import type { AccessLogEntry } from './accessLog';
import { celAllows, parseCel } from './celFilter';

const entry = (over: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  startTime: 0,
  method: 'GET',
  path: '/status/503?x=1',
  protocol: 'HTTP/1.1',
  responseCode: 503,
  flags: [],
  details: 'via_upstream',
  bytesReceived: 0,
  bytesSent: 0,
  durationMs: 1,
  userAgent: 'curl/8.11.1',
  authority: 'orders:8000',
  upstreamCluster: 'outbound|8000||orders.store.svc.cluster.local',
  downstreamLocalAddress: '10.96.0.13:8000',
  downstreamRemoteAddress: '10.244.0.17:40000',
  ...over,
});

describe('Telemetry access-log filter (Envoy CEL ExpressionFilter)', () => {
  it('compares response.code with an int (istio.io: response.code >= 400)', () => {
    expect(celAllows('response.code >= 400', entry())).toBe(true);
    expect(celAllows('response.code >= 400', entry({ responseCode: 200 }))).toBe(false);
    expect(celAllows('response.code == 503 && request.method == "GET"', entry())).toBe(true);
  });

  it('an absent attribute is an error, and an error does not log; has() guards it', () => {
    const noResponse = entry({ responseCode: 0, method: '-', path: '-' });
    expect(celAllows('response.code >= 500', noResponse)).toBe(false);
    expect(celAllows('!has(response.code) || response.code >= 500', noResponse)).toBe(true);
    // CEL's || absorbs an error on either side when the other side is true
    expect(celAllows('response.code >= 500 || true', noResponse)).toBe(true);
  });

  it('string methods, url_path without the query, xds.cluster_name', () => {
    expect(celAllows("request.url_path.startsWith('/status') && request.url_path.endsWith('503')", entry())).toBe(true);
    expect(celAllows("!(request.useragent.startsWith('Amazon-Route53-Health-Check-Service'))", entry())).toBe(true);
    expect(celAllows("xds.cluster_name == 'BlackHoleCluster' || xds.cluster_name.contains('orders')", entry())).toBe(true);
  });

  it('a type mismatch or a syntax error logs nothing', () => {
    expect(celAllows("response.code >= '400'", entry())).toBe(false);
    expect(celAllows('response.code >=', entry())).toBe(false);
    expect(() => parseCel('response.code >=')).toThrow();
  });
});
