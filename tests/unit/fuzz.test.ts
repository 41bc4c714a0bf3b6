/**
 * A small fixed-seed slice of the fuzzing suite (tests/fuzz; the full run is `npm run fuzz`):
 * a few inputs of every class, in this process, with the same verdicts. A crash or a hang here
 * names the class and the index to re-run with `npm run fuzz -- --class C --from I --count 1`.
 */
import { describe, expect, it } from 'vitest';
import { CLASSES, runClass } from '../fuzz/harness';

const PER_CLASS: Record<string, number> = { 'yaml-deep': 3, 'yaml-wide': 3, heredocs: 3, bombs: 3, 'huge-output': 3, snapshots: 4 };

describe('fuzzing slice (seed 7)', () => {
  it.each(CLASSES.map((c) => c.name))('%s: no crash, no hang', async (name) => {
    const cls = CLASSES.find((c) => c.name === name)!;
    // crashes are judged strictly; time only loosely here (a shared CI machine is no stopwatch:
    // the 2 s / 100 ms figures are `npm run fuzz`'s)
    const r = await runClass(cls, { seed: 7, count: PER_CLASS[name] ?? 6, patienceMs: 300, limits: { hangMs: 20_000, ctrlCMs: 5_000 } });
    expect(r.failures.map((f) => `#${f.index} ${f.verdict.kind}: ${f.verdict.detail} — ${f.input.slice(0, 200)}`)).toEqual([]);
  }, 60_000);
});
