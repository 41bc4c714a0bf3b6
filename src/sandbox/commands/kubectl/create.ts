/**
 * kubectl create (kubectl/pkg/cmd/create): -f FILE, and the generators `create namespace`,
 * `create deployment`, `create configmap`, `create quota`, `create serviceaccount`,
 * `create secret generic|tls` with their own flags.
 */
import type { KubeObject } from '../../api/types';
import { flagSet } from '../args';
import { applyFiles, formatServerError } from './apply';
import { formatQuantity, parseQuantity } from '../../api/quota';
import { client, dryRunStrategy, err, printObject, usageError, type Kctx, type KubectlCommand } from './common';

const OUTPUT_FLAGS = ['--allow-missing-template-keys=true', "--dry-run='none'", "--field-manager='kubectl-create'", "-o, --output=''", '--save-config=false', '--show-managed-fields=false', "--template=''", "--validate='strict'"];
const NO_OPT = { 'dry-run': 'unchanged', validate: 'strict' };

/**
 * Creates what a generator built, in the Go struct's field order (printed as is by -o json with
 * --dry-run=client, which sends no request); the namespace is set only with -n
 * (EnforceNamespace), the server fills it in otherwise.
 */
export function createGenerated(k: Kctx, obj: KubeObject, operation = 'created', wraps?: string): number {
  const dry = dryRunStrategy(k);
  if (typeof dry !== 'string') return err(k.ctx, dry.error);
  const r = client(k).kind(obj.kind);
  if (r.namespaced && k.explicitNs) obj.metadata = { name: obj.metadata.name, namespace: k.explicitNs, ...obj.metadata };
  if (dry === 'client') return printObject(k, r, obj, operation, dry, true);
  if (r.namespaced) obj.metadata.namespace = k.ns;
  const res = client(k).create(r, obj, { dryRun: dry === 'server' });
  // the generators written on the typed client wrap the server's refusal in their own words
  // (create_quota.go: "failed to create quota: %v"); the others print it as kubectl's error handler does
  if (!res.ok) return err(k.ctx, wraps ? `error: failed to create ${wraps}: ${res.status.message}` : formatServerError(res.status, 'creating'));
  return printObject(k, r, res.value, operation, dry);
}

/** "exactly one NAME is required, got N" (cmdutil.NameFromCommandArgs). */
function oneName(k: Kctx, args: string[]): string | undefined {
  if (args.length !== 1) {
    usageError(k, `exactly one NAME is required, got ${args.length}`);
    return undefined;
  }
  return args[0];
}

const namespace: KubectlCommand = {
  name: 'namespace',
  aliases: ['ns'],
  short: 'Create a namespace with the specified name.',
  usage: 'kubectl create namespace NAME [--dry-run=server|client|none] [options]',
  flags: flagSet(OUTPUT_FLAGS, NO_OPT),
  async run(k, args) {
    const name = oneName(k, args);
    if (name === undefined) return 1;
    // create_namespace.go: the typed object, printed with spec/status as the Go struct has them
    return createGenerated(k, { kind: 'Namespace', apiVersion: 'v1', metadata: { name }, spec: {}, status: {} });
  },
};

const deployment: KubectlCommand = {
  name: 'deployment',
  aliases: ['deploy'],
  short: 'Create a deployment with the specified name.',
  usage: 'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  flags: flagSet([...OUTPUT_FLAGS, '--image=[]', '--port=-1', '-r, --replicas=1'], NO_OPT),
  required: ['image'],
  async run(k, args) {
    const { flags } = k;
    const images = flags.array('image');
    if (images.length === 0) return err(k.ctx, 'error: required flag(s) "image" not set');
    const positional = flags.positional;
    const name = oneName(k, positional.length ? positional : args);
    if (name === undefined) return 1;
    if (images.length > 1 && flags.dashArgs.length) return err(k.ctx, 'error: cannot specify multiple --image options and command');
    const labels = { app: name };
    // create_deployment.go buildPodSpec: the container name from the image's last path element, without tag or digest
    const containers = images.map((image) => {
      // the Go struct's order: name, image, command, ports, resources
      const c: Record<string, unknown> = { name: image.split('/').pop()!.split(':')[0].split('@')[0], image };
      if (flags.dashArgs.length) c.command = flags.dashArgs;
      if (flags.int('port') >= 0) c.ports = [{ containerPort: flags.int('port') }];
      c.resources = {};
      return c;
    });
    const obj: KubeObject = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name, labels },
      spec: { replicas: flags.int('replicas'), selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } }, strategy: {} },
      status: {},
    };
    return createGenerated(k, obj);
  },
};

function readFile(k: Kctx, f: string): string | undefined {
  try {
    return k.ctx.fs.readFile(k.ctx.fs.resolve(k.ctx.cwd, f));
  } catch {
    err(k.ctx, `error: open ${f}: no such file or directory`);
    return undefined;
  }
}

/**
 * A --from-file source of configmap/secret generic: os.Stat's failure is "error reading PATH: <reason>"
 * (kubectl/pkg/cmd/create/create_configmap.go handleConfigMapFromFileSources, create_secret.go likewise).
 */
function readSource(k: Kctx, f: string): string | undefined {
  try {
    return k.ctx.fs.readFile(k.ctx.fs.resolve(k.ctx.cwd, f));
  } catch {
    err(k.ctx, `error: error reading ${f}: no such file or directory`);
    return undefined;
  }
}

const secretGeneric: KubectlCommand = {
  name: 'generic',
  short: 'Create a secret from a local file, directory, or literal value.',
  usage: 'kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  flags: flagSet([...OUTPUT_FLAGS, '--append-hash=false', '--from-env-file=[]', '--from-file=[]', '--from-literal=[]', "--type=''"], NO_OPT),
  async run(k, args) {
    const name = oneName(k, args);
    if (name === undefined) return 1;
    const data: Record<string, string> = {};
    for (const lit of k.flags.array('from-literal')) {
      const i = lit.indexOf('=');
      if (i <= 0) return err(k.ctx, `error: invalid literal source ${lit}, expected key=value`);
      data[lit.slice(0, i)] = btoa(lit.slice(i + 1));
    }
    for (const spec of k.flags.array('from-file')) {
      const [key, path] = spec.includes('=') ? [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)] : [spec.split('/').pop()!, spec];
      const text = readSource(k, path);
      if (text === undefined) return 1;
      data[key] = btoa(text);
    }
    const obj: KubeObject = { kind: 'Secret', apiVersion: 'v1', metadata: { name }, data };
    if (k.flags.string('type')) obj.type = k.flags.string('type');
    return createGenerated(k, obj);
  },
};

const secretTls: KubectlCommand = {
  name: 'tls',
  short: 'Create a TLS secret from the given public/private key pair.',
  usage: 'kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]',
  flags: flagSet([...OUTPUT_FLAGS, '--append-hash=false', "--cert=''", "--key=''"], NO_OPT),
  async run(k, args) {
    const name = oneName(k, args);
    if (name === undefined) return 1;
    const certPath = k.flags.string('cert');
    const keyPath = k.flags.string('key');
    if (!certPath || !keyPath) return err(k.ctx, 'error: key and cert must be specified');
    const cert = readFile(k, certPath);
    if (cert === undefined) return 1;
    const key = readFile(k, keyPath);
    if (key === undefined) return 1;
    if (!cert.includes('BEGIN CERTIFICATE')) return err(k.ctx, 'error: failed to load key pair tls: failed to find any PEM data in certificate input');
    return createGenerated(k, { kind: 'Secret', apiVersion: 'v1', metadata: { name }, data: { 'tls.crt': btoa(cert), 'tls.key': btoa(key) }, type: 'kubernetes.io/tls' });
  },
};

/**
 * kubectl create configmap (kubectl/pkg/cmd/create/create_configmap.go): keys from --from-literal
 * key=value and --from-file [key=]path (the file's base name by default), as plain `data`.
 */
const configmap: KubectlCommand = {
  name: 'configmap',
  aliases: ['cm'],
  short: 'Create a config map from a local file, directory, or literal value.',
  usage: 'kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  flags: flagSet([...OUTPUT_FLAGS, '--append-hash=false', '--from-env-file=[]', '--from-file=[]', '--from-literal=[]'], NO_OPT),
  async run(k, args) {
    const name = oneName(k, args);
    if (name === undefined) return 1;
    const data: Record<string, string> = {};
    for (const lit of k.flags.array('from-literal')) {
      const i = lit.indexOf('=');
      if (i <= 0) return err(k.ctx, `error: invalid literal source ${lit}, expected key=value`);
      data[lit.slice(0, i)] = lit.slice(i + 1);
    }
    for (const spec of k.flags.array('from-file')) {
      const [key, path] = spec.includes('=') ? [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)] : [spec.split('/').pop()!, spec];
      const text = readSource(k, path);
      if (text === undefined) return 1;
      data[key] = text;
    }
    return createGenerated(k, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name }, data });
  },
};

/**
 * kubectl create serviceaccount (kubectl/pkg/cmd/create/create_serviceaccount.go): the bare
 * object; checked against the real kubectl 1.35 (`--dry-run=client -o yaml|json`).
 */
const serviceaccount: KubectlCommand = {
  name: 'serviceaccount',
  aliases: ['sa'],
  short: 'Create a service account with the specified name.',
  usage: 'kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]',
  flags: flagSet(OUTPUT_FLAGS, NO_OPT),
  async run(k, args) {
    const name = oneName(k, args);
    if (name === undefined) return 1;
    return createGenerated(k, { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name } }, 'created', 'serviceaccount');
  },
};

/** resource.ParseQuantity's two errors (k8s.io/apimachinery pkg/api/resource/quantity.go ErrFormatWrong, ErrSuffix). */
function quantityError(value: string): string | undefined {
  if (!/^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(value)) return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  if (parseQuantity(value) === undefined) return "unable to parse quantity's suffix";
  return undefined;
}

/**
 * kubectl create quota (kubectl/pkg/cmd/create/create_quota.go): --hard resource=quantity pairs
 * (populateResourceListV1; a Go map, so printed in key order, each quantity in its canonical
 * form) and --scopes, not checked against the known scopes (the apiserver does that).
 */
const quota: KubectlCommand = {
  name: 'quota',
  aliases: ['resourcequota'],
  short: 'Create a quota with the specified name.',
  usage: 'kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none] [options]',
  flags: flagSet([...OUTPUT_FLAGS, "--hard=''", "--scopes=''"], NO_OPT),
  async run(k, args) {
    const name = oneName(k, args);
    if (name === undefined) return 1;
    const spec: Record<string, unknown> = {};
    const hardFlag = k.flags.string('hard');
    if (hardFlag) {
      const hard: Record<string, string> = {};
      for (const statement of hardFlag.split(',')) {
        const parts = statement.split('=');
        if (parts.length !== 2) return err(k.ctx, `error: Invalid argument syntax ${statement}, expected <resource>=<value>`);
        const problem = quantityError(parts[1]);
        if (problem) return err(k.ctx, `error: ${problem}`);
        hard[parts[0]] = formatQuantity(parseQuantity(parts[1])!, parts[1]);
      }
      spec.hard = Object.fromEntries(Object.entries(hard).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    const scopesFlag = k.flags.string('scopes');
    if (scopesFlag) {
      const scopes = scopesFlag.split(',');
      if (scopes.includes('')) return err(k.ctx, 'error: invalid resource quota scope ""');
      spec.scopes = scopes;
    }
    return createGenerated(k, { kind: 'ResourceQuota', apiVersion: 'v1', metadata: { name }, spec, status: {} }, 'created', 'quota');
  },
};

const secret: KubectlCommand = {
  name: 'secret',
  short: 'Create a secret using a specified subcommand.',
  usage: 'kubectl create secret (docker-registry | generic | tls) [options]',
  flags: [],
  subcommands: [secretGeneric, secretTls],
};

const FLAGS = flagSet(
  [
    '--allow-missing-template-keys=true',
    "--dry-run='none'",
    '--edit=false',
    "--field-manager='kubectl-create'",
    '-f, --filename=[]',
    "-k, --kustomize=''",
    "-o, --output=''",
    "--raw=''",
    '-R, --recursive=false',
    '--save-config=false',
    "-l, --selector=''",
    '--show-managed-fields=false',
    "--template=''",
    "--validate='strict'",
    '--windows-line-endings=false',
  ],
  NO_OPT,
);

export const createCommand: KubectlCommand = {
  name: 'create',
  short: 'Create a resource from a file or from stdin.',
  usage: 'kubectl create -f FILENAME [options]',
  flags: FLAGS,
  subcommands: [configmap, deployment, namespace, quota, secret, serviceaccount],
  async run(k, args) {
    if (args.length) return usageError(k, `Unexpected args: [${args.join(' ')}]`);
    return applyFiles(k, 'create');
  },
};
