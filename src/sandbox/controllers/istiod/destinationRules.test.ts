/**
 * DestinationRule exportTo and workloadSelector as a learner sees them: which proxy's clusters carry
 * a rule's subsets and name (istioctl proxy-config clusters), per pilot/pkg/model push_context.go
 * (setDestinationRules, destinationRule), destination_rule.go (mergeDestinationRule) and sidecar.go
 * (SidecarScope.DestinationRule).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';
import { readExamples, steps } from '../../testing';

let examples: Record<string, string> = {};
beforeAll(() => {
  examples = readExamples();
});

const SETUP = `kubectl apply -f examples/ingress-service-a/namespace.yaml
kubectl apply -f examples/ingress-service-a/
kubectl apply -f examples/service-a-service-b/
kubectl create namespace other
kubectl label namespace other istio-injection=enabled
kubectl create deployment client --image=curlimages/curl -n other -- sleep 3600
kubectl rollout status deployment/service-a -n demo --timeout=60s`;

const HOST = 'producer-internal-host.demo.svc.cluster.local';

function dr(name: string, namespace: string, extra: string, subset: string): string {
  return `kubectl apply -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  host: ${HOST}
${extra}  subsets:
  - name: ${subset}
    labels: {version: ${subset}}
YAML`;
}

async function sandbox(seed: number): Promise<Sandbox> {
  const sb = new Sandbox({ examples, seed });
  await steps(sb, SETUP);
  await sb.cluster.advance(20_000);
  return sb;
}

async function apply(sb: Sandbox, command: string): Promise<void> {
  const r = await sb.exec(command);
  expect(r.stderr).toBe('');
  await sb.cluster.advance(2000);
}

/** "SUBSET RULE" per cluster row of the host, as istioctl proxy-config clusters prints it. */
async function seen(sb: Sandbox, workload: string): Promise<string[]> {
  const out = (await sb.exec(`istioctl proxy-config clusters ${workload} --fqdn ${HOST}`)).stdout;
  return out
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s{2,}/))
    .map((cols) => `${cols[2]} ${cols[5] ?? ''}`.trim());
}

describe('DestinationRule workloadSelector', () => {
  it("applies to the selected workloads of its namespace only; it takes the catch-all rule's subsets too", { timeout: 60_000 }, async () => {
    const sb = await sandbox(5);
    await apply(sb, dr('for-a', 'demo', '  workloadSelector:\n    matchLabels: {app: service-a-app}\n', 'v1'));
    await apply(sb, dr('for-all', 'demo', '', 'v2'));
    // service-a matches the selector: its rule, with the catch-all's subset merged in (mergeDestinationRule)
    expect(await seen(sb, 'deploy/service-a -n demo')).toEqual(['- for-a.demo', 'v1 for-a.demo', 'v2 for-a.demo']);
    // service-b does not: the catch-all rule
    expect(await seen(sb, 'deploy/service-b -n demo')).toEqual(['- for-all.demo', 'v2 for-all.demo']);
    // a rule with a selector is private to its namespace: another namespace gets the exported catch-all
    expect(await seen(sb, 'deploy/client -n other')).toEqual(['- for-all.demo', 'v2 for-all.demo']);
  });
});

describe('DestinationRule exportTo', () => {
  it('"." keeps a rule to its namespace; a namespace list exports it there; "~" is for ServiceEntries only', { timeout: 60_000 }, async () => {
    const sb = await sandbox(6);
    await apply(sb, dr('private', 'demo', '  exportTo: ["."]\n', 'v1'));
    expect(await seen(sb, 'deploy/service-a -n demo')).toEqual(['- private.demo', 'v1 private.demo']);
    expect(await seen(sb, 'deploy/client -n other')).toEqual(['-']);

    await apply(sb, dr('private', 'demo', '  exportTo: [".", "other"]\n', 'v1'));
    expect(await seen(sb, 'deploy/client -n other')).toEqual(['- private.demo', 'v1 private.demo']);

    // validateExportTo allows "~" only for a ServiceEntry: the webhook refuses it and the rule stays as it was
    const r = await sb.exec(dr('private', 'demo', '  exportTo: ["~"]\n', 'v1'));
    expect(r.stderr).toContain('admission webhook "validation.istio.io" denied the request: configuration is invalid: only . or * or valid DNS 1123 label is allowed as exportTo entry\n');
    expect(await seen(sb, 'deploy/client -n other')).toEqual(['- private.demo', 'v1 private.demo']);
  });

  it("a proxy's own namespace comes first; a rule in a third namespace is never consulted for a service elsewhere", { timeout: 60_000 }, async () => {
    const sb = await sandbox(7);
    await apply(sb, dr('service-ns', 'demo', '', 'v1'));
    await apply(sb, dr('own-ns', 'other', '', 'v2'));
    // the client's namespace has a rule for the host: it wins over the service's namespace
    expect(await seen(sb, 'deploy/client -n other')).toEqual(['- own-ns.other', 'v2 own-ns.other']);
    // demo's proxies look in demo (local), then demo's exports, then the root namespace's: never in "other"
    expect(await seen(sb, 'deploy/service-a -n demo')).toEqual(['- service-ns.demo', 'v1 service-ns.demo']);
    await sb.exec('kubectl delete destinationrule service-ns -n demo');
    await sb.cluster.advance(2000);
    expect(await seen(sb, 'deploy/service-a -n demo')).toEqual(['-']);
  });
});
