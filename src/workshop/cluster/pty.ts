/**
 * A participant's terminal on a real cluster: bash in a PTY (node-pty) whose kubectl (and istioctl,
 * when the server has one) talks to the cluster with the participant's own kubeconfig.
 *
 *  - the environment is built from scratch, nothing of the server's is inherited (the instructor
 *    key, cloud credentials): PATH = kubectl's and istioctl's directories + the system's, HOME a
 *    per-participant directory, KUBECONFIG its file (mode 0600), a plain English prompt;
 *  - output is coalesced into frames and bounded: at most MAX_PENDING_BYTES wait to be sent and at
 *    most MAX_BYTES_PER_SECOND leave per second; above that the PTY is paused (the program blocks on
 *    its writes, as over a slow link) and nothing is dropped.
 *
 * With `hide` the shell starts in its own user, mount and PID namespaces where the server's files
 * are out of sight (isolate.ts); without, it runs as the server's OS user, confined by RBAC on the
 * cluster only.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { spawn, type IPty } from 'node-pty';
import { isolatedCommand } from './isolate';

export interface ParticipantPtyOptions {
  /** The participant's kubeconfig (YAML text). */
  kubeconfig: string;
  namespace: string;
  cols: number;
  rows: number;
  /** The participant's directory under the server's --data dir (kubeconfig file and HOME go here). */
  dir: string;
  /** The real kubectl binary; default: `kubectl` on the server's PATH. */
  kubectl?: string;
  /** istioctl, when the server has one. */
  istioctl?: string;
  shell?: string;
  /**
   * Copied once into HOME (e.g. the course's examples/, so `kubectl apply -f examples/…` finds its
   * files); `copy` instead of a plain copy (the examples with the lessons' namespaces mapped).
   */
  seed?: { from: string; to: string; copy?: (from: string, to: string) => void }[];
  /** Paths the shell must not see (isolate.ts); absent: the shell runs unconfined. */
  hide?: string[];
}

export interface ParticipantPty {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(cb: (data: string) => void): void;
  onExit(cb: (code: number) => void): void;
  kill(): void;
  readonly pid: number;
}

export const MAX_PENDING_BYTES = 256 * 1024;
export const MAX_BYTES_PER_SECOND = 512 * 1024;
const FLUSH_MS = 8;
const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';

/** The first `name` on PATH, or undefined. */
export function onPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  // absolute: the shell's PATH must find it whatever its working directory
  for (const d of path.split(delimiter)) if (d && existsSync(join(d, name))) return resolve(d, name);
  return undefined;
}

const clamp = (n: number, lo: number, hi: number): number => (Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo);

export function spawnParticipantPty(o: ParticipantPtyOptions): ParticipantPty {
  const home = join(o.dir, 'home');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  for (const f of o.seed ?? [])
    if (existsSync(f.from) && !existsSync(join(home, f.to))) (f.copy ?? ((a, b) => cpSync(a, b, { recursive: true })))(f.from, join(home, f.to));
  const kubeconfigFile = join(o.dir, 'kubeconfig');
  writeFileSync(kubeconfigFile, o.kubeconfig, { mode: 0o600 });
  chmodSync(kubeconfigFile, 0o600);
  const kubectl = o.kubectl ? resolve(o.kubectl) : onPath('kubectl');
  const istioctl = o.istioctl ? resolve(o.istioctl) : onPath('istioctl');
  const bins = [kubectl, istioctl].filter((x): x is string => Boolean(x)).map((b) => dirname(b));
  const env: Record<string, string> = {
    PATH: [...new Set(bins), SYSTEM_PATH].join(delimiter),
    HOME: home,
    KUBECONFIG: kubeconfigFile,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HISTFILE: join(home, '.bash_history'),
    // kubectl's caches (discovery, http) stay in the participant's HOME
    KUBECACHEDIR: join(home, '.kube', 'cache'),
    PS1: `${o.namespace} $ `,
  };
  const shell = o.shell ?? 'bash';
  const size = { name: 'xterm-256color', cols: clamp(o.cols, 10, 500), rows: clamp(o.rows, 5, 200), cwd: home, env };
  let scratch: string | undefined;
  let p: IPty;
  if (o.hide) {
    scratch = mkdtempSync(join(tmpdir(), 'workshop-pty-'));
    const cmd = isolatedCommand(shell, { hide: o.hide, own: resolve(o.dir), readOnly: [...new Set(bins)] }, scratch);
    p = spawn(cmd.file, cmd.args, size);
  } else p = spawn(shell, ['--noprofile', '--norc', '-i'], size);

  const listeners: ((d: string) => void)[] = [];
  let pending = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let paused = false;
  let windowStart = Date.now();
  let sentInWindow = 0;
  let exited = false;

  const flush = (): void => {
    timer = undefined;
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      sentInWindow = 0;
    }
    const budget = MAX_BYTES_PER_SECOND - sentInWindow;
    if (budget > 0 && pending) {
      const chunk = pending.length > budget ? pending.slice(0, budget) : pending;
      pending = pending.slice(chunk.length);
      sentInWindow += chunk.length;
      for (const l of listeners) l(chunk);
    }
    if (pending) timer = setTimeout(flush, Math.max(FLUSH_MS, 1000 - (Date.now() - windowStart)));
    else if (paused && !exited) {
      paused = false;
      p.resume();
    }
  };

  p.onData((d) => {
    pending += d;
    if (pending.length > MAX_PENDING_BYTES && !paused && !exited) {
      paused = true;
      p.pause();
    }
    timer ??= setTimeout(flush, FLUSH_MS);
  });

  const exitListeners: ((code: number) => void)[] = [];
  p.onExit(({ exitCode }) => {
    exited = true;
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    // what is still pending goes out before the exit is reported
    if (timer) clearTimeout(timer);
    if (pending) for (const l of listeners) l(pending);
    pending = '';
    for (const l of exitListeners) l(exitCode);
  });

  return {
    pid: p.pid,
    write: (data) => {
      if (!exited) p.write(data);
    },
    resize: (cols, rows) => {
      if (!exited) p.resize(clamp(cols, 10, 500), clamp(rows, 5, 200));
    },
    onData: (cb) => listeners.push(cb),
    onExit: (cb) => exitListeners.push(cb),
    kill: () => {
      if (exited) return;
      try {
        p.kill();
      } catch {
        // already gone
      }
    },
  };
}
