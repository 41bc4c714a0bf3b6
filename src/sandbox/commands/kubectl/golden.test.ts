/**
 * Golden tests: the sandbox's kubectl prints, byte for byte, what the real kubectl v1.35.2
 * prints for the same objects (testdata/*.golden, made by scripts/kubectl-golden/make.ts).
 * Event ages are the only thing the real binary measured against its own clock: both sides
 * count from the scenario's NOW, so they match too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox';
import { COMMANDS, goldenSandbox } from './testdata/scenario';

describe('kubectl output is laid out as kubectl 1.35 lays it out', () => {
  let sb: Sandbox;
  let pod: string;
  beforeAll(async () => {
    ({ sb, pod } = await goldenSandbox());
  });
  for (const [name, cmd] of Object.entries(COMMANDS))
    it(`${name}: ${cmd}`, async () => {
      const want = readFileSync(join(__dirname, 'testdata', `${name}.golden`), 'utf8');
      const r = await sb.exec(cmd.replace('POD', pod));
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(want);
    });
});
