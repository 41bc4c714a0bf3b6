import {describe, expect, it} from 'vitest';
import {lessons} from '../../src/course';
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
});
