/**
 * Durations as Istio reads them from its CRDs (`timeout: 1.5s`, `baseEjectionTime: 3m`): Go's
 * time.ParseDuration syntax (a sequence of decimal numbers, each with an optional fraction and a
 * unit ns, us, µs, ms, s, m, h; "0" alone), and the rules istiod's webhook applies to them
 * (istio/istio pkg/config/validation/agent/validation.go ValidateDuration).
 */

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration string, or undefined when it does not parse. */
export function parseDuration(s: string | undefined): number | undefined {
  if (typeof s !== 'string' || s === '') return undefined;
  let rest = s;
  let sign = 1;
  if (rest[0] === '-' || rest[0] === '+') {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  const re = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  let total = 0;
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** agent.ValidateDuration: Istio's error for a duration field, or undefined when it is fine. */
export function durationProblem(ms: number): string | undefined {
  if (ms < 1) return 'duration must be greater than 1ms';
  if (Math.abs(ms - Math.round(ms)) > 1e-9) return 'only durations to ms precision are supported';
  return undefined;
}
