/** kubectl exec (kubectl/pkg/cmd/exec): POD | TYPE/NAME [-c CONTAINER] [-i] [-t] -- COMMAND [args...]. */
import { isRecord } from '../../api/types';
import { flagSet } from '../args';
import { Shell } from '../../shell/interpreter';
import type { CommandSpec } from '../types';
import { wgetCommand } from '../wget';
import { sudoCommand, tcpdumpCommand } from '../tcpdump';
import { containerPrograms, hasShell, imageShell, notFoundMessage, podFs, serviceEnv, shellPrompt, type ImageShell } from '../../workloads/podShell';
import { throwIfCancelled } from '../../core/clock';
import type { KubeObject } from '../../api/types';
import type { PodRuntime } from '../../network/fabric';
import { chooseContainer, client, containerNames, err, pickPod, type Kctx, type KubectlCommand } from './common';

const FLAGS = flagSet(["-c, --container=''", '-f, --filename=[]', '--pod-running-timeout=1m0s', '-q, --quiet=false', '-i, --stdin=false', '-t, --tty=false']);

async function run(k: Kctx): Promise<number> {
  const { ctx, flags } = k;
  const before = flags.positional;
  const cmd = flags.dashArgs;
  if (!before[0]) return err(ctx, 'error: pod, type/name or --filename must be specified');
  // exec.go: "exec POD COMMAND" without "--" is gone since 1.31
  if (flags.argsLenAtDash < 0 && before.length > 1)
    return err(ctx, "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
  if (cmd.length === 0) return err(ctx, 'error: you must specify at least one command for the container');
  const pod = pickPod(k, before[0]);
  if (!pod) return 1;
  const container = chooseContainer(k, pod, flags.string('container'), flags.bool('quiet'));
  if (!container) return 1;
  const { main } = containerNames(pod);
  if (!main.includes(container)) return err(ctx, `error: unable to upgrade connection: container not found ("${container}")`);
  const st = isRecord(pod.status) ? pod.status : {};
  const cs = (Array.isArray(st.containerStatuses) ? st.containerStatuses : []).filter(isRecord).find((x) => x.name === container);
  if (!cs || !isRecord(cs.state) || !cs.state.running) return err(ctx, `error: unable to upgrade connection: container not found ("${container}")`);
  const rt = ctx.cluster.network.podByName(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  if (!rt) return err(ctx, 'error: unable to upgrade connection: pod not running');
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const image = (Array.isArray(spec.containers) ? spec.containers : []).filter(isRecord).find((c) => c.name === container)?.image;
  const sh = imageShell(typeof image === 'string' ? image : '');
  // an interactive shell in the container, holding this terminal until it exits
  if (flags.bool('stdin') && flags.bool('tty') && cmd.length === 1 && ctx.attachTty && hasShell(sh, cmd[0]) !== undefined) {
    if (!sh || !hasShell(sh, cmd[0])) return notInPath(ctx, cmd[0]);
    return attachShell(k, pod, rt, container, sh, cmd[0]);
  }
  // a program the image does not have (`-- sh -c …` in a distroless container, `-- jq` in curlimages/curl)
  // fails as the container runtime's exec does
  if (!containerPrograms(typeof image === 'string' ? image : '').includes(programName(cmd[0]))) return notInPath(ctx, cmd[0]);
  const stdin = flags.bool('stdin') ? ctx.stdin : '';
  const r = sh ? await runInContainer(k, pod, rt, container, sh, cmd, stdin, flags.bool('tty')) : await ctx.runSubcommand(cmd, { origin: { kind: 'pod', pod: rt, container }, stdin });
  if (r.code === 127 && r.stdout === '' && r.stderr === '') return notInPath(ctx, cmd[0]);
  ctx.out(r.stdout);
  ctx.err(r.stderr);
  if (r.code !== 0) ctx.err(`command terminated with exit code ${r.code}\n`);
  return r.code;
}

export const execCommand: KubectlCommand = {
  name: 'exec',
  short: 'Execute a command in a container.',
  usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
  flags: FLAGS,
  run,
};

/** What the container runtime answers when the program is not in the image (kubectl prints it as the apiserver's error). */
function notInPath(ctx: Kctx['ctx'], program: string): number {
  ctx.err(
    `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown\n`,
  );
  return 1;
}

/**
 * `kubectl exec -it POD -- sh`: the container's shell takes the terminal. It runs as the pod
 * (requests go out through its sidecar), in the container's files (the kubelet's /etc/hosts,
 * /etc/resolv.conf, /etc/hostname) and environment (HOSTNAME, the container's env, the
 * Kubernetes service variables, TERM=xterm as a tty gets), with the image's programs only.
 * `exit` gives the terminal back; a non-zero status is told as kubectl tells it.
 */
function attachShell(k: Kctx, pod: KubeObject, rt: PodRuntime, container: string, sh: ImageShell, program: string): number {
  const { ctx } = k;
  const shell = containerShell(k, pod, rt, container, sh, program, true);
  ctx.attachTty?.({
    shell,
    prompt: () => shellPrompt(sh, program, pod.metadata.name ?? '', shell.cwd),
    exit: (code, e) => {
      // kubectl exec: a non-zero exit of the remote command is reported and returned
      if (code !== 0) e(`command terminated with exit code ${code}\n`);
      return code;
    },
  });
  return 0;
}

/**
 * A shell in the container: its image's programs only, its files (the kubelet's /etc/hosts,
 * /etc/resolv.conf, /etc/hostname; made anew for each exec) and its environment (PATH, HOSTNAME,
 * the Kubernetes service variables, the container's env, HOME; TERM=xterm when a tty was asked for).
 */
function containerShell(k: Kctx, pod: KubeObject, rt: PodRuntime, container: string, sh: ImageShell, program: string, tty: boolean): Shell {
  const { ctx } = k;
  const ns = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name ?? '';
  const all = ctx.nestedShell({ kind: 'pod', pod: rt, container }).commands;
  const commands = new Map<string, CommandSpec>();
  const spec0 = (isRecord(pod.spec) && Array.isArray(pod.spec.containers) ? pod.spec.containers : []).filter(isRecord).find((c) => c.name === container);
  const image = spec0?.image;
  // the kubelet sets no_new_privs unless the container allows privilege escalation
  const noNewPrivs = !(isRecord(spec0?.securityContext) && spec0.securityContext.allowPrivilegeEscalation === true);
  for (const n of containerPrograms(typeof image === 'string' ? image : '')) {
    const curl = all.get('curl');
    const spec = n === 'hostname' ? hostnameCommand(name) : n === 'wget' && curl ? wgetCommand(curl) : n === 'sudo' ? sudoCommand(noNewPrivs) : n === 'tcpdump' ? tcpdumpCommand() : all.get(n);
    if (spec) commands.set(n, n === 'sh' || n === 'bash' ? speaksAs(spec, notFoundMessage(sh, n)) : spec);
  }
  const fs = podFs({ namespace: ns, podName: name, podIp: rt.ip, shell: sh, now: () => ctx.cluster.clock.now() });
  const shell = new Shell(fs, ctx.cluster, commands, {}, { kind: 'pod', pod: rt, container });
  shell.vars.clear();
  const c = client(k);
  const services = [...listServices(c, ns), ...listServices(c, 'default').filter((s) => s.metadata.name === 'kubernetes')];
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: name,
    ...(tty ? { TERM: 'xterm' } : {}),
    ...serviceEnv(services),
    ...(rt.containers.find((x) => x.name === container)?.env ?? {}),
    HOME: sh.home,
    SHLVL: '1',
  };
  for (const [key, value] of Object.entries(env)) shell.vars.set(key, { value, exported: true });
  shell.cwd = sh.workdir;
  shell.notFound = notFoundMessage(sh, program);
  shell.analyzer = undefined;
  return shell;
}

/** `kubectl exec POD -- PROGRAM ARGS…`: the program runs in the container's shell environment; Ctrl-C reaches it. */
async function runInContainer(k: Kctx, pod: KubeObject, rt: PodRuntime, container: string, sh: ImageShell, argv: string[], stdin: string, tty: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const shell = containerShell(k, pod, rt, container, sh, argv[0], tty);
  const stop = k.ctx.token.onCancel(() => shell.interrupt());
  try {
    // the argv is passed as words, not re-parsed: each one single-quoted
    const line = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = await shell.capture(line, stdin);
    throwIfCancelled(k.ctx.token);
    return r;
  } finally {
    stop();
  }
}

/** The image's sh or bash: the shell it starts reports a missing command in its own words. */
function speaksAs(spec: CommandSpec, notFound: (name: string) => string): CommandSpec {
  return {
    ...spec,
    run: (c) =>
      spec.run({
        ...c,
        nestedShell: (origin) => {
          const sub = c.nestedShell(origin);
          sub.notFound = notFound;
          return sub;
        },
      }),
  };
}

const programName = (p: string): string => p.replace(/^.*\//, '');

function listServices(c: ReturnType<typeof client>, ns: string): KubeObject[] {
  const l = c.list(c.kind('Service'), ns);
  return l.ok ? l.value : [];
}

function hostnameCommand(podName: string): CommandSpec {
  return {
    name: 'hostname',
    summary: 'print the host name (the pod name)',
    run: async (ctx) => {
      ctx.out(`${podName}\n`);
      return 0;
    },
  };
}
