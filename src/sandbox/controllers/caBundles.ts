/**
 * The CA bundles every namespace carries:
 * - `kube-root-ca.crt`, by kube-controller-manager's root-ca-cert-publisher (kubernetes
 *   pkg/controller/certificates/rootcacertpublisher/publisher.go): the cluster CA under
 *   `ca.crt`, with its description annotation;
 * - `istio-ca-root-cert`, by istiod's namespace controller (istio/istio
 *   pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go): the mesh's root under
 *   `root-cert.pem`, labelled `istio.io/config: "true"`, in every namespace but kube-public,
 *   kube-node-lease and local-path-storage (inject.IgnoredNamespaces without kube-system).
 * Both are put back when deleted, and not made in a terminating namespace.
 */
import type { ApiClient } from '../api/client';
import type { KubeObject } from '../api/types';
import type { Controller } from './controller';

/** The cluster CA of the sandbox's cluster (CN=kubernetes, self-signed, RSA 2048, as kubeadm makes it). */
export const KUBE_ROOT_CA = `-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUUbci4drmMVgJ+vdT7qau7IklA+swDQYJKoZIhvcNAQEL
BQAwFTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjEyMDYwNzQxMjdaFw0zNjEy
MDMwNzQxMjdaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQDKMWcHETXaqzCST/VtpuJj2IRGcIoOhZNrnENuMg0q
+on49qySRXG0RYIetP7mY+RgRckaDPxv/S8jBl2oTrz1GZa/jEv9uiRzwghcPfkq
vt54FrWxWJ0mLXf5Atvyb+ARHD0+XQXgBB3DtH6PD9nWIxcoPuNp+hLkjv4M23QT
jVAyLTzP236G9RAUJG3P8vt/MrZQDPF5fNBPYmDxi9ygUl29sLICKpJ0K/581LsM
Tz3t518i+gjIBRezhX74uw4AKu3UzJOeZlbfIDGoT+A2aHeDZTa9WH83uiymvkFu
vVt1gSe/ZyI2DxkJt1qWYmVyyohCFoD8qJqYNG7a2SJlAgMBAAGjYzBhMB0GA1Ud
DgQWBBQAM7CB0WIMn5T7xGXfMlrLbCCQTDAfBgNVHSMEGDAWgBQAM7CB0WIMn5T7
xGXfMlrLbCCQTDAOBgNVHQ8BAf8EBAMCAqQwDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQsFAAOCAQEApKSpjLpdODjJ74piFpOXk/47Pg3G7NpDcXtpWuO5BGf/
/NlzbRr9Le84qdYznfNOfQspgVqaWCqXVmBSQP3lVLfSYnHGrXItrDSDf4GGbYaK
T6UV3A8CWcjIzuLcv80F64sPsZcA2uzB69jgNiNPADNwBUOWdD2Oh2aAoBET12c5
+cvL6n6L3yprHasgAM6Gw1Lg+zqIEF+er4jC5v8grzlmKHJ2FDJxy2ajpRQyIS+6
z4ptEgPHyAQlsPfOB5TlTD/zE4hC6EZXhKOoZVUDs7t4q3Mx36S0+bASYzUiWgnG
XgNAsdsYOk74vSSdd4S62SFqqKAfnzz4LNYbK8vQJg==
-----END CERTIFICATE-----
`;

/** Istio's self-signed root (O=cluster.local, RSA 2048), as istiod makes it when no CA is plugged in. */
export const ISTIO_ROOT_CA = `-----BEGIN CERTIFICATE-----
MIIDITCCAgmgAwIBAgIUJ6XVt2dElfWPbKgLPJNHcyDAJrowDQYJKoZIhvcNAQEL
BQAwGDEWMBQGA1UECgwNY2x1c3Rlci5sb2NhbDAeFw0yNjEyMDYwNzQxMjdaFw0z
NjEyMDMwNzQxMjdaMBgxFjAUBgNVBAoMDWNsdXN0ZXIubG9jYWwwggEiMA0GCSqG
SIb3DQEBAQUAA4IBDwAwggEKAoIBAQDdHPKukTDgM7ITdO0xrQ1hbylXBK8pUeBK
5WePR2C9ksABXLlxuHVMJi7YGQWCKc76q8uWP2b7loRjcFbxzSYiaSjyHxjOtcwD
7vNd/fj0lRtqa1hwhjkJ9sq4DC5YTDVT6BFRlbgaAOjwbsWI+fPWgIo7GgamL9iw
fzfZ6+l+RxR/5TRUm57tMWQnwfXaPSQyUkd7zotCQKq5uMZZsRfSAGYs6nOUYavZ
+4T4uU6EWzp3BxEeRyxqZ8tHG92s3ktoQnuwluiC9eA6SeDhZU99kw+oXacWFPGX
TgJsDapakep0jx1ef5YPxTzHr5nSsHyHe0nw1ZQA6jax+r22p9jnAgMBAAGjYzBh
MB0GA1UdDgQWBBTYtzN+3SQ6posAr4NtFpwnkUAbrjAfBgNVHSMEGDAWgBTYtzN+
3SQ6posAr4NtFpwnkUAbrjAOBgNVHQ8BAf8EBAMCAgQwDwYDVR0TAQH/BAUwAwEB
/zANBgkqhkiG9w0BAQsFAAOCAQEAUmipobHaY2bglpeers9yhWNNd6XAqfb4GLR7
7Hy6UnDx0PD3PncGOU3c3R2QXpb4ouKDMeKJoua3ZxNySTmFufa8OPNIxoYnG6ss
zuDJODV18Bpq7qaH+sKUE+Btj1Q+po6MjviJwsMbrP3htybZcw9+//8XpcJ+KPI0
DwACh+45kRJjZcnhrAWFc+Acmq79wXF7LamIWJm4GLpKjk9OjHboJtjJv+a5Q5DB
APjqnTjCSPKuisR9QP8S2HvzjHLLwDr/Us8wOfKZj3oqvj7GpWwGEh1hlO2Mgpz6
keRCxS9FuKrlnAFol8h+26H2iyhUIa8Zn40pKxdkE3PpPI/wjQ==
-----END CERTIFICATE-----
`;

const ISTIO_IGNORED = new Set(['kube-public', 'kube-node-lease', 'local-path-storage']);

const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

/** Creates `name` in every namespace `wanted` accepts that lacks it. */
function publish(c: ApiClient, name: string, wanted: (ns: KubeObject) => boolean, body: (ns: string) => KubeObject): boolean {
  const namespaces = c.cached(c.kind('Namespace'));
  const maps = c.cached(c.kind('ConfigMap'));
  if (!namespaces.ok || !maps.ok) return false;
  const have = new Set(maps.value.filter((m) => m.metadata.name === name).map((m) => m.metadata.namespace));
  let changed = false;
  for (const ns of namespaces.value) {
    const n = ns.metadata.name ?? '';
    if (have.has(n) || ns.metadata.deletionTimestamp || !wanted(ns)) continue;
    if (c.create(c.kind('ConfigMap'), body(n)).ok) changed = true;
  }
  return changed;
}

export class RootCACertPublisher implements Controller {
  readonly name = 'root-ca-cert-publisher';
  constructor(private readonly client: ApiClient) {}
  reconcile(): boolean {
    return publish(this.client, 'kube-root-ca.crt', () => true, (namespace) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace, annotations: { 'kubernetes.io/description': DESCRIPTION } },
      data: { 'ca.crt': KUBE_ROOT_CA },
    }));
  }
}

/** istiod's namespace controller: runs while istiod is installed. */
export class IstioCACertPublisher implements Controller {
  readonly name = 'istiod-namespace-controller';
  constructor(
    private readonly client: ApiClient,
    private readonly istioInstalled: () => boolean,
  ) {}
  reconcile(): boolean {
    if (!this.istioInstalled()) return false;
    return publish(this.client, 'istio-ca-root-cert', (ns) => !ISTIO_IGNORED.has(ns.metadata.name ?? ''), (namespace) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio-ca-root-cert', namespace, labels: { 'istio.io/config': 'true' } },
      data: { 'root-cert.pem': ISTIO_ROOT_CA },
    }));
  }
}
