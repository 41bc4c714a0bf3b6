import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { formatQuantity, parseQuantity, podUsage } from './quota';
import type { KubeObject } from './types';

function cluster(): Sandbox['cluster'] {
  const sb = new Sandbox({ seed: 3 });
  const c = sb.cluster.client;
  expect(c.create(c.kind('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ws-a' } }).ok).toBe(true);
  return sb.cluster;
}

const pod = (name: string, resources?: Record<string, unknown>, containers = 1): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ws-a' },
  spec: { containers: Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: 'nginx', ...(resources ? { resources } : {}) })) },
});

describe('quantities (apimachinery resource.Quantity)', () => {
  it.each<[string, number]>([
    ['100m', 100],
    ['1', 1000],
    ['0.5', 500],
    ['128Mi', 128 * 2 ** 20 * 1000],
    ['1G', 1e9 * 1000],
    ['2e3', 2e6],
  ])('%s', (q, milli) => expect(parseQuantity(q)).toBe(milli));

  it('prints in the reference quantity format', () => {
    expect(formatQuantity(1500, '2')).toBe('1500m');
    expect(formatQuantity(2000, '2')).toBe('2');
    expect(formatQuantity(256 * 2 ** 20 * 1000, '1Gi')).toBe('256Mi');
    expect(formatQuantity(0, '1Gi')).toBe('0');
  });
});

describe('ResourceQuota admission (apiserver admission/plugin/resourcequota/controller.go)', () => {
  it('refuses the pod over the pods count with the apiserver words, and the status shows the use', () => {
    const cl = cluster();
    const c = cl.client;
    expect(c.create(c.kind('ResourceQuota'), { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'participant', namespace: 'ws-a' }, spec: { hard: { pods: '1' } } }).ok).toBe(true);
    expect(c.create(c.kind('Pod'), pod('one')).ok).toBe(true);
    const second = c.create(c.kind('Pod'), pod('two'));
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.status).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "two" is forbidden: exceeded quota: participant, requested: pods=1, used: pods=1, limited: pods=1' });
    cl.sync();
    const q = c.get(c.kind('ResourceQuota'), 'ws-a', 'participant');
    expect(q.ok && q.value.status).toEqual({ hard: { pods: '1' }, used: { pods: '1' } });
  });

  it('sums the containers requests against requests.cpu and names the containers that request nothing', () => {
    const cl = cluster();
    const c = cl.client;
    c.create(c.kind('ResourceQuota'), { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'ws-a' }, spec: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi' } } });
    const bare = c.create(c.kind('Pod'), pod('bare'));
    expect(!bare.ok && bare.status.message).toBe('pods "bare" is forbidden: failed quota: compute: must specify requests.cpu for: c0; requests.memory for: c0');
    expect(c.create(c.kind('Pod'), pod('a', { requests: { cpu: '600m', memory: '256Mi' } })).ok).toBe(true);
    const big = c.create(c.kind('Pod'), pod('b', { requests: { cpu: '300m', memory: '256Mi' } }, 2));
    expect(!big.ok && big.status.message).toBe('pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1');
  });
});

describe('LimitRanger (plugin/pkg/admission/limitranger)', () => {
  it('gives containers without resources the defaults, and an annotation saying so', () => {
    const cl = cluster();
    const c = cl.client;
    c.create(c.kind('LimitRange'), {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: 'ws-a' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' } }] },
    });
    const created = c.create(c.kind('Pod'), pod('web', { limits: { memory: '128Mi' } }));
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const ctr = (created.value.spec as { containers: { resources: unknown }[] }).containers[0];
    // the user's memory limit stays and is also the request; cpu takes the defaults
    expect(ctr.resources).toEqual({ limits: { memory: '128Mi', cpu: '500m' }, requests: { memory: '128Mi', cpu: '100m' } });
    expect(created.value.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu request for container c0; cpu limit for container c0');
  });
});

describe('podUsage with a native sidecar (resourcehelper.PodRequests, KEP-753)', () => {
  it('adds restartable init containers to the containers; a completing init container counts with the sidecars before it', () => {
    const res = (cpu: string) => ({ resources: { requests: { cpu }, limits: { cpu } } });
    const sidecarPod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'demo' },
      spec: {
        initContainers: [
          { name: 'istio-init', ...res('100m') },
          { name: 'istio-proxy', restartPolicy: 'Always', ...res('100m') },
          { name: 'migrate', ...res('500m') },
        ],
        containers: [{ name: 'app', ...res('250m') }],
      },
    };
    const u = podUsage(sidecarPod);
    // max(250m + 100m, 100m, 500m + 100m)
    expect(u['requests.cpu']).toBe(600);
    expect(u['limits.cpu']).toBe(600);
  });
});
