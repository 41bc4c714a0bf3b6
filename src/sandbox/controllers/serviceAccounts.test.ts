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
});
