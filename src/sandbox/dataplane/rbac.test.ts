import { describe, expect, it } from 'vitest';
import { authorize, istioMatch, type RbacPolicy, type RbacRequest } from './rbac';

const req = (over: Partial<RbacRequest> = {}): RbacRequest => ({
  method: 'GET',
  path: '/api/items?x=1',
  host: 'web',
  port: 9090,
  headers: {},
  sourceIp: '10.244.0.9',
  principal: 'spiffe://cluster.local/ns/demo/sa/client',
  ...over,
});
const rule = (r: Partial<RbacPolicy['rules'][number]>) => ({ from: [], to: [], when: [], ...r });

describe('istioMatch', () => {
  it.each([
    ['/api/*', '/api/items', true],
    ['*.json', '/a.json', true],
    ['/exact', '/exact', true],
    ['/exact', '/exact/', false],
    ['*', '', false],
  ])('%s ~ %s → %s', (p, v, want) => expect(istioMatch(p, v)).toBe(want));
});

describe('authorize', () => {
  it.each<[string, RbacPolicy[], Partial<RbacRequest>, string | undefined]>([
    ['no policy allows', [], {}, undefined],
    ['allow-nothing denies', [{ name: 'demo/allow-nothing', action: 'ALLOW', rules: [] }], {}, 'none'],
    ['allow from the namespace', [{ name: 'demo/a', action: 'ALLOW', rules: [rule({ from: [{ namespaces: ['demo'] }] })] }], {}, undefined],
    ['allow from another namespace denies', [{ name: 'demo/a', action: 'ALLOW', rules: [rule({ from: [{ namespaces: ['prod'] }] })] }], {}, 'none'],
    ['plaintext has no namespace', [{ name: 'demo/a', action: 'ALLOW', rules: [rule({ from: [{ namespaces: ['demo'] }] })] }], { principal: undefined }, 'none'],
    ['principal match', [{ name: 'demo/a', action: 'ALLOW', rules: [rule({ from: [{ principals: ['cluster.local/ns/demo/sa/client'] }] })] }], {}, undefined],
    ['deny by path wins over allow', [{ name: 'demo/d', action: 'DENY', rules: [rule({ to: [{ paths: ['/api/*'] }] })] }, { name: 'demo/a', action: 'ALLOW', rules: [rule({})] }], {}, 'ns[demo]-policy[d]-rule[0]'],
    ['method not listed', [{ name: 'demo/a', action: 'ALLOW', rules: [rule({ to: [{ methods: ['POST'] }] })] }], {}, 'none'],
    ['header condition', [{ name: 'demo/a', action: 'ALLOW', rules: [rule({ when: [{ key: 'request.headers[x-token]', values: ['s3cr3t'] }] })] }], { headers: { 'x-token': 's3cr3t' } }, undefined],
  ])('%s', (_n, policies, r, by) => {
    const v = authorize(policies, req(r));
    expect(v?.by).toBe(by);
  });
});
