import {describe, expect, it} from 'vitest';
import {lessons} from '../../src/course';
import {SCENARIOS} from '../../src/terminal/scenarios';
import {lessonSource} from '../support/docs';

describe.each(lessons.map((lesson, index) => [lesson.id, index] as const))('lesson %s', (id, index) => {
  const source = lessonSource(id);

  it('has a title and a description for search engines', () => {
    expect(source).toMatch(/^---\ntitle: .+\n[\s\S]*?^description: .+\n[\s\S]*?^---$/m);
  });

  it('says what the learner will learn, what comes before, and recaps', () => {
    expect(source).toContain(':::info Что вы узнаете');
    expect(source).toContain(':::note Перед началом');
    expect(source).toMatch(/^## Итоги/m);
  });

  it('links to the next lesson of the course', () => {
    const next = lessons[index + 1];
    if (!next) return;
    const nextFile = next.id.split('/').pop();
    expect(source).toMatch(new RegExp(`Дальше: \\[[^\\]]+\\]\\([./a-z-]*${nextFile}\\.mdx\\)`));
  });

  it('is hands-on when it has practice: its shell blocks run in its own terminal', () => {
    const runnable = [...source.matchAll(/^```(?:bash|sh|shell)([^\n]*)$/gm)].filter((m) => !m[1].includes('norun'));
    if (runnable.length === 0) return;
    const terminal = source.match(/<SandboxTerminal scenario="([^"]+)" \/>/);
    expect(terminal, 'a lesson with shell blocks has a terminal').not.toBeNull();
    expect(SCENARIOS[terminal?.[1] ?? '']?.lesson).toBe(`docs/${id}.mdx`);
  });

  it('asks for a real cluster only as an alternative when it has a terminal', () => {
    if (!source.includes('<SandboxTerminal')) return;
    const before = source.slice(source.indexOf(':::note Перед началом'), source.indexOf(':::', source.indexOf(':::note Перед началом') + 5));
    expect(before, 'it says the commands run in the sandbox of the page').toMatch(/терминал|песочниц/i);
  });

  it('keeps its source comments out of the middle of a paragraph (MDX would split the paragraph there)', () => {
    const lines = source.split('\n');
    const split = lines
      .map((line, i) => ({line, prev: lines[i - 1] ?? '', n: i + 1}))
      .filter(({line, prev}) => line.startsWith('{/*') && prev.trim() !== '' && !/^(\{\/\*|.*\*\/\}$|```|:::|\||<|#|\s*[-*] |\s*\d+\. )/.test(prev));
    expect(split.map(({n, prev}) => `${n}: after «${prev.slice(0, 40)}»`)).toEqual([]);
  });
});
