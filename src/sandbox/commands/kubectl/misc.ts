/** kubectl api-resources, version, cluster-info and top (kubectl/pkg/cmd/apiresources, version, clusterinfo, top). */
import { apiResources, KINDS } from '../../api/kinds';
import { isRecord } from '../../api/types';
import { flagSet } from '../args';
import { client, err, type KubectlCommand } from './common';
import { SERVER } from './kubeconfig';
import { renderTable } from './printers';

/** The real kubectl this sandbox imitates (the v1.35.2 binary prints these): src/istio/version.ts. */
export { KUBERNETES_VERSION as KUBECTL_VERSION, KUSTOMIZE_VERSION } from '../../../istio/version';
import { KUBERNETES_VERSION as KUBECTL_VERSION, KUSTOMIZE_VERSION } from '../../../istio/version';

export const apiResourcesCommand: KubectlCommand = {
  name: 'api-resources',
  short: 'Print the supported API resources on the server.',
  usage: 'kubectl api-resources [flags] [options]',
  flags: flagSet(["--api-group=''", '--cached=false', '--categories=[]', '--namespaced=true', '--no-headers=false', "-o, --output=''", '--show-managed-fields=false', "--sort-by=''", '--verbs=[]']),
  async run(k) {
    const { flags } = k;
    // in kubectl's order: grouped by API group, core first (src/sandbox/api/kinds.ts apiResources)
    const order = apiResources().map((r) => r.kind);
    let kinds = [...KINDS].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    if (flags.changed('namespaced')) kinds = kinds.filter((r) => r.namespaced === flags.bool('namespaced'));
    if (flags.changed('api-group')) kinds = kinds.filter((r) => r.group === flags.string('api-group'));
    const output = flags.string('output');
    if (output === 'name') {
      for (const r of kinds) k.ctx.out(`${r.plural}${r.group ? `.${r.group}` : ''}\n`);
      return 0;
    }
    if (output !== '' && output !== 'wide') return err(k.ctx, `error: --output ${output} is not available`);
    const rows = kinds.map((r) => [r.plural, r.shortNames.join(','), r.group ? `${r.group}/${r.versions[0]}` : r.versions[0], String(r.namespaced), r.kind]);
    k.ctx.out(renderTable({ headers: ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], rows }, { noHeaders: flags.bool('no-headers') }));
    return 0;
  },
};

/** The server's version: the node's kubelet (a kind node runs the same release as its control plane). */
function serverVersion(k: Parameters<NonNullable<KubectlCommand['run']>>[0]): string {
  const nodes = client(k).list(client(k).kind('Node'));
  const n = nodes.ok ? nodes.value[0] : undefined;
  const info = n && isRecord(n.status) && isRecord(n.status.nodeInfo) ? n.status.nodeInfo : {};
  return String(info.kubeletVersion ?? KUBECTL_VERSION);
}

export const versionCommand: KubectlCommand = {
  name: 'version',
  short: 'Print the client and server version information for the current context.',
  usage: 'kubectl version [flags] [options]',
  flags: flagSet(['--client=false', "-o, --output=''"]),
  async run(k) {
    const client = `Client Version: ${KUBECTL_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`;
    if (k.flags.bool('client')) {
      k.ctx.out(client);
      return 0;
    }
    const server = serverVersion(k);
    k.ctx.out(`${client}Server Version: ${server}\n`);
    // version.go: a warning when the minor versions are more than one apart
    const minor = (v: string): number => Number(v.split('.')[1]);
    if (Math.abs(minor(KUBECTL_VERSION) - minor(server)) > 1)
      k.ctx.err(`WARNING: version difference between client (${KUBECTL_VERSION.slice(1).split('.').slice(0, 2).join('.')}) and server (${server.slice(1).split('.').slice(0, 2).join('.')}) exceeds the supported minor version skew of +/-1\n`);
    return 0;
  },
};

export const clusterInfoCommand: KubectlCommand = {
  name: 'cluster-info',
  short: 'Display addresses of the control plane and services with label kubernetes.io/cluster-service=true.',
  usage: 'kubectl cluster-info [flags] [options]',
  flags: [],
  async run(k) {
    k.ctx.out(
      `Kubernetes control plane is running at ${SERVER}\nCoreDNS is running at ${SERVER}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    );
    return 0;
  },
};

/** top_pod.go / top_node.go: without metrics-server the metrics.k8s.io API is not served. */
const metricsUnavailable = async (k: Parameters<NonNullable<KubectlCommand['run']>>[0]): Promise<number> => err(k.ctx, 'error: Metrics API not available');

export const topCommand: KubectlCommand = {
  name: 'top',
  short: 'Display resource (CPU/memory) usage.',
  usage: 'kubectl top [flags] [options]',
  flags: [],
  subcommands: [
    {
      name: 'pod',
      aliases: ['pods', 'po'],
      short: 'Display resource (CPU/memory) usage of pods.',
      usage: 'kubectl top pod [NAME | -l label] [options]',
      flags: flagSet(['-A, --all-namespaces=false', '--containers=false', "--field-selector=''", '--no-headers=false', "-l, --selector=''", '--show-swap=false', "--sort-by=''", '--sum=false', '--use-protocol-buffers=true']),
      run: metricsUnavailable,
    },
    {
      name: 'node',
      aliases: ['nodes', 'no'],
      short: 'Display resource (CPU/memory) usage of nodes.',
      usage: 'kubectl top node [NAME | -l label] [options]',
      flags: flagSet(['--no-headers=false', "-l, --selector=''", '--show-capacity=false', '--show-swap=false', "--sort-by=''", '--use-protocol-buffers=true']),
      run: metricsUnavailable,
    },
  ],
};
