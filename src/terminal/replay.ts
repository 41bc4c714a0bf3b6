/**
 * Which of the learner's command lines to replay after a reload when the host cannot restore
 * the sandbox's snapshot (no IndexedDB, or a snapshot from an older build): the state is then
 * rebuilt by replaying the lines that may change it; pure reads (curl, get, logs, watch) are
 * skipped so a reload stays fast.
 */
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

export function appendJournal(journal: readonly string[], line: string): string[] {
  if (!shouldReplay(line)) return [...journal];
  const next = [...journal, line];
  return next.length > MAX_JOURNAL ? next.slice(next.length - MAX_JOURNAL) : next;
}
