import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

describe('CA bundles in every namespace', () => {
  it('publishes kube-root-ca.crt everywhere and istio-ca-root-cert where istiod serves, and puts them back', async () => {
    const sb = new Sandbox({ seed: 5 });
    await sb.exec('kubectl create namespace shop');
    const names = async (ns: string): Promise<string[]> => (await sb.exec(`kubectl get cm -n ${ns} -o name`)).stdout.trim().split('\n');
    expect(await names('shop')).toEqual(['configmap/istio-ca-root-cert', 'configmap/kube-root-ca.crt']);
    // inject.IgnoredNamespaces minus kube-system
    expect(await names('kube-public')).toEqual(['configmap/kube-root-ca.crt']);
    expect(await names('kube-system')).toContain('configmap/istio-ca-root-cert');
    const root = JSON.parse((await sb.exec('kubectl get cm istio-ca-root-cert -n shop -o json')).stdout);
    expect(root.metadata.labels).toEqual({ 'istio.io/config': 'true' });
    expect(root.data['root-cert.pem']).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    const kube = JSON.parse((await sb.exec('kubectl get cm kube-root-ca.crt -n shop -o json')).stdout);
    expect(kube.metadata.annotations['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/);
    expect(Object.keys(kube.data)).toEqual(['ca.crt']);
    await sb.exec('kubectl delete cm kube-root-ca.crt istio-ca-root-cert -n shop');
    expect(await names('shop')).toEqual(['configmap/istio-ca-root-cert', 'configmap/kube-root-ca.crt']);
  });
});
