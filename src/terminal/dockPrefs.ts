/**
 * The learner's terminal dock preferences, kept across lessons and reloads in localStorage:
 * the dock's height and the terminal's font size. Read back with checks (anything can have
 * written the key): a value out of range is clamped, an unreadable record gives the defaults.
 */
export interface DockPrefs {
  /** Height of the docked terminal in CSS pixels; undefined: the default (min(45vh, 420px)). */
  height?: number;
  /** Font size of the terminal in CSS pixels. */
  fontSize: number;
}

const KEY = 'istio-practicum:terminal-dock:v1';
export const FONT_MIN = 10;
export const FONT_MAX = 24;
export const HEIGHT_MIN = 160;

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

export function defaultFontSize(viewportWidth: number): number {
  return viewportWidth < 600 ? 12 : 14;
}

export const clampFont = (n: number): number => Math.min(FONT_MAX, Math.max(FONT_MIN, Math.round(n)));

/** The dock's height within the window: at least HEIGHT_MIN, and leaving 60 px of the page above it. */
export const clampHeight = (px: number, viewportHeight: number): number => Math.round(Math.max(HEIGHT_MIN, Math.min(px, viewportHeight - 60)));

export function parseDockPrefs(raw: string | null | undefined, viewportWidth: number): DockPrefs {
  const fallback: DockPrefs = { fontSize: defaultFontSize(viewportWidth) };
  if (!raw) return fallback;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return fallback;
  }
  if (typeof v !== 'object' || v === null) return fallback;
  const o = v as Record<string, unknown>;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  return { fontSize: num(o.fontSize) ? clampFont(o.fontSize) : fallback.fontSize, height: num(o.height) && o.height > 0 ? Math.round(o.height) : undefined };
}

export function loadDockPrefs(): DockPrefs {
  let raw: string | null | undefined;
  try {
    raw = storage()?.getItem(KEY);
  } catch {
    raw = undefined;
  }
  return parseDockPrefs(raw, typeof window === 'undefined' ? 1024 : window.innerWidth);
}

export function saveDockPrefs(prefs: DockPrefs): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // storage off or full: the preference lasts until the page is left
  }
}
