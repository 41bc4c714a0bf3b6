/** kubectl exec (kubectl/pkg/cmd/exec): POD | TYPE/NAME [-c CONTAINER] [-i] [-t] -- COMMAND [args...]. */
import { isRecord, type KubeObject } from '../../api/types';
import { flagSet } from '../args';
import type { Shell } from '../../shell/interpreter';
import { hasShell, imageShell } from '../../workloads/podShell';
import { argvLine, containerImage, containerPrompt, containerShell, notInPathMessage, startsIn } from '../../workloads/containerShell';
import { throwIfCancelled } from '../../core/clock';
import { chooseContainer, containerNames, err, pickPod, type Kctx, type KubectlCommand } from './common';
import { containerStatus } from '../../controllers/kubelet';

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
  const { main, init } = containerNames(pod);
  if (!main.includes(container) && !init.includes(container)) return err(ctx, `error: unable to upgrade connection: container not found ("${container}")`);
  // a running container: one of the pod's containers, or a native sidecar among its init containers
  const cs = containerStatus(pod.status, container);
  if (!cs || !isRecord(cs.state) || !cs.state.running) return err(ctx, `error: unable to upgrade connection: container not found ("${container}")`);
  const rt = ctx.cluster.network.podByName(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  if (!rt) return err(ctx, 'error: unable to upgrade connection: pod not running');
  const sh = imageShell(containerImage(pod, container));
  const tty = flags.bool('tty');
  const shell = containerShell({ cluster: ctx.cluster, commands: ctx.nestedShell(ctx.origin).commands, pod, runtime: rt, container, program: cmd[0], tty });
  // an interactive shell in the container, holding this terminal until it exits
  if (flags.bool('stdin') && tty && cmd.length === 1 && ctx.attachTty && hasShell(sh, cmd[0]) !== undefined) {
    if (!startsIn(shell, cmd[0])) return notInPath(ctx, cmd[0]);
    return attachShell(k, pod, shell, container, cmd[0]);
  }
  // a program the image does not have (`-- sh -c …` in a distroless container, `-- jq` in curlimages/curl)
  // fails as the container runtime's exec does
  if (!startsIn(shell, cmd[0])) return notInPath(ctx, cmd[0]);
  const stdin = flags.bool('stdin') ? ctx.stdin : '';
  const r = await runInContainer(k, shell, cmd, stdin);
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
  ctx.err(`error: ${notInPathMessage(program)}\n`);
  return 1;
}

/**
 * `kubectl exec -it POD -- sh`: the container's shell takes the terminal. It runs as the pod
 * (requests go out through its sidecar), in the container's files and environment
 * (workloads/containerShell.ts), with the image's prompt. `exit` gives the terminal back;
 * a non-zero status is told as kubectl tells it.
 */
function attachShell(k: Kctx, pod: KubeObject, shell: Shell, container: string, program: string): number {
  k.ctx.attachTty?.({
    shell,
    prompt: () => containerPrompt(pod, container, program, shell),
    exit: (code, e) => {
      // kubectl exec: a non-zero exit of the remote command is reported and returned
      if (code !== 0) e(`command terminated with exit code ${code}\n`);
      return code;
    },
  });
  return 0;
}

/** `kubectl exec POD -- PROGRAM ARGS…`: the program runs in the container's shell environment; Ctrl-C reaches it. */
async function runInContainer(k: Kctx, shell: Shell, argv: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stop = k.ctx.token.onCancel(() => shell.interrupt());
  try {
    const r = await shell.capture(argvLine(argv), stdin);
    throwIfCancelled(k.ctx.token);
    return r;
  } finally {
    stop();
  }
}
