/**
 * The protocol of a proxy's upstream connection: HTTP/2 to a Service port whose protocol is HTTP2 or
 * GRPC (named `http2`, `grpc`, … or with that appProtocol), HTTP/1.1 to an `http` port, whatever the
 * client spoke (istio/istio pilot/pkg/networking/core/cluster_builder.go setUpstreamProtocol). The
 * proxy on the other end logs the protocol it received in %PROTOCOL%.
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR);

describe('upstream protocol of a cluster (setUpstreamProtocol)', () => {
  it('a sidecar speaks HTTP/2 to an http2 or grpc port, HTTP/1.1 to an http port; the server-side sidecar logs it', async () => {
    const sb = new Sandbox({ samples, seed: 3 });
    await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/httpbin/httpbin.yaml', 'kubectl apply -f samples/curl/curl.yaml']);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: httpbin-h2
spec:
  selector:
    app: httpbin
  ports:
  - name: http2-web
    port: 8000
    targetPort: 8080
  - name: web
    appProtocol: grpc
    port: 9000
    targetPort: 8080
EOF`);
    await sb.cluster.advance(20_000);
    const last = async (): Promise<string> => (await sb.exec('kubectl logs deploy/httpbin -c istio-proxy --tail=1')).stdout;
    const call = async (url: string): Promise<void> => {
      expect((await sb.exec(`kubectl exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}' ${url}`)).stdout).toBe('200');
    };
    await call('http://httpbin:8000/get');
    expect(await last()).toMatch(/"GET \/get HTTP\/1\.1" 200 .* inbound\|8080\|\| /);
    await call('http://httpbin-h2:8000/get');
    expect(await last()).toMatch(/"GET \/get HTTP\/2" 200 .* inbound\|8080\|\| /);
    await call('http://httpbin-h2:9000/get');
    expect(await last()).toMatch(/"GET \/get HTTP\/2" 200 .* inbound\|8080\|\| /);
    // the client's own sidecar logs what curl sent it
    expect((await sb.exec('kubectl logs deploy/curl -c istio-proxy --tail=1')).stdout).toMatch(/"GET \/get HTTP\/1\.1" 200 .* outbound\|9000\|\|httpbin-h2\.default\.svc\.cluster\.local /);
  });

  it('the gateways: a sidecar calling istio-ingressgateway (port 80 named http2) arrives there as HTTP/2', async () => {
    const sb = new Sandbox({ samples, seed: 4 });
    await steps(sb, [
      'istioctl install -y --set meshConfig.accessLogFile=/dev/stdout',
      'kubectl label namespace default istio-injection=enabled',
      'kubectl apply -f samples/curl/curl.yaml',
      'kubectl apply -f samples/httpbin/httpbin.yaml',
      'kubectl apply -f samples/httpbin/httpbin-gateway.yaml',
    ]);
    await sb.cluster.advance(20_000);
    const r = await sb.exec("kubectl exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}' http://istio-ingressgateway.istio-system/status/418");
    expect(r.stdout).toBe('418');
    // the gateway received HTTP/2 and sends HTTP/1.1 on to httpbin's port 8000, named http
    expect((await sb.exec('kubectl logs -l istio=ingressgateway -n istio-system -c istio-proxy --tail=1')).stdout).toMatch(/"GET \/status\/418 HTTP\/2" 418 - via_upstream .* outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local /);
    expect((await sb.exec('kubectl logs deploy/httpbin -c istio-proxy --tail=1')).stdout).toMatch(/"GET \/status\/418 HTTP\/1\.1" 418 /);
  });
});
