import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationRuleSpec, VirtualServiceSpec } from '../sandbox/controllers/istiod/istioTypes';
import { explainRouting } from './routing';

const spec = <T,>(file: string): T => (parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as { spec: T }).spec;
const vs = spec<VirtualServiceSpec>('virtual-service/virtual-service.yaml');
const dr = spec<DestinationRuleSpec>('virtual-service/destination-rule.yaml');
const host = 'reviews.shop.svc.cluster.local';

describe('explainRouting (the lesson example reviews v1/v2)', () => {
  it.each([
    [{ host, headers: { 'end-user': 'jason' } }, 0, 'v2', '/'],
    [{ host, path: '/v2/items' }, 1, 'v2', '/items'],
    [{ host, path: '/v2' }, 1, 'v2', '/'],
    [{ host, path: '/v2x' }, 2, 'v1', '/v2x'],
    [{ host: 'reviews', path: '/', headers: { 'end-user': 'anna' } }, 2, 'v1', '/'],
  ])('%j → rule %i, subset %s, upstream path %s', (req, rule, subset, path) => {
    const r = explainRouting(vs, req, { destinationRule: dr, namespace: 'shop' });
    expect(r.ruleIndex).toBe(rule);
    expect(r.chosen?.subset).toBe(subset);
    expect(r.chosen?.labels).toEqual({ version: subset });
    expect(r.upstreamPath).toBe(path);
  });

  it('says when the host is not the VirtualService\'s', () => {
    const r = explainRouting(vs, { host: 'ratings.shop.svc.cluster.local' }, { namespace: 'shop' });
    expect(r.hostMatched).toBe(false);
    expect(r.explanation[0]).toMatch(/не входит в hosts/);
  });

  it('splits by weight and picks by the draw', () => {
    const split: VirtualServiceSpec = { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 90 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 10 }] }] };
    expect(explainRouting(split, { host: 'reviews' }, { draw: 0.5 }).chosen?.subset).toBe('v1');
    const r = explainRouting(split, { host: 'reviews' }, { draw: 0.95, destinationRule: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } });
    expect(r.chosen?.subset).toBe('v2');
    expect(r.destinations.map((d) => d.percent)).toEqual([90, 10]);
    expect(r.explanation.join('\n')).toMatch(/нет subset «v2»/);
  });
});
