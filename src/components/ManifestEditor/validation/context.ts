/**
 * The context a block is validated with, mirroring the CLI in CI (`validate examples/`): the
 * other manifests of the lesson (with the learner's edits) take the place of the rest of the
 * folder, and every other vetted manifest under examples/ is background, because the scenarios
 * build on each other (a VirtualService of one lesson routes to a Service of an earlier one).
 * The background never includes a file the page shows, so an edit is never shadowed by its
 * own vetted version.
 */
import type {PageManifest} from './protocol';

export interface ContextInput {
  file: string;
  page: readonly PageManifest[];
  /** examples/ as file → text. */
  background: Readonly<Record<string, string>>;
}

/** Texts to pass as `context`, page manifests first, then background in file order. */
export function contextTexts(input: ContextInput): Array<{file: string; text: string; background: boolean}> {
  const onPage = new Set([input.file, ...input.page.map((m) => m.file)]);
  const page = input.page.filter((m) => m.file !== input.file).map((m) => ({...m, background: false}));
  const background = Object.keys(input.background)
    .filter((file) => !onPage.has(file))
    .sort()
    .map((file) => ({file, text: input.background[file], background: true}));
  return [...page, ...background];
}
