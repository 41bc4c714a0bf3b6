/**
 * Tab completion: commands, kubectl/istioctl verbs and flags, resource kinds, object names
 * from the apiserver, namespaces, and files of the virtual file system.
 */
import type { ApiClient } from '../api/client';
import { KINDS, resolveResource } from '../api/kinds';
import { HOME, type Vfs } from './vfs';

export interface Completion {
  start: number;
  end: number;
  candidates: string[];
}

const KUBECTL_VERBS = ['annotate', 'api-resources', 'apply', 'cluster-info', 'config', 'create', 'delete', 'describe', 'exec', 'get', 'label', 'logs', 'port-forward', 'rollout', 'scale', 'set', 'version', 'wait'];
const ISTIOCTL_VERBS = ['analyze', 'install', 'proxy-config', 'proxy-status', 'version', 'x'];
const OUTPUTS = ['json', 'yaml', 'wide', 'name', 'jsonpath=', 'custom-columns='];
const KUBECTL_FLAGS = ['--namespace', '--all-namespaces', '--output', '--selector', '--filename', '--container', '--tail', '--replicas', '--overwrite', '--show-labels', '--dry-run=client', '--timeout'];

function words(line: string): { list: string[]; current: string; start: number } {
  const before = line;
  const m = before.match(/(\S*)$/);
  const current = m ? m[1] : '';
  const start = before.length - current.length;
  const list = before.slice(0, start).trim().split(/\s+/).filter(Boolean);
  return { list, current, start };
}

function files(fs: Vfs, cwd: string, prefix: string): string[] {
  const slash = prefix.lastIndexOf('/');
  const dirPart = slash >= 0 ? prefix.slice(0, slash + 1) : '';
  const base = slash >= 0 ? prefix.slice(slash + 1) : prefix;
  const abs = fs.resolve(cwd, dirPart || '.');
  if (!fs.isDir(abs)) return [];
  return fs
    .list(abs)
    .filter((n) => n.startsWith(base) && (base.startsWith('.') || !n.startsWith('.')))
    .map((n) => `${dirPart}${n}${fs.isDir(`${abs}/${n}`) ? '/' : ''}`);
}

export function complete(
  line: string,
  cursor: number,
  ctx: { commands: string[]; fs: Vfs; cwd: string; client: ApiClient; namespace: string },
): Completion {
  const upto = line.slice(0, cursor);
  // only the last command of a pipeline or list matters
  const seg = upto.split(/\|\||&&|[|;]/).pop() ?? '';
  const offset = upto.length - seg.length;
  const { list, current, start } = words(seg);
  const result = (cands: string[]): Completion => ({
    start: offset + start,
    end: cursor,
    candidates: [...new Set(cands.filter((c) => c.startsWith(current)))].sort(),
  });
  if (list.length === 0) return result(ctx.commands);
  const cmd = list[0];
  const prev = list[list.length - 1];
  const nsIdx = list.findIndex((w) => w === '-n' || w === '--namespace');
  const ns = nsIdx >= 0 ? list[nsIdx + 1] ?? ctx.namespace : (list.find((w) => w.startsWith('--namespace='))?.split('=')[1] ?? ctx.namespace);
  const namespaces = (): string[] => {
    const l = ctx.client.cached(ctx.client.kind('Namespace'));
    return l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
  };
  const names = (kind: string, namespace: string | undefined): string[] => {
    const r = resolveResource(kind);
    if (!r) return [];
    const l = ctx.client.cached(r, r.namespaced ? namespace : undefined);
    return l.ok ? l.value.map((o) => o.metadata.name ?? '') : [];
  };
  if (prev === '-n' || prev === '--namespace') return result(namespaces());
  if (prev === '-f' || prev === '--filename' || cmd === 'cat' || cmd === 'ls' || cmd === 'cd' || cmd === 'source' || cmd === 'sh' || cmd === 'bash') return result(files(ctx.fs, ctx.cwd, current.replace(/^~\//, `${HOME}/`)));
  if (cmd === 'kubectl') {
    const args = list.slice(1).filter((w, i, a) => !w.startsWith('-') && !(i > 0 && ['-n', '--namespace', '-o', '-l', '-c', '-f'].includes(a[i - 1])));
    if (prev === '-o' || prev === '--output') return result(OUTPUTS);
    if (current.startsWith('-')) return result(KUBECTL_FLAGS);
    if (args.length === 0) return result(KUBECTL_VERBS);
    const verb = args[0];
    if (['get', 'describe', 'delete', 'label', 'scale', 'wait'].includes(verb)) {
      if (args.length === 1) {
        if (current.includes('/')) {
          const [kind] = current.split('/');
          return result(names(kind, ns).map((n) => `${kind}/${n}`));
        }
        return result([...KINDS.flatMap((k) => [k.plural, ...k.shortNames]), 'all']);
      }
      return result(names(args[1], ns));
    }
    if (verb === 'logs' || verb === 'exec' || verb === 'port-forward') {
      if (current.includes('/')) {
        const [kind] = current.split('/');
        return result(names(kind, ns).map((n) => `${kind}/${n}`));
      }
      return result([...names('pods', ns), 'deploy/', 'deployment/', 'svc/']);
    }
    if (verb === 'rollout') return args.length === 1 ? result(['status', 'restart']) : result(names('deployments', ns).map((n) => `deployment/${n}`));
    if (verb === 'config') return result(['current-context', 'get-contexts', 'set-context', 'use-context', 'view']);
    if (verb === 'create') return result(['namespace', 'deployment']);
    return result([]);
  }
  if (cmd === 'istioctl') {
    const args = list.slice(1).filter((w) => !w.startsWith('-'));
    if (args.length === 0) return result(ISTIOCTL_VERBS);
    if ((args[0] === 'proxy-config' || args[0] === 'pc') && args.length === 1) return result(['clusters', 'endpoints', 'listeners', 'routes']);
    if (args[0] === 'proxy-config' || args[0] === 'pc') return result([...names('pods', ns), ...names('deployments', ns).map((n) => `deploy/${n}`)]);
    if (args[0] === 'x') return result(['precheck']);
    if (args[0] === 'install') return result(['-y', '--set', 'meshConfig.accessLogFile=/dev/stdout', 'meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY', 'meshConfig.outboundTrafficPolicy.mode=ALLOW_ANY', 'components.egressGateways[0].enabled=true', 'components.egressGateways[0].name=istio-egressgateway']);
    return result([]);
  }
  return result(files(ctx.fs, ctx.cwd, current));
}
