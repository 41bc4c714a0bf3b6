import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateHostPairs, hostMatches } from './hosts';

/** Istio's own loop (validation/virtualservice.go): every pair, i < j, matching either way. */
function naivePairs(hosts: string[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < hosts.length; i++) for (let j = i + 1; j < hosts.length; j++) if (hostMatches(hosts[i], hosts[j]) || hostMatches(hosts[j], hosts[i])) out.push([i, j]);
  return out;
}

const host = fc.constantFrom('*', '*.com', '*.a.com', '*.b.a.com', 'a.com', 'A.com', 'x.a.com', 'x.b.a.com', 'b.a.com', 'com', '.a.com', '*a.com', 'ba.com', 'reviews', 'REVIEWS');

describe('duplicate hosts of a VirtualService', () => {
  it('finds the pairs of Istio’s nested loop, in its order', () => {
    fc.assert(
      fc.property(fc.array(host, { maxLength: 12 }), (hosts) => {
        expect(duplicateHostPairs(hosts, 1000)).toEqual(naivePairs(hosts));
      }),
      { seed: 16, numRuns: 400 },
    );
  });

  it('stops at the limit, keeping the first pairs', () => {
    const hosts = Array.from({ length: 50_000 }, () => 'same.example.com');
    expect(duplicateHostPairs(hosts, 3)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
  });
});
