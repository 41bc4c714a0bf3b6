/**
 * What the apiserver adds to a pod the manifest did not say: the v1 defaults
 * (pkg/apis/core/v1/defaults.go), the Priority and DefaultTolerationSeconds admission plugins, and
 * the defaults applied again to what istiod's injection webhook added.
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

const POD = `kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: demo}
spec:
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      httpGet: {port: 80}
    env:
    - name: MY_POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
  volumes:
  - name: scratch
  - name: conf
    configMap: {name: conf}
EOF`;

describe('pod defaults', () => {
  it('fills in probes, fieldRefs, volumes, priority, tolerations and service links', async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create namespace demo');
    expect((await sb.exec(POD)).stdout).toBe('pod/web created\n');
    const spec = JSON.parse((await sb.exec("kubectl get pod web -n demo -o jsonpath='{.spec}'")).stdout);
    const c = spec.containers[0];
    // SetDefaults_Probe, SetDefaults_HTTPGetAction
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/', port: 80, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    // SetDefaults_ObjectFieldSelector
    expect(c.env[0].valueFrom.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'metadata.name' });
    // SetDefaults_Volume (no source: emptyDir), SetDefaults_ConfigMapVolumeSource (0644)
    expect(spec.volumes.slice(0, 2)).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'conf', configMap: { name: 'conf', defaultMode: 420 } },
    ]);
    expect(spec.enableServiceLinks).toBe(true);
    expect([spec.priority, spec.preemptionPolicy]).toEqual([0, 'PreemptLowerPriority']);
    expect(spec.tolerations).toEqual([
      { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
      { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
    ]);
  });

  it("keeps a pod's own tolerations for those taints, and defaults what the injector added", async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create namespace demo && kubectl label namespace demo istio-injection=enabled');
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: demo}
spec:
  tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]
  containers: [{name: app, image: nginx}]
EOF`);
    const spec = JSON.parse((await sb.exec("kubectl get pod app -n demo -o jsonpath='{.spec}'")).stdout);
    expect(spec.tolerations.map((t: { key: string; tolerationSeconds: number }) => `${t.key}=${t.tolerationSeconds}`)).toEqual(['node.kubernetes.io/unreachable=30', 'node.kubernetes.io/not-ready=300']);
    const proxy = spec.initContainers.find((x: { name: string }) => x.name === 'istio-proxy');
    expect([proxy.readinessProbe.successThreshold, proxy.startupProbe.successThreshold]).toEqual([1, 1]);
    expect(proxy.env.find((e: { name: string }) => e.name === 'POD_NAME').valueFrom.fieldRef.apiVersion).toBe('v1');
    const podinfo = spec.volumes.find((v: { name: string }) => v.name === 'istio-podinfo');
    expect(podinfo.downwardAPI.defaultMode).toBe(420);
    expect(podinfo.downwardAPI.items[0].fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'metadata.labels' });
  });
});
