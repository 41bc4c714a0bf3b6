/**
 * Where a block's edit is kept in localStorage (the format is in storage.ts), apart from the rest
 * of storage.ts so a lesson page can tell whether a block has an edit with one key lookup.
 */

export const EDIT_PREFIX = 'istio-practicum:manifest-edit:v1:';

/** `/docs/gateway/` and `/docs/gateway` are one lesson. */
export function normalizeLesson(pathname: string): string {
  const path = pathname.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path === '' ? '/' : path;
}

export function editKey(lesson: string, file: string): string {
  return `${EDIT_PREFIX}${normalizeLesson(lesson)}:${file}`;
}

/** Whether the browser keeps something (an edit, or a damaged one) for this block: one key lookup. */
export function hasStoredEdit(lesson: string, file: string): boolean {
  try {
    return window.localStorage.getItem(editKey(lesson, file)) !== null;
  } catch {
    return false; // storage disabled: nothing can be stored either
  }
}
