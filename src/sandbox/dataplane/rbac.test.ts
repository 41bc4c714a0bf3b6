import { describe, expect, it } from 'vitest';
import { authorize, authorizeTcp, istioMatch, type RbacPolicy, type RbacRequest } from './rbac';

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

// a TCP connection: no method, path or host (pilot/pkg/security/authz/builder BuildTCP; istio.io authz-tcp)
describe('authorizeTcp', () => {
  const tcp = (port: number): RbacRequest => ({ method: '', path: '', host: '', port, headers: {}, sourceIp: '10.244.0.9', principal: 'spiffe://cluster.local/ns/foo/sa/curl' });
  it.each<[string, RbacPolicy[], number, string | undefined]>([
    ['ALLOW by ports lets 9000 in', [{ name: 'foo/tcp-policy', action: 'ALLOW', rules: [rule({ to: [{ ports: ['9000', '9001'] }] })] }], 9000, undefined],
    ['ALLOW by ports keeps 9002 out', [{ name: 'foo/tcp-policy', action: 'ALLOW', rules: [rule({ to: [{ ports: ['9000', '9001'] }] })] }], 9002, 'none'],
    ['an ALLOW rule with methods is left out: nothing is allowed', [{ name: 'foo/tcp-policy', action: 'ALLOW', rules: [rule({ to: [{ methods: ['GET'], ports: ['9000'] }] })] }], 9000, 'none'],
    ['a DENY rule drops its methods: every port is denied', [{ name: 'foo/tcp-policy', action: 'DENY', rules: [rule({ to: [{ methods: ['GET'] }] })] }], 9001, 'ns[foo]-policy[tcp-policy]-rule[0]'],
    ['a DENY rule with methods and a port denies that port', [{ name: 'foo/tcp-policy', action: 'DENY', rules: [rule({ to: [{ methods: ['GET'], ports: ['9000'] }] })] }], 9000, 'ns[foo]-policy[tcp-policy]-rule[0]'],
    ['… and not the others', [{ name: 'foo/tcp-policy', action: 'DENY', rules: [rule({ to: [{ methods: ['GET'], ports: ['9000'] }] })] }], 9001, undefined],
    ['principals work on TCP', [{ name: 'foo/p', action: 'ALLOW', rules: [rule({ from: [{ principals: ['cluster.local/ns/foo/sa/curl'] }] })] }], 9000, undefined],
  ])('%s', (_n, policies, port, want) => expect(authorizeTcp(policies, tcp(port))?.by).toBe(want));
});
