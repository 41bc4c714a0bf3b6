/**
 * What the page keeps per lesson in localStorage: the command history, the steps the learner
 * has passed, and the journal of state-changing commands (the fallback when the worker cannot
 * restore its IndexedDB snapshot of the sandbox).
 *
 * What is read back is checked field by field: storage is the page's, but anything can have
 * written it (an older build, an extension, a hand edit). A field that does not have the
 * expected shape is dropped, the readable rest is kept, and the caller is told (`damaged`).
 */
import { isReplayEntry, type ReplayEntry } from './protocol';

export interface LessonState {
  journal: ReplayEntry[];
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

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses a stored lesson state; `damaged` when something in it had to be dropped. */
export function parseLessonState(raw: string): { state: LessonState; damaged: boolean } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { state: { ...EMPTY }, damaged: true };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { state: { ...EMPTY }, damaged: true };
  const o = v as Record<string, unknown>;
  let damaged = false;
  const field = <T>(name: keyof LessonState, ok: (x: unknown) => x is T[], keepReadable: boolean): T[] => {
    const x = o[name];
    if (x === undefined) return [];
    if (ok(x)) return x;
    damaged = true;
    // a list with a few bad items keeps its readable ones (history, passed steps); a journal
    // is all or nothing: replaying part of it would build a state the learner never had
    return keepReadable && Array.isArray(x) ? x.filter((i): i is T => typeof i === 'string') : [];
  };
  const state: LessonState = {
    journal: field('journal', (x): x is ReplayEntry[] => Array.isArray(x) && x.every(isReplayEntry), false),
    history: field('history', isStringList, true),
    passed: field('passed', isStringList, true),
  };
  return { state, damaged };
}

/** The lesson's saved state; damaged parts are dropped (and rewritten), see parseLessonState. */
export function inspectLessonState(scenario: string): { state: LessonState; damaged: boolean } {
  let raw: string | null | undefined;
  try {
    raw = storage()?.getItem(key(scenario));
  } catch {
    raw = undefined;
  }
  if (!raw) return { state: { ...EMPTY }, damaged: false };
  const r = parseLessonState(raw);
  if (r.damaged) write(scenario, r.state);
  return r;
}

export function loadLessonState(scenario: string): LessonState {
  return inspectLessonState(scenario).state;
}

function write(scenario: string, state: LessonState): void {
  try {
    storage()?.setItem(key(scenario), JSON.stringify(state));
  } catch {
    // quota exceeded or storage disabled: the lesson still works, it just will not survive a reload
  }
}

export function saveLessonState(scenario: string, patch: Partial<LessonState>): LessonState {
  const next = { ...loadLessonState(scenario), ...patch };
  next.history = next.history.slice(-500);
  write(scenario, next);
  return next;
}

export function clearLessonState(scenario: string): void {
  try {
    storage()?.removeItem(key(scenario));
  } catch {
    // ignore
  }
}
