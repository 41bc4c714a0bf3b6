/**
 * What the room pages keep in the browser: the participant's seat (token) and the instructor's
 * key for this tab only (sessionStorage: a shared projector laptop forgets them with the tab),
 * and the presenter's layout choices. Every access tolerates storage that is missing or full.
 */
import type { RoomMode } from './protocol';
export interface ParticipantSeat {
  code: string;
  participantId: string;
  /** HMAC-signed by the workshop server; presented on every (re)connect. */
  token: string;
  name: string;
  /** The last frame `seq` received, so a reload of the page is not sent what it already had. */
  lastSeq?: number;
  /** The room's mode when joining: a cluster room's lesson terminals are the participant's PTY. */
  mode?: RoomMode;
}

export interface PresenterState {
  on: boolean;
  /** The room whose participants follow the presenter (needs the instructor key). */
  room?: string;
}

const SEAT = 'workshop.seat';
const KEY = 'workshop.instructorKey';
const PRESENTER = 'workshop.presenter';
const PRESENTER_FONT = 'workshop.presenterFont';

export const PRESENTER_FONT_MIN = 16;
export const PRESENTER_FONT_MAX = 40;
export const PRESENTER_FONT_DEFAULT = 24;

function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // private mode or a full storage: the choice lasts for this page only
  }
}

const session = (): Storage => window.sessionStorage;
const local = (): Storage => window.localStorage;

function parse<T>(text: string | null, ok: (v: unknown) => v is T): T | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return ok(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isSeat(v: unknown): v is ParticipantSeat {
  return isRecord(v) && typeof v.code === 'string' && typeof v.participantId === 'string' && typeof v.token === 'string' && typeof v.name === 'string';
}

function isPresenter(v: unknown): v is PresenterState {
  return isRecord(v) && typeof v.on === 'boolean' && (v.room === undefined || typeof v.room === 'string');
}

export function loadSeat(): ParticipantSeat | undefined {
  if (typeof window === 'undefined') return undefined;
  return parse(read(session, SEAT), isSeat);
}

export function saveSeat(seat: ParticipantSeat | undefined): void {
  write(session, SEAT, seat ? JSON.stringify(seat) : null);
}

export function loadInstructorKey(): string {
  if (typeof window === 'undefined') return '';
  return read(session, KEY) ?? '';
}

export function saveInstructorKey(key: string): void {
  write(session, KEY, key || null);
}

export function loadPresenter(): PresenterState {
  if (typeof window === 'undefined') return { on: false };
  return parse(read(session, PRESENTER), isPresenter) ?? { on: false };
}

export function savePresenter(state: PresenterState): void {
  write(session, PRESENTER, state.on ? JSON.stringify(state) : null);
}

export function clampPresenterFont(px: number): number {
  return Math.min(PRESENTER_FONT_MAX, Math.max(PRESENTER_FONT_MIN, Math.round(px)));
}

export function loadPresenterFont(): number {
  if (typeof window === 'undefined') return PRESENTER_FONT_DEFAULT;
  const n = Number(read(local, PRESENTER_FONT));
  return Number.isFinite(n) && n > 0 ? clampPresenterFont(n) : PRESENTER_FONT_DEFAULT;
}

export function savePresenterFont(px: number): void {
  write(local, PRESENTER_FONT, String(clampPresenterFont(px)));
}

/** The section a presenter was showing in a lesson (kept for a reload of the tab). */
export function loadPresenterSection(lesson: string): number {
  if (typeof window === 'undefined') return 0;
  const n = Number(read(session, `${PRESENTER}.section.${lesson}`));
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

export function savePresenterSection(lesson: string, index: number): void {
  write(session, `${PRESENTER}.section.${lesson}`, String(index));
}

const AUTO_FOLLOW = 'workshop.autoFollow';

/** «Переходить за ведущим автоматически» (off unless the participant turns it on). */
export function loadAutoFollow(): boolean {
  if (typeof window === 'undefined') return false;
  return read(session, AUTO_FOLLOW) === '1';
}

export function saveAutoFollow(on: boolean): void {
  write(session, AUTO_FOLLOW, on ? '1' : null);
}
