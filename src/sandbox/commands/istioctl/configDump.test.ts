/**
 * `istioctl proxy-config … -o json` in Envoy's config-dump shape, as the istio.io debugging pages and
 * tutorials read it (`jq '.[].virtualHosts[].routes[].route.weightedClusters'`).
 */
import { describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../../testing';
import { protoDuration } from './configDump';

const samples = readExamples(SAMPLES_DIR);
vi.setConfig({ testTimeout: 30_000 });

async function bookinfo(): Promise<Sandbox> {
  const sb = new Sandbox({ samples, seed: 4 });
  await steps(sb, [
    'kubectl label namespace default istio-injection=enabled',
    'kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml',
    'kubectl apply -f samples/bookinfo/networking/destination-rule-all.yaml',
    'kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-90-10.yaml',
    'kubectl apply -f samples/bookinfo/networking/virtual-service-ratings-test-delay.yaml',
  ]);
  await sb.exec('sleep 30');
  return sb;
}

// parsed JSON, walked by field names
type Json = Record<string, any>;

async function json(sb: Sandbox, command: string): Promise<Json[]> {
  const r = await sb.exec(command);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^\[\n {4}\{\n/); // json.MarshalIndent with four spaces
  return JSON.parse(r.stdout) as Json[];
}

describe('istioctl proxy-config -o json (Envoy config dump)', () => {
  it('routes: the weighted clusters of a split, the VirtualService in the route metadata, a delay fault in typedPerFilterConfig', async () => {
    const sb = await bookinfo();
    const [rc] = await json(sb, 'istioctl proxy-config routes deploy/productpage-v1 --name 9080 -o json');
    expect(rc.name).toBe('9080');
    const reviews = rc.virtualHosts.find((vh: Json) => vh.name === 'reviews.default.svc.cluster.local:9080');
    expect(reviews.routes[0].route.weightedClusters).toEqual({
      clusters: [
        { name: 'outbound|9080|v1|reviews.default.svc.cluster.local', weight: 90 },
        { name: 'outbound|9080|v2|reviews.default.svc.cluster.local', weight: 10 },
      ],
    });
    expect(reviews.routes[0].metadata.filterMetadata.istio.config).toBe('/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews');
    expect(reviews.routes[0].route.retryPolicy).toMatchObject({ retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', numRetries: 2, hostSelectionRetryMaxAttempts: '5' });
    expect(reviews.includeRequestAttemptCount).toBe(true);

    const [ratingsRc] = await json(sb, 'istioctl proxy-config routes deploy/reviews-v2 --name 9080 -o json');
    const ratings = ratingsRc.virtualHosts.find((vh: Json) => vh.name === 'ratings.default.svc.cluster.local:9080');
    const jason = ratings.routes[0];
    expect(jason.match.headers).toEqual([{ name: 'end-user', stringMatch: { exact: 'jason' } }]);
    expect(jason.typedPerFilterConfig['envoy.filters.http.fault'].delay).toEqual({ fixedDelay: '7s', percentage: { numerator: 1000000, denominator: 'MILLION' } });
  });

  it('clusters, listeners and endpoints: EDS over ADS with the DestinationRule in the metadata, the RDS name of an HTTP port, host statuses', async () => {
    const sb = await bookinfo();
    const clusters = await json(sb, 'istioctl proxy-config clusters deploy/productpage-v1 --fqdn reviews.default.svc.cluster.local -o json');
    expect(clusters.map((c) => c.name)).toEqual([
      'outbound|9080||reviews.default.svc.cluster.local',
      'outbound|9080|v1|reviews.default.svc.cluster.local',
      'outbound|9080|v2|reviews.default.svc.cluster.local',
      'outbound|9080|v3|reviews.default.svc.cluster.local',
    ]);
    expect(clusters[1]).toMatchObject({ type: 'EDS', edsClusterConfig: { serviceName: 'outbound|9080|v1|reviews.default.svc.cluster.local' }, connectTimeout: '10s', lbPolicy: 'LEAST_REQUEST' });
    expect(clusters[1].metadata.filterMetadata.istio).toMatchObject({ config: '/apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews', subset: 'v1' });

    const [listener] = await json(sb, 'istioctl proxy-config listeners deploy/productpage-v1 --port 9080 --address 0.0.0.0 -o json');
    expect(listener.name).toBe('0.0.0.0_9080');
    expect(listener.filterChains[0].filters[0].typedConfig.rds.routeConfigName).toBe('9080');

    const [eps] = await json(sb, `istioctl proxy-config endpoints deploy/productpage-v1 --cluster 'outbound|9080|v1|reviews.default.svc.cluster.local' -o json`);
    expect(eps.hostStatuses).toHaveLength(1);
    expect(eps.hostStatuses[0]).toMatchObject({ address: { socketAddress: { portValue: 9080 } }, healthStatus: { edsHealthStatus: 'HEALTHY' } });
  });

  it('-o yaml is the same dump through sigs.k8s.io/yaml: sorted keys, then the newline Fprintln adds', async () => {
    const sb = await bookinfo();
    const out = (await sb.exec('istioctl proxy-config clusters deploy/productpage-v1 --fqdn reviews.default.svc.cluster.local --subset v2 -o yaml')).stdout;
    expect(out).toMatch(/^- circuitBreakers:\n    thresholds:\n    - maxConnections: 4294967295\n/);
    expect(out).toContain('\n  name: outbound|9080|v2|reviews.default.svc.cluster.local\n');
    expect(out.endsWith('\n\n')).toBe(true);
  });

  it('Durations as protojson writes them', () => {
    expect([protoDuration(0), protoDuration(10_000), protoDuration(500), protoDuration(1_250)]).toEqual(['0s', '10s', '0.500s', '1.250s']);
  });
});
