/**
 * kubectl apply in the sandbox: the apiserver's schema admission (validateObject) and istiod's
 * validating webhook (src/sandbox/controllers/istioValidation.ts) each do their own part, and
 * istiod's rules run once per object — the schema admission used to compute them as well, only
 * to drop them (its field errors never carry webhook findings), doubling the time of applying a
 * VirtualService of tens of thousands of hosts (npm run fuzz, yaml-wide).
 */
import { describe, expect, it, vi } from 'vitest';
import * as istio from '../istio/validation';
import { ManualClock } from '../sandbox/core/clock';
import { Sandbox } from '../sandbox/sandbox';
import { sandboxValidation } from './sandbox';
import { validateObject } from './index';

vi.mock('../istio/validation', async (original) => {
  const real = await original<typeof import('../istio/validation')>();
  return { ...real, validateIstioObject: vi.fn(real.validateIstioObject) };
});

const vs = (hosts: string[]): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
spec:
  hosts: [${hosts.join(', ')}]
  http:
  - route:
    - destination:
        host: web
`;

async function apply(yaml: string): Promise<{ out: string; istioRuns: number }> {
  const sb = new Sandbox({ examples: { 'vs.yaml': yaml }, seed: 1, clock: new ManualClock(), ...sandboxValidation });
  const spy = vi.mocked(istio.validateIstioObject);
  spy.mockClear();
  let out = '';
  await sb.run('kubectl apply -f examples/vs.yaml', (s) => (out += s), (s) => (out += s));
  return { out, istioRuns: spy.mock.calls.filter(([o]) => (o as { kind?: unknown }).kind === 'VirtualService').length };
}

describe('kubectl apply of an Istio object', () => {
  it('runs istiod’s rules once and is denied with istiod’s words', async () => {
    const { out, istioRuns } = await apply(vs(['a.example.com', 'a.example.com']));
    expect(out).toBe('Error from server: error when creating "examples/vs.yaml": admission webhook "validation.istio.io" denied the request: configuration is invalid: duplicate hosts in virtual service: a.example.com & a.example.com\n');
    expect(istioRuns).toBe(1);
  });

  it('runs istiod’s rules once for a valid object, which is created', async () => {
    const { out, istioRuns } = await apply(vs(['a.example.com', 'b.example.com']));
    expect(out).toBe('virtualservice.networking.istio.io/web created\n');
    expect(istioRuns).toBe(1);
  });

  it('gives the schema admission its field errors only', () => {
    const obj = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web' }, spec: { hosts: ['a', 'a'], http: [{ route: [{ destination: { host: 'web' } }] }], bogus: 1 } };
    expect(validateObject(obj)).toEqual([{ field: 'spec.bogus', type: 'Invalid', detail: 'unknown field "spec.bogus"' }]);
  });
});
