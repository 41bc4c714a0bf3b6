/** kubectl run (kubectl/pkg/cmd/run): NAME --image=IMG [--labels] [--env] [--port] [--restart] [--command] [-- ARGS]: a bare Pod. */
import type { KubeObject } from '../../api/types';
import { flagSet } from '../args';
import { formatServerError } from './apply';
import { client, dryRunStrategy, err, printObject, type Kctx, type KubectlCommand } from './common';

const FLAGS = flagSet(
  [
    '--allow-missing-template-keys=true',
    '--annotations=[]',
    '--attach=false',
    "--cascade='background'",
    '--command=false',
    "--dry-run='none'",
    '--env=[]',
    '--expose=false',
    "--field-manager='kubectl-run'",
    '-f, --filename=[]',
    '--force=false',
    '--grace-period=-1',
    "--image=''",
    "--image-pull-policy=''",
    "-k, --kustomize=''",
    "-l, --labels=''",
    '--leave-stdin-open=false',
    "-o, --output=''",
    "--override-type='merge'",
    "--overrides=''",
    '--pod-running-timeout=1m0s',
    "--port=''",
    '--privileged=false',
    '-q, --quiet=false',
    '-R, --recursive=false',
    "--restart='Always'",
    '--rm=false',
    '--save-config=false',
    '--show-managed-fields=false',
    '-i, --stdin=false',
    "--template=''",
    '--timeout=0s',
    '-t, --tty=false',
    '--wait=false',
  ],
  { 'dry-run': 'unchanged', cascade: 'background' },
);

async function run(k: Kctx): Promise<number> {
  const { ctx, flags } = k;
  const [name] = flags.positional;
  const image = flags.string('image');
  if (!name) return err(ctx, "error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  if (!image) return err(ctx, 'error: --image is required');
  const dry = dryRunStrategy(k);
  if (typeof dry !== 'string') return err(ctx, dry.error);
  // run.go: --labels replaces the default run=NAME
  const labels: Record<string, string> = flags.string('labels') ? {} : { run: name };
  for (const l of flags.string('labels').split(',').filter(Boolean)) labels[l.split('=')[0]] = l.split('=')[1] ?? '';
  const env = flags.array('env').map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  const container: Record<string, unknown> = { name, image };
  const rest = flags.dashArgs.length ? flags.dashArgs : flags.positional.slice(1);
  if (rest.length) container[flags.bool('command') ? 'command' : 'args'] = rest;
  if (env.length) container.env = env;
  if (flags.string('port')) container.ports = [{ containerPort: Number(flags.string('port')) }];
  container.resources = {};
  const spec: Record<string, unknown> = { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: flags.string('restart') };
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { labels, name }, spec, status: {} };
  const r = client(k).kind('Pod');
  if (dry === 'client') return printObject(k, r, obj, 'created', dry);
  obj.metadata.namespace = k.ns;
  const res = client(k).create(r, obj, { dryRun: dry === 'server' });
  if (!res.ok) return err(ctx, formatServerError(res.status, 'creating'));
  const code = printObject(k, r, res.value, 'created', dry);
  if (flags.bool('stdin') || flags.bool('tty') || flags.bool('rm') || flags.bool('attach'))
    ctx.err('(песочница: kubectl run не подключается к контейнеру; когда под станет Running, используйте kubectl exec)\n');
  return code;
}

export const runCommand: KubectlCommand = {
  name: 'run',
  short: 'Create and run a particular image in a pod.',
  usage: 'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  flags: FLAGS,
  required: ['image'],
  run,
};
