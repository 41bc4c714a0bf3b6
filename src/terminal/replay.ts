/**
 * Which of the learner's command lines to replay after a reload when the host cannot restore
 * the sandbox's snapshot (no IndexedDB, or a snapshot from an older build): the state is then
 * rebuilt by replaying the lines that may change it; pure reads (curl, get, logs, watch) are
 * skipped so a reload stays fast.
 */
import type { ReplayEntry } from './protocol';

const READ_ONLY = /^\s*(watch|sleep|clear|history|help|ls|cat|pwd|echo\s[^>]*$|grep|head|tail|wc)\b/;
const KUBECTL_READ = /^\s*kubectl\s+(?:-n\s+\S+\s+|--namespace[= ]\S+\s+)?(get|describe|logs|top|explain|version|rollout\s+status)\b/;
const MUTATES = /(^|[\s;|&(])(export|cd|unset|kubectl\s+(?!get|describe|logs|top|explain|version)|istioctl\s+install|rm|mkdir|touch|tee|source|\.)\b|>|<</;

export function shouldReplay(line: string): boolean {
  const l = line.trim();
  if (!l || l.startsWith('#')) return false;
  if (KUBECTL_READ.test(l) && !/[;&|>]/.test(l)) return false;
  if (READ_ONLY.test(l) && !MUTATES.test(l)) return false;
  if (/^\s*(for|while)\b/.test(l) || /^\s*curl\b/.test(l)) return MUTATES.test(l.replace(/kubectl\s+(get|logs|describe)\b[^|;&]*/g, ''));
  return true;
}

/** Bounded journal: the newest lines win (old reads are dropped first by shouldReplay). */
export const MAX_JOURNAL = 500;

/** Appends a line (with the files it was given, e.g. an applied edited manifest) when it may change state. */
export function appendJournal(journal: readonly ReplayEntry[], entry: ReplayEntry): ReplayEntry[] {
  const line = typeof entry === 'string' ? entry : entry.line;
  if (!shouldReplay(line)) return [...journal];
  if (typeof entry === 'string' || !entry.files?.length) return bounded([...journal, line]);
  // one copy of each file's text: an earlier apply of the same path replays without it
  const paths = new Set(entry.files.map((f) => f.path));
  const earlier = journal.map((e) => {
    if (typeof e === 'string' || !e.files?.some((f) => paths.has(f.path))) return e;
    const files = e.files.filter((f) => !paths.has(f.path));
    return files.length ? { line: e.line, files } : e.line;
  });
  return bounded([...earlier, entry]);
}

function bounded(next: ReplayEntry[]): ReplayEntry[] {
  return next.length > MAX_JOURNAL ? next.slice(next.length - MAX_JOURNAL) : next;
}
