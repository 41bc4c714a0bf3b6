/**
 * kubectl: a client of the sandbox's apiserver (never a side door into the store), built as
 * kubectl itself is (kubectl/pkg/cmd/cmd.go): a root command with the global flags and one
 * module per verb, each owning its flags (pflag parsing, kubectl's error words) and its help.
 */
import { FlagError, flagSet, parseFlags, type FlagDef } from '../args';
import type { CommandSpec } from '../types';
import { annotateCommand, labelCommand } from './label';
import { applyCommand } from './apply';
import { configCommand } from './config';
import { createCommand } from './create';
import { deleteCommand } from './delete';
import { describeCommand } from './describe';
import { editCommand } from './edit';
import { execCommand } from './exec';
import { getCommand } from './get';
import { CONTEXT, currentNamespace, KUBECONFIG, setNamespace } from './kubeconfig';
import { logsCommand } from './logs';
import { apiResourcesCommand, clusterInfoCommand, topCommand, versionCommand } from './misc';
import { patchCommand } from './patch';
import { portForwardCommand } from './portForward';
import { exposeCommand } from './expose';
import { rolloutCommand } from './rollout';
import { runCommand } from './run';
import { scaleCommand } from './scale';
import { explainCommand } from './explain';
import { setCommand } from './set';
import { waitCommand } from './wait';
import { err, type Kctx, type KubectlCommand } from './common';

/** `kubectl options`: the flags every command takes. */
export const GLOBAL_FLAGS: FlagDef[] = flagSet([
  "--as=''",
  '--as-group=[]',
  "--as-uid=''",
  '--as-user-extra=[]',
  "--cache-dir='/root/.kube/cache'",
  "--certificate-authority=''",
  "--client-certificate=''",
  "--client-key=''",
  "--cluster=''",
  "--context=''",
  '--disable-compression=false',
  '--insecure-skip-tls-verify=false',
  "--kubeconfig=''",
  "--kuberc=''",
  '--log-flush-frequency=5s',
  '--match-server-version=false',
  "-n, --namespace=''",
  "--password=''",
  "--profile='none'",
  "--profile-output='profile.pprof'",
  "--request-timeout='0'",
  "-s, --server=''",
  "--tls-server-name=''",
  "--token=''",
  "--user=''",
  "--username=''",
  '-v, --v=0',
  "--vmodule=''",
  '--warnings-as-errors=false',
  '-h, --help=false',
]);

const COMMANDS: KubectlCommand[] = [
  createCommand,
  exposeCommand,
  runCommand,
  setCommand,
  explainCommand,
  getCommand,
  editCommand,
  deleteCommand,
  rolloutCommand,
  scaleCommand,
  clusterInfoCommand,
  topCommand,
  describeCommand,
  logsCommand,
  execCommand,
  portForwardCommand,
  applyCommand,
  patchCommand,
  waitCommand,
  labelCommand,
  annotateCommand,
  apiResourcesCommand,
  configCommand,
  versionCommand,
];

/** Every command of the real kubectl, in the order cmd.go registers them (for "Did you mean this?"). */
const KUBECTL_COMMANDS = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale', 'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint',
  'describe', 'logs', 'attach', 'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize', 'label', 'annotate',
  'completion', 'alpha', 'api-resources', 'api-versions', 'config', 'plugin', 'version', 'options',
];

const ROOT_HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller

Cluster Management Commands:
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  wait            Wait for a specific condition on one or many resources

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

function helpOf(cmd: KubectlCommand, path: string): string {
  const subs = cmd.subcommands?.length
    ? `Available Commands:\n${cmd.subcommands.map((s) => `  ${s.name.padEnd(13)} ${s.short.replace(/\.$/, '')}`).join('\n')}\n\n`
    : '';
  const more = cmd.subcommands?.length ? `Use "${path} <command> --help" for more information about a given command.\n` : '';
  return `${cmd.short}\n\n${subs}Usage:\n  ${cmd.usage}\n\n${more}Use "kubectl options" for a list of global command-line options (applies to all commands).\n`;
}

/** Levenshtein distance (cobra's SuggestionsFor with SuggestionsMinimumDistance 2). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
  return d[a.length][b.length];
}

function suggestions(name: string): string[] {
  return KUBECTL_COMMANDS.filter((c) => distance(name, c) <= 2 || c.startsWith(name.toLowerCase()));
}

/**
 * cobra's stripFlags: the arguments that are not flags, skipping the value of a flag that takes
 * one (an unknown `--flag` without "=" is assumed to take the next argument).
 */
function firstNonFlag(args: string[], defs: FlagDef[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return -1;
    if (a.startsWith('--')) {
      if (a.includes('=')) continue;
      const d = defs.find((x) => x.name === a.slice(2));
      if (!d || d.noOptDefVal === undefined) i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (a.length === 2) {
        const d = defs.find((x) => x.shorthand === a[1]);
        if (!d || d.noOptDefVal === undefined) i++;
      }
      continue;
    }
    return i;
  }
  return -1;
}

/** The flags of a command with the global ones it does not shadow. */
function flagsOf(cmd: KubectlCommand): FlagDef[] {
  return [...cmd.flags, ...GLOBAL_FLAGS.filter((g) => !cmd.flags.some((f) => f.name === g.name || (g.shorthand && f.shorthand === g.shorthand)))];
}

export const kubectl: CommandSpec = {
  name: 'kubectl',
  summary: 'talk to the cluster: apply, get, describe, logs, exec, delete, …',
  async run(ctx) {
    let args = ctx.argv.slice(1);
    // cobra's Find: walk down the command tree by the first argument that is not a flag
    const root: KubectlCommand = { name: 'kubectl', short: '', usage: 'kubectl [flags] [options]', flags: [], subcommands: COMMANDS };
    let cmd = root;
    let path = 'kubectl';
    for (;;) {
      if (!cmd.subcommands) break;
      const i = firstNonFlag(args, flagsOf(cmd));
      if (i < 0) break;
      const name = args[i];
      const next = cmd.subcommands.find((s) => s.name === name || s.aliases?.includes(name));
      if (!next) {
        if (cmd === root) {
          if (KUBECTL_COMMANDS.includes(name)) return err(ctx, `error: «kubectl ${name}» в песочнице недоступна`);
          if (args[0].startsWith('-') && i > 0) return err(ctx, `Error: flags cannot be placed before plugin name: ${args[0]}`);
          const sugg = suggestions(name);
          return err(ctx, `error: unknown command "${name}" for "kubectl"${sugg.length ? `\n\nDid you mean this?\n${sugg.map((s) => `\t${s}`).join('\n')}` : ''}`);
        }
        if (!cmd.run) {
          // cmdutil.DefaultSubCommandRun → RequireNoArguments
          return err(ctx, `error: unknown command "${name}"\nSee '${path} -h' for help and examples`);
        }
        break;
      }
      cmd = next;
      path = `${path} ${next.name}`;
      args = [...args.slice(0, i), ...args.slice(i + 1)];
    }
    let flags;
    try {
      flags = parseFlags(args, flagsOf(cmd));
    } catch (e) {
      if (e instanceof FlagError) return err(ctx, `error: ${e.message}\nSee '${path} --help' for usage.`);
      throw e;
    }
    if (cmd === root) {
      ctx.out(ROOT_HELP);
      return 0;
    }
    if (flags.bool('help')) {
      ctx.out(helpOf(cmd, path));
      return 0;
    }
    if (!cmd.run) {
      // DefaultSubCommandRun: the help, then exit 1
      ctx.out(helpOf(cmd, path));
      return 1;
    }
    // cobra's ValidateRequiredFlags (MarkFlagRequired)
    const missing = (cmd.required ?? []).filter((f) => !flags.changed(f));
    if (missing.length) return err(ctx, `error: required flag(s) ${missing.map((f) => `"${f}"`).join(', ')} not set`);
    if (!ctx.fs.exists(KUBECONFIG)) setNamespace(ctx.fs, 'default');
    // client-go's clientcmd: one context in the sandbox's kubeconfig, and the file must exist
    const kubeconfig = flags.string('kubeconfig');
    if (kubeconfig && !ctx.fs.exists(ctx.fs.resolve(ctx.cwd, kubeconfig))) return err(ctx, `error: stat ${kubeconfig}: no such file or directory`);
    if (flags.string('context') && flags.string('context') !== CONTEXT) return err(ctx, `Error in configuration: context was not found for specified context: ${flags.string('context')}`);
    const explicitNs = flags.changed('namespace') ? flags.string('namespace') : undefined;
    const k: Kctx = {
      ctx,
      flags,
      path,
      ns: explicitNs || currentNamespace(ctx.fs),
      explicitNs: explicitNs || undefined,
      allNs: cmd.flags.some((f) => f.name === 'all-namespaces') && flags.bool('all-namespaces'),
    };
    return cmd.run(k, flags.positional);
  },
};
