/**
 * Moves a sandbox snapshot in time: every point of time it holds — the clock, the objects'
 * timestamps (creationTimestamp, conditions, events…), the container logs (their times and the
 * times the log lines print), file times, the proxies' timers — by the same number of ms.
 *
 * A lesson's start state is prepared when the site is built (src/terminal/startState.ts) and
 * moved to the moment the learner opens the terminal, so `kubectl get pods` counts ages from
 * the page's start, not from the build. The shift is whole seconds: the sandbox writes times
 * with second precision too (metav1.Time), and a whole-second move keeps them exact.
 */
import type { SandboxSnapshot } from './snapshot';

/** An RFC 3339 time in UTC as the sandbox writes it, with 0 to 9 fraction digits. */
const RFC3339 = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z/g;
const RFC3339_WHOLE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** fake-service's start line prints its start time in Unix seconds (src/sandbox/workloads/fakeService.ts). */
const FAKE_SERVICE_SEED = /(Using seed: seed=)(\d+)/;

/** The RFC 3339 times in a text, each moved by `deltaMs` (whole seconds), with their precision kept. */
export function shiftTimesInText(text: string, deltaMs: number): string {
  if (deltaMs === 0) return text;
  return text.replace(RFC3339, (_all, seconds: string, fraction: string | undefined) => {
    const moved = new Date(Date.parse(`${seconds}Z`) + deltaMs).toISOString().slice(0, 19);
    return fraction === undefined ? `${moved}Z` : `${moved}.${fraction}Z`;
  });
}

function assertWholeSeconds(deltaMs: number): void {
  if (!Number.isInteger(deltaMs / 1000)) throw new Error(`a snapshot is moved by whole seconds, not ${deltaMs} ms`);
}

/** Every string in an API object that is wholly a time (metav1.Time fields) moved; other strings kept. */
function shiftObject(v: unknown, deltaMs: number): unknown {
  if (typeof v === 'string') return RFC3339_WHOLE.test(v) ? shiftTimesInText(v, deltaMs) : v;
  if (Array.isArray(v)) return v.map((x) => shiftObject(x, deltaMs));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shiftObject(x, deltaMs)]));
  return v;
}

/** A copy of `s` with every time in it moved by `deltaMs` (a whole number of seconds). */
export function shiftSnapshot(s: SandboxSnapshot, deltaMs: number): SandboxSnapshot {
  assertWholeSeconds(deltaMs);
  const at = (t: number): number => t + deltaMs;
  const c = s.cluster;
  const logs = Object.fromEntries(
    Object.entries(c.logs).map(([container, lines]) => [
      container,
      lines.map(([t, line]): [number, string] => [
        at(t),
        shiftTimesInText(line, deltaMs).replace(FAKE_SERVICE_SEED, (_all, head: string, secs: string) => `${head}${Number(secs) + deltaMs / 1000}`),
      ]),
    ]),
  );
  const proxies = Object.fromEntries(
    Object.entries(c.network.proxies).map(([uid, p]) => [
      uid,
      {
        ...p,
        // 0 is "never ejected": it stays 0
        outlier: Object.fromEntries(Object.entries(p.outlier).map(([cluster, hosts]) => [cluster, Object.fromEntries(Object.entries(hosts).map(([host, o]) => [host, { ...o, ejectedUntil: o.ejectedUntil > 0 ? at(o.ejectedUntil) : 0 }]))])),
        inflight: Object.fromEntries(Object.entries(p.inflight).map(([host, rs]) => [host, rs.map((r) => ({ start: at(r.start), end: at(r.end) }))])),
      },
    ]),
  );
  return {
    ...s,
    cluster: {
      ...c,
      now: at(c.now),
      api: { ...c.api, objects: c.api.objects.map((o) => shiftObject(o, deltaMs) as typeof o) },
      logs,
      network: { ...c.network, proxies },
      lastSync: { ...c.lastSync, at: c.lastSync.at === null ? null : at(c.lastSync.at) },
    },
    fs: {
      dirs: s.fs.dirs.map(([p, mtime]): [string, number] => [p, mtime > 0 ? at(mtime) : mtime]),
      files: s.fs.files.map(([p, mtime, content]): [string, number, string | null] => [p, mtime > 0 ? at(mtime) : mtime, content]),
    },
  };
}
