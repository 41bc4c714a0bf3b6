/**
 * The instructor's roster: each participant's lesson, step and passed checks (from the page's
 * `progress` frames and the `checkResult`s flowing back from the sandbox), failing commands (the
 * `exit` codes), and who looks stuck. Plus its CSV export.
 */
import type { ServerMessage } from '../terminal/protocol';
import type { ParticipantProgress } from './protocol';
import type { ParticipantRecord } from './state';

/** Window and count of failing commands that mark a participant as stuck. */
export const ERROR_WINDOW_MS = 5 * 60_000;
export const STUCK_ERRORS = 3;

/** A page's progress frame: where the participant is, and checks the page saw pass. */
export function recordProgress(p: ParticipantRecord, lesson: string, step: string | undefined, passed: string[] | undefined, now: number): void {
  if (p.lesson !== lesson || p.step !== step) p.lastProgressAt = now;
  p.lesson = lesson;
  p.step = step;
  if (passed?.length) {
    const known = new Set(p.passed[lesson] ?? []);
    const fresh = passed.filter((s) => !known.has(s));
    if (fresh.length) {
      p.passed[lesson] = [...known, ...fresh];
      p.lastProgressAt = now;
    }
  }
}

/**
 * What the server learns from the sandbox's own answers: a non-zero `exit` of the first
 * terminal or any other is a failing command; a check whose probes all passed is progress on
 * the participant's current step.
 */
export function recordSandboxMessage(p: ParticipantRecord, msg: ServerMessage, now: number): boolean {
  if (msg.type === 'exit' && msg.code !== 0 && msg.code !== 130) {
    p.errors = [...p.errors.filter((t) => now - t < ERROR_WINDOW_MS), now];
    return true;
  }
  if (msg.type === 'checkResult' && msg.results.length > 0 && msg.results.every((r) => r.ok)) {
    p.lastProgressAt = now;
    if (p.lesson && p.step) {
      const list = p.passed[p.lesson] ?? [];
      if (!list.includes(p.step)) p.passed[p.lesson] = [...list, p.step];
    }
    return true;
  }
  return false;
}

export function progressOf(p: ParticipantRecord, connected: boolean, stuckMs: number, now: number): ParticipantProgress {
  const recentErrors = p.errors.filter((t) => now - t < ERROR_WINDOW_MS).length;
  return {
    id: p.id,
    name: p.name,
    connected,
    ...(p.lesson !== undefined && { lesson: p.lesson }),
    ...(p.step !== undefined && { step: p.step }),
    passed: p.passed,
    lastProgressAt: p.lastProgressAt,
    recentErrors,
    stuck: now - p.lastProgressAt >= stuckMs || recentErrors >= STUCK_ERRORS,
    ...(p.namespace !== undefined && { namespace: p.namespace }),
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(v: string | number | boolean): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function rosterCsv(participants: ParticipantProgress[]): string {
  const header = ['name', 'id', 'connected', 'lesson', 'step', 'passed_steps', 'passed', 'last_progress', 'recent_errors', 'stuck'];
  const rows = participants.map((p) => {
    const passed = Object.entries(p.passed).flatMap(([lesson, steps]) => steps.map((s) => `${lesson}#${s}`));
    return [p.name, p.id, p.connected, p.lesson ?? '', p.step ?? '', passed.length, passed.join(' '), new Date(p.lastProgressAt).toISOString(), p.recentErrors, p.stuck];
  });
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
