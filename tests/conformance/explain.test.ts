/**
 * `kubectl explain` in the sandbox against the real kubectl v1.35.2's explain over the sandbox's
 * HTTP API (the same OpenAPI v3 documents): output, errors and exit codes must be byte-identical.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigFor } from '../../src/sandbox/http/kubeconfig';
import { serveSandbox, type ServedSandbox } from '../../src/sandbox/http/node';
import { Sandbox } from '../../src/sandbox/sandbox';
import { sandboxValidation } from '../../src/validation/sandbox';
import { realKubectl, runKubectl, tempDir } from './realKubectl';

let sb: Sandbox;
let served: ServedSandbox;
let kubeconfig: string;
let bin: string;
let cacheDir: string;

beforeAll(async () => {
  bin = realKubectl();
  const work = tempDir('sandbox-explain-');
  cacheDir = join(work, 'cache');
  sb = new Sandbox({ seed: 1, ...sandboxValidation });
  served = await serveSandbox(sb, { token: 'explain-token', rateLimit: 10_000 });
  kubeconfig = join(work, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor(served.url, 'explain-token', served.caPem));
}, 30_000);

afterAll(async () => {
  await served?.close();
});

const CASES = [
  // what the lessons and istio.io readers look up
  'virtualservice.spec.http.retries',
  'vs.spec --recursive',
  'dr.spec.trafficPolicy --recursive',
  'gateway.spec.servers.tls.mode',
  'peerauthentication',
  'authorizationpolicy.spec.rules',
  'envoyfilter.spec.configPatches',
  'sidecar.spec.egress',
  'serviceentry.spec.resolution',
  'virtualservice --api-version=networking.istio.io/v1alpha3',
  'telemetry.spec.accessLogging',
  // Kubernetes kinds: refs, arrays of refs, maps, enums with their long descriptions
  'pods',
  'pod.spec --recursive',
  'pod.spec.containers.ports',
  'pod.metadata.labels',
  'svc.spec.type',
  'deployment.spec.replicas',
  'deploy.spec.strategy',
  'ns',
  'cm',
  // errors
  '',
  'nothing',
  'vs.spec.nope',
  'vs.spec.http.nope.deeper',
  'pods extra',
  'pods --api-version=v2',
  'vs -o json',
];

describe('kubectl explain: the sandbox prints what the real kubectl prints', () => {
  it.each(CASES)('kubectl explain %s', async (line) => {
    const args = line ? line.split(' ') : [];
    const real = await runKubectl(bin, kubeconfig, ['explain', ...args], { cacheDir });
    const own = await sb.exec(`kubectl explain ${line}`);
    expect({ stdout: own.stdout, stderr: own.stderr, code: own.code }).toEqual({ stdout: real.stdout, stderr: real.stderr, code: real.code });
    if (line === 'vs.spec.nope') expect(real.stderr).toBe('error: field "nope" does not exist\n');
  });
});
