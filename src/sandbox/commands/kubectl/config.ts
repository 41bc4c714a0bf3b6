/** kubectl config (kubectl/pkg/cmd/config): set-context, current-context, view, get-contexts, use-context. */
import { flagSet } from '../args';
import { err, type KubectlCommand } from './common';
import { CONTEXT, currentNamespace, defaultKubeconfig, KUBECONFIG, setNamespace } from './kubeconfig';
import { renderTable } from './printers';

const setContext: KubectlCommand = {
  name: 'set-context',
  short: 'Set a context entry in kubeconfig.',
  usage: 'kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]',
  flags: flagSet(["--cluster=''", '--current=false', "-n, --namespace=''", "--user=''"]),
  async run(k, args) {
    const name = args[0];
    if (!name && !k.flags.bool('current')) return err(k.ctx, "error: you must specify a non-empty context name or --current\nSee 'kubectl config set-context -h' for help and examples");
    if (name && name !== CONTEXT) return err(k.ctx, `error: the sandbox has one context, "${CONTEXT}"`);
    // the root's -n and set-context's own --namespace are the same flag name: both land here
    if (k.flags.changed('namespace') || k.explicitNs !== undefined) setNamespace(k.ctx.fs, k.flags.changed('namespace') ? k.flags.string('namespace') : k.explicitNs ?? '');
    k.ctx.out(`Context "${CONTEXT}" modified.\n`);
    return 0;
  },
};

const currentContext: KubectlCommand = {
  name: 'current-context',
  short: 'Display the current-context.',
  usage: 'kubectl config current-context [options]',
  flags: [],
  async run(k) {
    k.ctx.out(`${CONTEXT}\n`);
    return 0;
  },
};

const view: KubectlCommand = {
  name: 'view',
  short: 'Display merged kubeconfig settings or a specified kubeconfig file.',
  usage: 'kubectl config view [flags] [options]',
  flags: flagSet(['--allow-missing-template-keys=true', '--flatten=false', '--merge=true', '--minify=false', "-o, --output='yaml'", '--raw=false', '--show-managed-fields=false', "--template=''"]),
  async run(k) {
    const ns = currentNamespace(k.ctx.fs);
    k.ctx.out(k.flags.bool('minify') ? defaultKubeconfig(ns === 'default' ? undefined : ns) : k.ctx.fs.readFile(KUBECONFIG));
    return 0;
  },
};

const getContexts: KubectlCommand = {
  name: 'get-contexts',
  short: 'Describe one or many contexts.',
  usage: 'kubectl config get-contexts [(-o|--output=)name)] [options]',
  flags: flagSet(['--no-headers=false', "-o, --output=''"]),
  async run(k) {
    const ns = currentNamespace(k.ctx.fs);
    if (k.flags.string('output') === 'name') k.ctx.out(`${CONTEXT}\n`);
    else k.ctx.out(renderTable({ headers: ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], rows: [['*', CONTEXT, CONTEXT, CONTEXT, ns === 'default' ? '' : ns]] }, { noHeaders: k.flags.bool('no-headers') }));
    return 0;
  },
};

const useContext: KubectlCommand = {
  name: 'use-context',
  aliases: ['use'],
  short: 'Set the current-context in a kubeconfig file.',
  usage: 'kubectl config use-context CONTEXT_NAME [options]',
  flags: [],
  async run(k, args) {
    if (args[0] !== CONTEXT) return err(k.ctx, `error: no context exists with the name: "${args[0] ?? ''}"`);
    k.ctx.out(`Switched to context "${CONTEXT}".\n`);
    return 0;
  },
};

export const configCommand: KubectlCommand = {
  name: 'config',
  short: 'Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".',
  usage: 'kubectl config SUBCOMMAND [options]',
  flags: [],
  subcommands: [currentContext, getContexts, setContext, useContext, view],
};
