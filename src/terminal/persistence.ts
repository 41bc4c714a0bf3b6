/**
 * What the page keeps per lesson in localStorage: the command history, the steps the learner
 * has passed, and the journal of state-changing commands (the fallback when the worker cannot
 * restore its IndexedDB snapshot of the sandbox).
 */
export interface LessonState {
  journal: string[];
  history: string[];
  passed: string[];
}

const VERSION = 1;
const key = (scenario: string): string => `istio-practicum:lesson:${scenario}:v${VERSION}`;
const EMPTY: LessonState = { journal: [], history: [], passed: [] };

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function loadLessonState(scenario: string): LessonState {
  try {
    const raw = storage()?.getItem(key(scenario));
    if (!raw) return { ...EMPTY };
    const v = JSON.parse(raw) as Record<string, unknown>;
    return { journal: strings(v.journal), history: strings(v.history), passed: strings(v.passed) };
  } catch {
    return { ...EMPTY };
  }
}

export function saveLessonState(scenario: string, patch: Partial<LessonState>): LessonState {
  const next = { ...loadLessonState(scenario), ...patch };
  next.history = next.history.slice(-500);
  try {
    storage()?.setItem(key(scenario), JSON.stringify(next));
  } catch {
    // quota exceeded or storage disabled: the lesson still works, it just will not survive a reload
  }
  return next;
}

export function clearLessonState(scenario: string): void {
  try {
    storage()?.removeItem(key(scenario));
  } catch {
    // ignore
  }
}
