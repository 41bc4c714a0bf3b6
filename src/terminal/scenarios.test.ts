import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './scenarios';
import { splitCommands } from './splitCommands';
import { connect, lessonBashBlocks, lessonChallenges, lessonSamples } from './testSupport';
import { buildGraph } from '../traffic/graph';
import { inPathOrder } from '../traffic/path';

/** Lessons whose commands send no request through the mesh (the traffic view has nothing to draw). */
const NO_REQUESTS = ['architecture'];

describe.each(Object.keys(SCENARIOS))('scenario %s', (id) => {
  const scenario = SCENARIOS[id];

  it('is the terminal of its lesson, which checks every step where it stands, in order', () => {
    const mdx = readFileSync(resolve(__dirname, '../..', scenario.lesson), 'utf8');
    expect(mdx).toContain(`<SandboxTerminal scenario="${id}" />`);
    expect([...mdx.matchAll(/<StepCheck step="([^"]+)" \/>|<Challenge\s[^>]*?step="([^"]+)"/g)].map((m) => m[1] ?? m[2])).toEqual(scenario.steps.map((s) => s.id));
  });

  it('has a solution for each of its challenges, and only for them', () => {
    const challenges = lessonChallenges(scenario.lesson).map((c) => c.step);
    expect(scenario.steps.filter((s) => s.solution).map((s) => s.id)).toEqual(challenges);
  });

  it.skipIf(scenario.steps.length === 0)('starts with its last step not yet done', async () => {
    const { conn } = connect();
    await conn.start(id);
    const first = await conn.check(scenario.steps[scenario.steps.length - 1].probes);
    expect(first.some((r) => !r.ok)).toBe(true);
  });

  it("is completed by the lesson's own commands, each step check passing as the learner reaches it", async () => {
    // with the validation engine the browser worker loads, so istioctl analyze and admission behave as there
    const { conn, output } = connect({ loadValidation: async () => (await import('../validation/sandbox')).sandboxValidation });
    await conn.start(id);
    const passed = new Set<string>();
    const checkAll = async (): Promise<void> => {
      for (const step of scenario.steps) {
        if (passed.has(step.id)) continue;
        if ((await conn.check(step.probes)).every((r) => r.ok)) passed.add(step.id);
      }
    };
    // a challenge is broken where it stands on the page, and its solution repairs it
    const challenges = lessonChallenges(scenario.lesson);
    const broken: string[] = [];
    const solveChallenges = async (blocksRun: number): Promise<void> => {
      for (const { step: id } of challenges.filter((c) => c.blocksBefore === blocksRun)) {
        const step = scenario.steps.find((s) => s.id === id)!;
        if ((await conn.check(step.probes)).every((r) => r.ok)) broken.push(`${id} passes before it is solved`);
        passed.delete(id); // it may have passed before the lesson broke it: only the solution counts
        for (const line of step.solution ?? []) await conn.run(line);
        await checkAll();
      }
    };
    await solveChallenges(0);
    for (const [i, block] of lessonBashBlocks(scenario.lesson).entries()) {
      for (const line of splitCommands(block)) await conn.run(line);
      await checkAll();
      await solveChallenges(i + 1);
    }
    expect(broken).toEqual([]);
    expect(scenario.steps.map((s) => s.id).filter((s) => !passed.has(s))).toEqual([]);
    // istioctl analyze ends its report of the issues it found with this line (a lesson may show the analyzer finding one)
    const analyzeFound = /^Error: Analyzers found issues when analyzing (namespace: [a-z0-9-]+|all namespaces)\.$/gm;
    expect(output().replace(analyzeFound, '')).not.toMatch(/internal error|command not found|error: |Error: /);
    // the «Трафик» view of the lesson's requests: the newest request's graph has its edges, and its path its hops
    const report = await conn.traffic();
    if (report.traces.length) {
      const newest = report.traces[report.traces.length - 1];
      expect(buildGraph(report).edges.length).toBeGreaterThan(0);
      expect(inPathOrder(newest.hops).length).toBeGreaterThan(0);
    } else expect(NO_REQUESTS).toContain(id);
  }, 60_000); // a long lesson (the resilience one: ~200 requests and rollouts) takes ~20 s
});

/** A table's header line: capitals, digits and punctuation in columns (NAME   READY   STATUS …). */
const TABLE_HEADER = /^[A-Z][A-Z0-9()/.-]*(?: [A-Z0-9()/.-]+)*(?: {2,}[A-Z][A-Z0-9()/.-]*(?: [A-Z0-9()/.-]+)*)+$/;

describe.each(Object.keys(SCENARIOS))('scenario %s, sample output', (id) => {
  it('shows every table with the columns the sandbox prints', async () => {
    const { conn, output, clearOutput } = connect({ loadValidation: async () => (await import('../validation/sandbox')).sandboxValidation });
    await conn.start(id);
    const mismatches: string[] = [];
    for (const { block, sample } of lessonSamples(SCENARIOS[id].lesson)) {
      const lines = splitCommands(block);
      let last = '';
      for (const line of lines) {
        clearOutput();
        await conn.run(line);
        last = output();
      }
      const header = sample?.split('\n')[0] ?? '';
      if (lines.length !== 1 || !TABLE_HEADER.test(header)) continue;
      // the command's own output starts after the echoed prompt line
      // columns are as wide as their data (pod names, IPs), so the columns are compared, not the spacing
      const printed = last.replace(/\r/g, '').split('\n').find((l) => TABLE_HEADER.test(l.trimEnd()));
      const columns = (l?: string): string => (l ?? '').trim().replace(/ {2,}/g, ' | ');
      if (columns(printed) !== columns(header)) mismatches.push(`${lines[0]}\n  lesson:  ${header}\n  sandbox: ${printed?.trimEnd()}`);
    }
    expect(mismatches).toEqual([]);
  }, 60_000);
});

describe('scenario ingress-service-a, step 0', () => {
  it('starts with the access log off, so the check command prints nothing until the learner turns it on', async () => {
    const { conn } = connect();
    await conn.start('ingress-service-a');
    const step0 = SCENARIOS['ingress-service-a'].steps[0];
    expect((await conn.check(step0.probes)).every((r) => r.ok)).toBe(false);
    await conn.run('istioctl install -y --set meshConfig.accessLogFile=/dev/stdout');
    expect((await conn.check(step0.probes)).every((r) => r.ok)).toBe(true);
  });
});
