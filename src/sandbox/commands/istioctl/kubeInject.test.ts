/** istioctl kube-inject (istio/istio istioctl/pkg/kubeinject/kubeinject.go) on ~/samples manifests. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';
import { readExamples, SAMPLES_DIR } from '../../testing';

const samples = readExamples(SAMPLES_DIR);

describe('istioctl kube-inject', () => {
  it('adds istio-init and istio-proxy to the pod template and passes the other documents through', async () => {
    const sb = new Sandbox({ samples });
    const r = await sb.exec('istioctl kube-inject -f samples/httpbin/httpbin.yaml');
    expect(r.code).toBe(0);
    const docs = r.stdout.split(/^---\n/m);
    expect(docs.map((d) => d.match(/^kind: (\w+)$/m)?.[1])).toEqual(['ServiceAccount', 'Service', 'Deployment']);
    const deploy = docs[2];
    expect(deploy).toMatch(/^ {6}initContainers:\n[^]*^ {8}name: istio-init$/m);
    expect(deploy).toMatch(/^ {8}name: istio-proxy$/m);
    expect(deploy).toContain('sidecar.istio.io/status: ');
    expect(deploy).toContain('security.istio.io/tlsMode: istio');
    expect(docs[1]).not.toContain('istio-proxy');
    // the template's environment names the Deployment; its volumes render as kube-inject prints them
    // (istio/istio pkg/kube/inject/testdata/inject/*.yaml.injected: the socket volumes with no source)
    expect(deploy).toContain('        - name: ISTIO_META_OWNER\n          value: kubernetes://apis/apps/v1/namespaces/default/deployments/httpbin\n');
    expect(deploy).toContain('          value: |-\n            [\n                {"containerPort":8080}\n            ]\n');
    expect(deploy).toContain('      volumes:\n      - name: workload-socket\n      - name: credential-socket\n      - name: workload-certs\n      - emptyDir:\n          medium: Memory\n        name: istio-envoy\n');
    expect(deploy).not.toContain('kube-api-access');
  });

  it('injects whatever the namespace label says, so the pods run with a sidecar in a plain namespace', async () => {
    const sb = new Sandbox({ samples });
    await sb.exec('kubectl create ns foo');
    expect((await sb.exec('kubectl apply -f <(istioctl kube-inject -f samples/curl/curl.yaml) -n foo')).stdout).toBe('serviceaccount/curl created\nservice/curl created\ndeployment.apps/curl created\n');
    await sb.cluster.advance(30_000);
    expect((await sb.exec('kubectl get pods -n foo')).stdout).toMatch(/\ncurl-[a-z0-9]+-[a-z0-9]{5} +2\/2 +Running /);
    // -o writes the file; "-" reads stdin
    expect((await sb.exec('istioctl kube-inject -f samples/curl/curl.yaml -o /tmp/curl-injected.yaml')).stdout).toBe('');
    expect((await sb.exec('grep -c "name: istio-proxy" /tmp/curl-injected.yaml')).stdout).toBe('1\n');
    expect((await sb.exec('cat samples/curl/curl.yaml | istioctl kube-inject -f - | grep -c "name: istio-proxy"')).stdout).toBe('1\n');
  });

  it('answers like istioctl without a file, or with a missing one', async () => {
    const sb = new Sandbox({ samples });
    expect((await sb.exec('istioctl kube-inject')).stderr).toBe('Error: filename not specified (see --filename or -f)\n');
    const missing = await sb.exec('istioctl kube-inject -f missing.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error: open missing.yaml: no such file or directory\n');
  });
});
