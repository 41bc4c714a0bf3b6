import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../network/http';
import { matchRoute, matchString, pickWeighted, rewritePath, selectRoute, selectVirtualHost } from './route';
import type { Route, RouteMatch, VirtualHost } from './types';

const req = (over: Partial<HttpRequest> = {}): HttpRequest => ({ method: 'GET', scheme: 'http', authority: 'reviews', path: '/', headers: {}, body: '', ...over });
const m = (over: Partial<RouteMatch> = {}): RouteMatch => ({ headers: [], queryParams: [], ...over });

describe('matchString', () => {
  it.each([
    [{ exact: '/a' }, '/a', true],
    [{ exact: '/a' }, '/a/', false],
    [{ prefix: '/api' }, '/api/v1', true],
    [{ prefix: '/api' }, '/ap', false],
    [{ regex: '/v[0-9]+/.*' }, '/v2/items', true],
    [{ regex: 'v[0-9]' }, '/v2', false], // RE2 full match, as Envoy's safe_regex
    [{ regex: '([' }, '/x', false],
  ])('%j on %s → %s', (sm, v, want) => {
    expect(matchString(sm, v)).toBe(want);
  });
});

describe('matchRoute', () => {
  it.each<[string, RouteMatch, Partial<HttpRequest>, boolean]>([
    ['no match block matches all', m(), {}, true],
    ['uri prefix', m({ path: { prefix: '/v2' } }), { path: '/v2/items?x=1' }, true],
    ['query string ignored by uri match', m({ path: { exact: '/items' } }), { path: '/items?page=2' }, true],
    ['ignoreUriCase', m({ path: { exact: '/Items' }, ignoreUriCase: true }), { path: '/items' }, true],
    ['header exact', m({ headers: [{ name: 'end-user', match: { exact: 'jason' } }] }), { headers: { 'end-user': 'jason' } }, true],
    ['header missing', m({ headers: [{ name: 'end-user', match: { exact: 'jason' } }] }), {}, false],
    ['header names are case-insensitive', m({ headers: [{ name: 'End-User', match: { exact: 'jason' } }] }), { headers: { 'end-user': 'jason' } }, true],
    ['withoutHeaders (invert)', m({ headers: [{ name: 'x-canary', invert: true }] }), { headers: { 'x-canary': '1' } }, false],
    ['method', m({ headers: [{ name: ':method', match: { exact: 'POST' } }] }), { method: 'GET' }, false],
    ['authority', m({ headers: [{ name: ':authority', match: { prefix: 'reviews' } }] }), {}, true],
    ['query param exact', m({ queryParams: [{ name: 'v', match: { exact: '2' } }] }), { path: '/?v=2' }, true],
    ['query param absent', m({ queryParams: [{ name: 'v', match: { exact: '2' } }] }), { path: '/' }, false],
    ['query param regex', m({ queryParams: [{ name: 'id', match: { regex: '\\d+' } }] }), { path: '/?id=42' }, true],
  ])('%s', (_name, match, r, want) => {
    expect(matchRoute(match, req(r))).toBe(want);
  });

  it('first matching route wins', () => {
    const routes: Route[] = [
      { name: 'v2', match: m({ path: { prefix: '/v2' } }), action: { type: 'direct', status: 200 } },
      { name: 'all', match: m(), action: { type: 'direct', status: 200 } },
      { name: 'never', match: m({ path: { prefix: '/v2' } }), action: { type: 'direct', status: 200 } },
    ];
    expect(selectRoute(routes, req({ path: '/v2/x' }))?.name).toBe('v2');
    expect(selectRoute(routes, req({ path: '/v1' }))?.name).toBe('all');
    expect(selectRoute([], req())).toBeUndefined();
  });
});

describe('selectVirtualHost', () => {
  const vh = (name: string, domains: string[]): VirtualHost => ({ name, domains, routes: [] });
  const hosts = [vh('any', ['*']), vh('exact', ['api.example.com', 'api.example.com:*']), vh('suffix', ['*.example.com']), vh('longer-suffix', ['*.shop.example.com']), vh('prefix', ['api.*'])];
  it.each([
    ['api.example.com', 'exact'],
    ['api.example.com:80', 'exact'],
    ['www.example.com', 'suffix'],
    ['a.shop.example.com', 'longer-suffix'],
    ['api.other.org', 'prefix'],
    ['172.18.255.200', 'any'],
    ['API.EXAMPLE.COM', 'exact'],
  ])('%s → %s', (authority, want) => {
    expect(selectVirtualHost(hosts, authority)?.name).toBe(want);
  });
  it('no virtual host without a catch-all', () => {
    expect(selectVirtualHost([vh('exact', ['a'])], 'b')).toBeUndefined();
  });
});

describe('pickWeighted', () => {
  const items = [
    { n: 'b', weight: 90 },
    { n: 'c', weight: 10 },
  ];
  it.each([
    [0, 'b'],
    [0.899, 'b'],
    [0.9, 'c'],
    [0.999, 'c'],
  ])('draw %f → %s', (draw, want) => {
    expect(pickWeighted(items, draw)?.n).toBe(want);
  });
  it('never picks a zero weight', () => {
    const zero = [
      { n: 'b', weight: 0 },
      { n: 'c', weight: 100 },
    ];
    for (const d of [0, 0.3, 0.99]) expect(pickWeighted(zero, d)?.n).toBe('c');
  });
  it('weights are relative', () => {
    const rel = [
      { n: 'x', weight: 1 },
      { n: 'y', weight: 3 },
    ];
    expect(pickWeighted(rel, 0.24)?.n).toBe('x');
    expect(pickWeighted(rel, 0.26)?.n).toBe('y');
  });
});

describe('rewritePath', () => {
  it.each<[string, RouteMatch, string | undefined, string]>([
    ['/service-ext', m({ path: { prefix: '/service-ext' } }), '/', '/'],
    ['/service-ext/a?b=1', m({ path: { prefix: '/service-ext' } }), '/', '//a?b=1'],
    ['/v2/items', m({ path: { prefix: '/v2' } }), '', '/items'],
    ['/old', m({ path: { exact: '/old' } }), '/new', '/new'],
    ['/x', m(), '/api/', '/api/x'],
    ['/same', m(), undefined, '/same'],
  ])('%s → %s', (path, match, rw, want) => {
    expect(rewritePath(path, match, rw, undefined)).toBe(want);
  });
  it('regex rewrite', () => {
    expect(rewritePath('/v1/users/42', m(), undefined, { pattern: '^/v1/(.*)$', substitution: '/api/\\1' })).toBe('/api/users/42');
  });
});
