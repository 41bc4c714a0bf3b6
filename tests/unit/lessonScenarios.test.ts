import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioOfLesson } from '../../src/workshop/lessonScenarios';

const DOCS = join(__dirname, '../../docs');

function mdxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? mdxFiles(join(dir, e.name)) : e.name.endsWith('.mdx') ? [join(dir, e.name)] : []));
}

describe('scenarioOfLesson', () => {
  it("names the scenario each lesson's terminal really starts", () => {
    const withTerminal = mdxFiles(DOCS)
      .map((f) => ({ lesson: relative(DOCS, f).replace(/\.mdx$/, ''), m: /<SandboxTerminal scenario="([^"]+)"/.exec(readFileSync(f, 'utf8')) }))
      .filter((x) => x.m);
    expect(withTerminal.length).toBeGreaterThan(10);
    for (const { lesson, m } of withTerminal) expect(scenarioOfLesson(lesson), lesson).toBe(m?.[1]);
  });
});
