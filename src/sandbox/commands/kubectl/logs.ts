/**
 * kubectl logs (kubectl/pkg/cmd/logs): POD | TYPE/NAME | -l selector, -c, --all-containers,
 * --tail (-1 = all; with a selector the default is 10 lines per pod), --since, --prefix,
 * --timestamps, -f (follow: new lines as they are written, until Ctrl-C).
 */
import type { KubeObject } from '../../api/types';
import { parseDuration } from '../../controllers/istiod/istioTypes';
import { flagSet } from '../args';
import { sleepOnCluster } from '../coreutils';
import { chooseContainer, client, containerNames, err, pickPod, selector, type Kctx, type KubectlCommand } from './common';

const FLAGS = flagSet([
  '--all-containers=false',
  '--all-pods=false',
  "-c, --container=''",
  '-f, --follow=false',
  '--ignore-errors=false',
  '--insecure-skip-tls-verify-backend=false',
  '--limit-bytes=0',
  '--max-log-requests=5',
  '--pod-running-timeout=20s',
  '--prefix=false',
  '-p, --previous=false',
  "-l, --selector=''",
  '--since=0s',
  "--since-time=''",
  '--tail=-1',
  '--timestamps=false',
]);

const USAGE_ERROR = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";

/** How long a follow may stay silent before the sandbox ends it (SANDBOX_WATCH_IDLE seconds, 0 = never). */
export function watchIdleLimit(env: Record<string, string>): number {
  const v = env.SANDBOX_WATCH_IDLE;
  if (v === '0') return Infinity;
  return (Number(v ?? '60') || 60) * 1000;
}

interface Stream {
  pod: KubeObject;
  container: string;
  prefix: string;
  /** The lines already printed (their count and the last one), to print only what follows. */
  seen: number;
  lastLine?: string;
}

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx, flags } = k;
  const c = client(k);
  const sel = selector(k);
  // logs.go: "--tail … Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided."
  const tail = flags.changed('tail') ? flags.int('tail') : sel ? 10 : -1;
  const sinceMs = flags.changed('since') ? parseDuration(flags.string('since')) ?? 0 : 0;
  if (flags.changed('since') && flags.changed('since-time')) return err(ctx, 'error: at most one of `sinceTime` or `sinceSeconds` may be specified');
  let pods: KubeObject[] = [];
  if (sel) {
    if (args.length) return err(ctx, 'error: only one of -l or POD or TYPE/NAME may be specified');
    const l = c.list(c.kind('Pod'), k.allNs ? undefined : k.ns, sel);
    pods = l.ok ? l.value : [];
    if (pods.length === 0) {
      ctx.err(`No resources found in ${k.ns} namespace.\n`);
      return 0;
    }
  } else {
    if (!args[0]) return err(ctx, USAGE_ERROR);
    const pod = pickPod(k, args[0], { announce: true });
    if (!pod) return 1;
    pods = [pod];
  }
  const explicit = flags.string('container') || args[1];
  const streams: Stream[] = [];
  for (const pod of pods) {
    const names = flags.bool('all-containers') ? [...containerNames(pod).init, ...containerNames(pod).main] : [chooseContainer(k, pod, explicit)];
    for (const container of names) {
      if (!container) return 1;
      streams.push({ pod, container, prefix: flags.bool('prefix') ? `[pod/${pod.metadata.name}/${container}] ` : '', seen: 0 });
    }
  }
  // logs.go: following more streams than --max-log-requests is refused
  if (flags.bool('follow') && streams.length > flags.int('max-log-requests'))
    return err(ctx, `error: you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${flags.int('max-log-requests')}, use --max-log-requests to increase the limit`);
  let code = 0;
  const read = (s: Stream, q: Record<string, string>): string[] | undefined => {
    const r = c.subresource(c.kind('Pod'), s.pod.metadata.namespace, s.pod.metadata.name ?? '', 'log', { container: s.container, ...q });
    if (!r.ok) {
      if (!flags.bool('ignore-errors')) ctx.err(`Error from server (${r.status.reason}): ${r.status.message}\n`);
      code = 1;
      return undefined;
    }
    return r.value === '' ? [] : r.value.replace(/\n$/, '').split('\n');
  };
  const print = (s: Stream, lines: string[]): void => {
    if (lines.length) ctx.out(lines.map((l) => `${s.prefix}${l}\n`).join(''));
  };
  for (const s of streams) {
    const q: Record<string, string> = {};
    if (tail >= 0) q.tailLines = String(tail);
    // the apiserver takes whole seconds (kubectl rounds up)
    if (sinceMs > 0) q.sinceSeconds = String(Math.ceil(sinceMs / 1000));
    const lines = read(s, q);
    if (!lines) continue;
    print(s, lines);
    const all = read(s, {}) ?? [];
    s.seen = all.length;
    s.lastLine = all[all.length - 1];
  }
  if (!flags.bool('follow')) return code;
  return follow(k, streams, read, print);
}

/**
 * -f: the kubelet keeps the stream open and sends lines as the container writes them. The
 * sandbox reads the log every 500 ms of cluster time (each wait yields to the host, so other
 * sessions keep running) and prints what is new, until Ctrl-C or the pod is gone.
 */
async function follow(k: Kctx, streams: Stream[], read: (s: Stream, q: Record<string, string>) => string[] | undefined, print: (s: Stream, lines: string[]) => void): Promise<number> {
  const { ctx } = k;
  const c = client(k);
  const idleLimit = watchIdleLimit(ctx.env);
  let idle = 0;
  let open = streams;
  while (open.length && idle < idleLimit && !ctx.token.cancelled) {
    await sleepOnCluster(ctx, 500);
    let printed = false;
    const still: Stream[] = [];
    for (const s of open) {
      const live = c.get(c.kind('Pod'), s.pod.metadata.namespace, s.pod.metadata.name ?? '');
      const all = live.ok && live.value.metadata.uid === s.pod.metadata.uid ? read(s, {}) : undefined;
      if (!all) continue;
      let fresh: string[];
      if (all.length >= s.seen && (s.seen === 0 || all[s.seen - 1] === s.lastLine)) fresh = all.slice(s.seen);
      else {
        // the kubelet rotated lines away: continue after the last line printed
        const j = s.lastLine === undefined ? -1 : all.lastIndexOf(s.lastLine);
        fresh = all.slice(j + 1);
      }
      s.seen = all.length;
      s.lastLine = all[all.length - 1];
      if (fresh.length) {
        print(s, fresh);
        printed = true;
      }
      still.push(s);
    }
    open = still;
    idle = printed ? 0 : idle + 500;
  }
  return 0;
}

export const logsCommand: KubectlCommand = {
  name: 'logs',
  short: 'Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.',
  usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  flags: FLAGS,
  run,
};
