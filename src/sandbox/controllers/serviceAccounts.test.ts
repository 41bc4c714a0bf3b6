import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

describe('ServiceAccounts (serviceaccounts_controller.go, the ServiceAccount admission plugin)', () => {
  it('gives every namespace a "default" ServiceAccount and runs pods as it', async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create namespace demo && kubectl -n demo run web --image=nginx');
    expect((await sb.exec('kubectl get sa -n demo -o name')).stdout).toBe('serviceaccount/default\n');
    expect((await sb.exec("kubectl get pod web -n demo -o jsonpath='{.spec.serviceAccountName} {.spec.serviceAccount}'")).stdout).toBe('default default');
  });

  it('refuses a pod whose ServiceAccount does not exist, in the plugin\'s words', async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create namespace demo');
    const pod = (sa: string) => `kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: demo}
spec:
  serviceAccountName: ${sa}
  containers: [{name: app, image: nginx}]
EOF`;
    const r = await sb.exec(pod('orders'));
    expect(r.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": pods "app" is forbidden: error looking up service account demo/orders: serviceaccount "orders" not found\n');
    expect((await sb.exec('kubectl apply -f - <<< \'{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"orders","namespace":"demo"}}\'')).stdout).toBe('serviceaccount/orders created\n');
    expect((await sb.exec(pod('orders'))).stdout).toBe('pod/app created\n');
  });

  it('mounts the token, the cluster CA and the namespace into every container, unless told not to', async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create namespace demo && kubectl -n demo run web --image=nginx');
    await sb.cluster.advance(20_000);
    const get = async (path: string, pod = 'web'): Promise<string> => (await sb.exec(`kubectl get pod ${pod} -n demo -o jsonpath='${path}'`)).stdout;
    const volume = await get('{.spec.volumes[0].name}');
    expect(volume).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    // admission.go TokenVolumeSource, with the apiserver's defaults (defaultMode 420)
    expect(JSON.parse(await get('{.spec.volumes[0].projected}'))).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    expect(JSON.parse(await get('{.spec.containers[0].volumeMounts}'))).toEqual([{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: volume, readOnly: true }]);
    // the files the kubelet projects: ls, the namespace, a JWT naming the pod and its account
    expect((await sb.exec('kubectl exec -n demo web -- ls /var/run/secrets/kubernetes.io/serviceaccount')).stdout).toBe('ca.crt  namespace  token\n');
    expect((await sb.exec('kubectl exec -n demo web -- cat /var/run/secrets/kubernetes.io/serviceaccount/namespace')).stdout).toBe('demo');
    const token = (await sb.exec('kubectl exec -n demo web -- cat /var/run/secrets/kubernetes.io/serviceaccount/token')).stdout;
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:demo:default', aud: ['https://kubernetes.default.svc.cluster.local'], 'kubernetes.io': { namespace: 'demo', pod: { name: 'web' } } });
    expect(claims.exp - claims.iat).toBe(3607);
    expect((await sb.exec('kubectl exec -n demo web -- cat /var/run/secrets/kubernetes.io/serviceaccount/ca.crt')).stdout).toMatch(/^-----BEGIN CERTIFICATE-----/);

    // automountServiceAccountToken: false on the pod, or on its account
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: quiet, namespace: demo}
spec:
  automountServiceAccountToken: false
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: demo}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: robot, namespace: demo}
spec:
  serviceAccountName: robot
  containers: [{name: app, image: nginx}]
EOF`);
    expect(await get('{.spec.volumes}', 'quiet')).toBe('');
    expect(await get('{.spec.volumes}', 'robot')).toBe('');
  });
});
