/**
 * Prepares each lesson's start state for the browser terminal (src/terminal/startState.ts): runs
 * every distinct setup of the scenarios (examples/<lesson>/scenario.ts) in a sandbox mounting
 * the same examples/ and samples/ the worker bundles, and writes the sandbox as it is after the
 * setup into src/terminal/startStates/<key>.json. The worker restores it instead of running the
 * setup. Runs before every `npm run build` (package.json); files no setup uses are deleted.
 *
 *   npx tsx scripts/start-states.ts
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXAMPLES_DIR, readExamples, SAMPLES_DIR } from '../src/sandbox/testing';
import { prepareStartState } from '../src/terminal/host';
import { SCENARIOS } from '../src/terminal/scenarios';
import { START_STATE_EPOCH, START_STATES_DIR, startStateKey } from '../src/terminal/startState';

async function main(): Promise<void> {
  const started = performance.now();
  const dir = resolve(__dirname, '..', START_STATES_DIR);
  mkdirSync(dir, { recursive: true });
  // the files the worker's bundle mounts (src/terminal/examples.ts: yaml and md under examples/ and samples/)
  const examples = readExamples(EXAMPLES_DIR, /\.(ya?ml|md)$/);
  const samples = readExamples(SAMPLES_DIR, /\.(ya?ml|md)$/);
  const setups = new Map<string, string[]>();
  for (const s of Object.values(SCENARIOS)) if (s.setup.length) setups.set(startStateKey(s.setup), s.setup);
  let bytes = 0;
  for (const [key, setup] of setups) {
    const state = await prepareStartState(setup, { examples, samples, wall: () => START_STATE_EPOCH });
    const json = JSON.stringify(state);
    bytes += json.length;
    writeFileSync(join(dir, `${key}.json`), json);
  }
  for (const name of readdirSync(dir)) if (name.endsWith('.json') && !setups.has(name.slice(0, -'.json'.length))) rmSync(join(dir, name));
  console.log(`start states: ${setups.size} for ${Object.keys(SCENARIOS).length} scenarios, ${Math.round(bytes / 1024)} KiB, ${Math.round(performance.now() - started)} ms → ${START_STATES_DIR}/`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
