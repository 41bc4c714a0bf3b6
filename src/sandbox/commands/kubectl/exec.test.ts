/** kubectl exec's exit status: a program missing from the image vs. a shell's own 127. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../../testing';

const samples = readExamples(SAMPLES_DIR);

describe('kubectl exec -- sh -c', () => {
  it('passes on the 127 of a command the shell did not find, with its message, instead of blaming sh', async () => {
    const sb = new Sandbox({ samples, seed: 6 });
    await steps(sb, ['kubectl apply -f samples/curl/curl.yaml']);
    await sb.cluster.advance(20_000);
    const r = await sb.exec('kubectl exec deploy/curl -- sh -c "nosuch"');
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/nosuch: (command )?not found\ncommand terminated with exit code 127\n$/);
    expect(r.stderr).not.toContain('executable file not found');
    // the program itself missing from the image is still the runtime's error
    expect((await sb.exec('kubectl exec deploy/curl -- nosuch')).stderr).toContain('exec: "nosuch": executable file not found in $PATH: unknown\n');
  });
});

const NOT_IN_PATH = (p: string): string =>
  `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${p}": executable file not found in $PATH: unknown\n`;

describe('kubectl exec runs what the image has, in the container', async () => {
  const sb = new Sandbox({ samples, seed: 7 });
  await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/curl/curl.yaml']);
  await sb.cluster.advance(20_000);
  const pod = (await sb.exec('kubectl get pod -l app=curl -o jsonpath={.items[0].metadata.name}')).stdout;

  it.each<[string, string, { code: number; stdout: string; stderr: string }]>([
    // busybox's applets in curlimages/curl (alpine)
    ['busybox sed', `kubectl exec deploy/curl -- sed -n 1p /etc/hostname`, { code: 0, stdout: `${pod}\n`, stderr: '' }],
    ['busybox xargs', `kubectl exec deploy/curl -- sh -c 'echo a b | xargs -n1'`, { code: 0, stdout: 'a\nb\n', stderr: '' }],
    ['busybox diff', `kubectl exec deploy/curl -- sh -c 'echo x > /tmp/a; echo y > /tmp/b; diff /tmp/a /tmp/b'`, { code: 1, stdout: '1c1\n< x\n---\n> y\n', stderr: 'command terminated with exit code 1\n' }],
    // no jq in the image: the runtime's error for the program, ash's words inside sh -c
    ['no jq (exec)', 'kubectl exec deploy/curl -- jq -n 1', { code: 1, stdout: '', stderr: NOT_IN_PATH('jq') }],
    ['no jq (ash)', `kubectl exec deploy/curl -- sh -c 'echo {} | jq .'`, { code: 127, stdout: '', stderr: 'sh: jq: not found\ncommand terminated with exit code 127\n' }],
    ['no column in alpine', `kubectl exec deploy/curl -- sh -c 'column -t'`, { code: 127, stdout: '', stderr: 'sh: column: not found\ncommand terminated with exit code 127\n' }],
    // the node's tools are not in the container
    ['no kubectl in a pod', 'kubectl exec deploy/curl -- kubectl version', { code: 1, stdout: '', stderr: NOT_IN_PATH('kubectl') }],
    ['no openssl in curlimages/curl', 'kubectl exec deploy/curl -- openssl version', { code: 1, stdout: '', stderr: NOT_IN_PATH('openssl') }],
    // the container's files, not the node's
    ['the kubelet\'s /etc/hostname', 'kubectl exec deploy/curl -- cat /etc/hostname', { code: 0, stdout: `${pod}\n`, stderr: '' }],
    ['no examples in a pod', `kubectl exec deploy/curl -- sh -c 'test -e examples && echo yes || echo no; pwd'`, { code: 0, stdout: 'no\n/home/curl_user\n', stderr: '' }],
    // istio/proxyv2 (Ubuntu): column from bsdmainutils, dash's and bash's words for a missing command
    ['proxy column', `kubectl exec deploy/curl -c istio-proxy -- sh -c 'printf "a bb\\nccc d\\n" | column -t'`, { code: 0, stdout: 'a    bb\nccc  d\n', stderr: '' }],
    ['proxy: no jq (dash)', `kubectl exec deploy/curl -c istio-proxy -- sh -c 'jq'`, { code: 127, stdout: '', stderr: 'sh: 1: jq: not found\ncommand terminated with exit code 127\n' }],
    ['proxy: no jq (bash)', `kubectl exec deploy/curl -c istio-proxy -- bash -c 'jq'`, { code: 127, stdout: '', stderr: 'bash: jq: command not found\ncommand terminated with exit code 127\n' }],
    ['proxy sed', `kubectl exec deploy/curl -c istio-proxy -- sed -n '$=' /etc/hosts`, { code: 0, stdout: '8\n', stderr: '' }],
    // istio/proxyv2 has sudo and tcpdump; the injected sidecar (uid 1337, allowPrivilegeEscalation: false) can use neither
    ['proxy: sudo under no_new_privs', 'kubectl exec deploy/curl -c istio-proxy -- sudo -l', { code: 1, stdout: '', stderr: 'sudo: The "no new privileges" flag is set, which prevents sudo from running as root.\nsudo: If sudo is running in a container, you may need to adjust the container configuration to disable the flag.\ncommand terminated with exit code 1\n' }],
    ['proxy: tcpdump as uid 1337', `kubectl exec deploy/curl -c istio-proxy -- tcpdump dst port 80 -A`, { code: 1, stdout: '', stderr: "tcpdump: eth0: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\ncommand terminated with exit code 1\n" }],
    ['proxy: tcpdump -nni any', `kubectl exec deploy/curl -c istio-proxy -- tcpdump -nni any port 80`, { code: 1, stdout: '', stderr: "tcpdump: any: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\ncommand terminated with exit code 1\n" }],
    ['no tcpdump in curlimages/curl', `kubectl exec deploy/curl -- sh -c 'tcpdump'`, { code: 127, stdout: '', stderr: 'sh: tcpdump: not found\ncommand terminated with exit code 127\n' }],
  ])('%s', async (_, cmd, expected) => {
    expect(await sb.exec(cmd)).toEqual(expected);
  });
});

describe('kubectl exec sees the environment and files the kubelet gives the container', () => {
  it("resolves istio-proxy's valueFrom variables and projects its downward API files", async () => {
    const sb = new Sandbox({ samples, seed: 6 });
    await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/curl/curl.yaml']);
    await sb.cluster.advance(20_000);
    const pod = (await sb.exec("kubectl get pod -l app=curl -o jsonpath='{.items[0].metadata.name} {.items[0].status.podIP}'")).stdout.split(' ');
    const env = (await sb.exec('kubectl exec deploy/curl -c istio-proxy -- env')).stdout.split('\n');
    // kubelet_pods.go podFieldSelectorRuntimeValue and the container's limits (cpu: 2, memory: 1Gi)
    expect(env).toEqual(expect.arrayContaining([`POD_NAME=${pod[0]}`, 'POD_NAMESPACE=default', `INSTANCE_IP=${pod[1]}`, 'SERVICE_ACCOUNT=curl', 'HOST_IP=172.18.0.2', 'ISTIO_META_NODE_NAME=sandbox', 'GOMAXPROCS=2', 'GOMEMLIMIT=1073741824', 'ISTIO_META_WORKLOAD_NAME=curl']));
    // the downward API file of the pod's labels (pkg/fieldpath FormatMap: key="value", sorted, no final newline)
    const labels = (await sb.exec('kubectl exec deploy/curl -c istio-proxy -- cat /etc/istio/pod/labels')).stdout;
    expect(labels.split('\n')).toEqual(expect.arrayContaining(['app="curl"', 'security.istio.io/tlsMode="istio"']));
    expect(labels.endsWith('"')).toBe(true);
  });
});

describe('kubectl exec: variables from a ConfigMap and a Secret key', () => {
  it('gives the key, the Secret one decoded, and leaves a missing optional key unset', async () => {
    const sb = new Sandbox();
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data: {mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {password: czNjcjN0}
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: app
    image: nginx:1.27
    env:
    - {name: MODE, valueFrom: {configMapKeyRef: {name: conf, key: mode}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
    - {name: NOPE, valueFrom: {configMapKeyRef: {name: conf, key: missing, optional: true}}}
EOF`);
    await sb.cluster.advance(20_000);
    const env = (await sb.exec('kubectl exec app -- env')).stdout.split('\n');
    expect(env).toEqual(expect.arrayContaining(['MODE=fast', 'PASSWORD=s3cr3t']));
    expect(env.some((l) => l.startsWith('NOPE='))).toBe(false);
  });
});
