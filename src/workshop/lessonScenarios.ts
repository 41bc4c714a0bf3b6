/**
 * A lesson's sandbox scenario, by the course's convention: the lesson docs/<dir>/<name>.mdx
 * has `<SandboxTerminal scenario="<name>" />` (tests/unit/lessonScenarios.test.ts holds every
 * lesson to it). Kept apart from the scenario registry, which is too heavy for the room pages.
 */
export function scenarioOfLesson(lesson: string): string {
  return lesson.split('/').pop() ?? lesson;
}
