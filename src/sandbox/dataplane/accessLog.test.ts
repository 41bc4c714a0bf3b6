import { describe, expect, it } from 'vitest';
import { formatAccessLog } from './accessLog';

describe('formatAccessLog (Istio default TEXT format)', () => {
  it('prints every field in order, "-" for empty ones', () => {
    const line = formatAccessLog({
      startTime: Date.parse('2025-01-15T10:00:05.123Z'),
      method: 'GET',
      path: '/',
      protocol: 'HTTP/1.1',
      responseCode: 200,
      flags: [],
      details: 'via_upstream',
      bytesReceived: 0,
      bytesSent: 265,
      durationMs: 4.4,
      upstreamServiceTimeMs: 3,
      xForwardedFor: '10.244.0.1',
      userAgent: 'curl/8.5.0',
      requestId: 'a3c1b2d4-0000-4000-8000-000000000000',
      authority: '172.18.255.200',
      upstreamHost: '10.244.0.16:9090',
      upstreamCluster: 'outbound|80||service-a.demo.svc.cluster.local',
      upstreamLocalAddress: '10.244.0.14:38486',
      downstreamLocalAddress: '10.244.0.14:8080',
      downstreamRemoteAddress: '10.244.0.1:47298',
    });
    expect(line).toBe(
      '[2025-01-15T10:00:05.123Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 265 4 3 "10.244.0.1" "curl/8.5.0" "a3c1b2d4-0000-4000-8000-000000000000" "172.18.255.200" "10.244.0.16:9090" outbound|80||service-a.demo.svc.cluster.local 10.244.0.14:38486 10.244.0.14:8080 10.244.0.1:47298 - -',
    );
  });

  it('shows response flags such as NR', () => {
    const line = formatAccessLog({
      startTime: 0,
      method: 'GET',
      path: '/x',
      protocol: 'HTTP/1.1',
      responseCode: 404,
      flags: ['NR'],
      details: 'route_not_found',
      bytesReceived: 0,
      bytesSent: 0,
      durationMs: 0,
      authority: 'a',
      downstreamLocalAddress: '1.1.1.1:8080',
      downstreamRemoteAddress: '2.2.2.2:1',
    });
    expect(line).toContain('" 404 NR route_not_found - "-" 0 0 0 - "-" "-" "-" "a" "-" - - 1.1.1.1:8080 2.2.2.2:1 - -');
  });
});
