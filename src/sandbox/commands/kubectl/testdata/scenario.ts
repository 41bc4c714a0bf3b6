/**
 * The cluster state behind the golden files: what the sandbox prints for these commands is
 * compared with what the real kubectl v1.35.2 prints for the same objects
 * (scripts/kubectl-golden/make.ts serves them to it from a minimal apiserver).
 */
import { Sandbox } from '../../../sandbox';

export const MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
  labels:
    istio-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
  labels: {app: web}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        version: v1
    spec:
      containers:
        - name: web
          image: nicholasjackson/fake-service:v0.26.2
          ports:
            - name: http
              containerPort: 9090
          env:
            - name: NAME
              value: web
            - name: MESSAGE
              value: "yes"
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 9090
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: tricky
  namespace: demo
data:
  on: "on"
  yes-string: "yes"
  number: "8080"
  octal: "0755"
  float: "1.5"
  stamp: "2024-01-01T10:00:00Z"
  ports: "8080:80"
  empty: ""
  colon: "a: b"
  hash: "a #b"
  dash: "- item"
  star: "*"
  quote: "it's"
  tab: "a\\tb"
  unicode: "привет"
  spaces: " padded "
  multi: |
    line one
    line two
  multi-no-newline: "first\\nsecond"
  long: "the quick brown fox jumps over the lazy dog and keeps running far beyond the eightieth column of the line"
  key10: a
  key9: b
  Key2: c
  _under: d
`;

export const NOW = '2025-01-15T10:00:20.000Z';

/** Commands whose output is compared (name → command line). */
export const COMMANDS: Record<string, string> = {
  'pod-yaml': 'kubectl get POD -n demo -o yaml',
  'pod-json': 'kubectl get POD -n demo -o json',
  'deploy-yaml': 'kubectl get deploy web -n demo -o yaml',
  'svc-yaml': 'kubectl get svc web -n demo -o yaml',
  'cm-yaml': 'kubectl get cm tricky -n demo -o yaml',
  'cm-json': 'kubectl get cm tricky -n demo -o json',
  'pods-yaml': 'kubectl get pods -n demo -o yaml',
  'describe-pod': 'kubectl describe POD -n demo',
  'describe-deploy': 'kubectl describe deploy web -n demo',
  'describe-rs': 'kubectl describe rs -n demo',
  'describe-svc': 'kubectl describe svc web -n demo',
};

/** The sandbox in that state, and the pod's name (POD in the commands). */
export async function goldenSandbox(): Promise<{ sb: Sandbox; pod: string }> {
  const sb = new Sandbox({ seed: 7 });
  const r = await sb.exec(`kubectl apply -f - <<'EOF'\n${MANIFEST}EOF`);
  if (r.code) throw new Error(r.stderr);
  await sb.exec('sleep 20');
  const pod = (await sb.exec('kubectl get pods -n demo -o name')).stdout.trim();
  return { sb, pod };
}
