/**
 * Seedable pseudo-random numbers (mulberry32). Every random decision in the sandbox
 * (weighted routes, RANDOM load balancing, fault percentages, pod name suffixes, request ids)
 * draws from one Random, so a seed replays a whole session exactly.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

export class SeededRandom implements Random {
  private state: number;
  constructor(seed = 1) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** The position in the sequence (a snapshot of the generator). */
  getState(): number {
    return this.state;
  }
  setState(state: number): void {
    this.state = state >>> 0;
  }
}

/** Characters Kubernetes uses for generated name suffixes (k8s.io/apimachinery/pkg/util/rand: no vowels, no 0,1,3). */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SAFE_ALPHANUMS[rng.int(SAFE_ALPHANUMS.length)];
  return s;
}

export function randomHex(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(16)];
  return s;
}

/** A version-4-shaped UUID, as Envoy generates for x-request-id and the apiserver for metadata.uid. */
export function uuid(rng: Random): string {
  const h = randomHex(rng, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[rng.int(4)];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
