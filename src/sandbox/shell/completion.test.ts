import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

describe('tab completion', () => {
  const sb = new Sandbox({ examples: { 'ingress-service-a/gateway.yaml': 'x', 'ingress-service-a/namespace.yaml': 'y', 'egress/client.yaml': 'z' } });
  it.each([
    ['kub', ['kubectl']],
    ['kubectl ap', ['api-resources', 'apply']],
    ['kubectl get virt', ['virtualservices']],
    ['kubectl get pods -n istio-s', ['istio-system']],
    ['kubectl apply -f examples/in', ['examples/ingress-service-a/']],
    ['kubectl apply -f examples/ingress-service-a/g', ['examples/ingress-service-a/gateway.yaml']],
    ['kubectl get deploy -n istio-system isti', ['istio-ingressgateway', 'istiod']],
    ['kubectl get -o y', ['yaml']],
    ['istioctl proxy-config r', ['routes']],
    ['echo x | gr', ['grep']],
    ['cat examples/e', ['examples/egress/']],
  ])('%j', (line, want) => {
    expect(sb.complete(line).candidates).toEqual(want);
  });

  it('reports the range to replace', () => {
    const c = sb.complete('kubectl get po');
    expect(c.start).toBe(12);
    expect(c.end).toBe(14);
    expect(c.candidates).toContain('pods');
  });

  it('prompt shows namespace and cwd', async () => {
    const s = new Sandbox();
    expect(s.prompt()).toEqual({ namespace: 'default', cwd: '~' });
    await s.exec('kubectl config set-context --current --namespace=istio-system; cd /tmp');
    expect(s.prompt()).toEqual({ namespace: 'istio-system', cwd: '/tmp' });
  });
});
