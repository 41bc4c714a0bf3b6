import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { steps } from '../testing';

const QUOTA = `kubectl apply -n q -f - <<Q
apiVersion: v1
kind: ResourceQuota
metadata:
  name: small
spec:
  hard:
    pods: "2"
Q`;

async function overQuota(): Promise<Sandbox> {
  const sb = new Sandbox({ seed: 5 });
  await steps(sb, ['kubectl create namespace q']);
  await sb.exec(QUOTA);
  await steps(sb, ['kubectl create deployment web -n q --image=nginx --replicas=3', 'sleep 5']);
  return sb;
}

describe('ReplicaSet over a ResourceQuota (kubernetes pkg/controller/controller_utils.go, replica_set_utils.go)', () => {
  it('records FailedCreate with the API server refusal, and describe rs shows it with the ReplicaFailure condition', async () => {
    const sb = await overQuota();
    const pods = (await sb.exec('kubectl get pods -n q --no-headers')).stdout.trim().split('\n');
    expect(pods).toHaveLength(2);
    const events = (await sb.exec('kubectl get events -n q --field-selector reason=FailedCreate')).stdout;
    expect(events).toMatch(/Warning\s+FailedCreate\s+replicaset\/web-[a-z0-9]+\s+Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2/);
    const rs = (await sb.exec('kubectl describe rs -n q')).stdout;
    expect(rs).toContain('Replicas:       2 current / 3 desired');
    expect(rs).toMatch(/Conditions:\n\s+Type\s+Status\s+Reason\n\s+-+\s+-+\s+-+\n\s+ReplicaFailure\s+True\s+FailedCreate/);
    expect(rs).toMatch(/Warning\s+FailedCreate\s+\S+\s+replicaset-controller\s+Error creating: pods "web-/);
  });

  it('aggregates the retries after 10 different messages, and drops the condition once the replicas fit', async () => {
    const sb = await overQuota();
    await steps(sb, ['sleep 30']);
    const rs = (await sb.exec('kubectl describe rs -n q')).stdout;
    const failed = rs.split('\n').filter((l) => /FailedCreate\s/.test(l) && l.includes('replicaset-controller'));
    // 9 single events, then one combined event that counts the rest (client-go events_cache.go).
    expect(failed).toHaveLength(10);
    expect(failed.filter((l) => l.includes('(combined from similar events): Error creating: pods "web-'))).toHaveLength(1);
    expect(failed.at(-1)).toMatch(/\(x\d+ over \d+s\)/);
    await steps(sb, ['kubectl scale deployment web -n q --replicas=2', 'sleep 2']);
    const status = JSON.parse((await sb.exec("kubectl get rs -n q -o jsonpath='{.items[0].status}'")).stdout) as Record<string, unknown>;
    expect(status.conditions).toBeUndefined();
    expect(status.replicas).toBe(2);
  });
});
