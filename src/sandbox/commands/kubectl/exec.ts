/** kubectl exec (kubectl/pkg/cmd/exec): POD | TYPE/NAME [-c CONTAINER] [-i] [-t] -- COMMAND [args...]. */
import { isRecord } from '../../api/types';
import { flagSet } from '../args';
import { chooseContainer, containerNames, err, pickPod, type Kctx, type KubectlCommand } from './common';

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
  const r = await ctx.runSubcommand(cmd, { origin: { kind: 'pod', pod: rt, container }, stdin: flags.bool('stdin') ? ctx.stdin : '' });
  if (r.code === 127) {
    ctx.err(
      `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd[0]}": executable file not found in $PATH: unknown\n`,
    );
    return 1;
  }
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
