/** ~/.kube/config in the sandbox's file system: the current context and its namespace. */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { isRecord } from '../../api/types';
import { HOME, type Vfs } from '../../shell/vfs';

export const KUBECONFIG = `${HOME}/.kube/config`;
export const CONTEXT = 'kind-sandbox';
export const SERVER = 'https://127.0.0.1:38195';

export function defaultKubeconfig(namespace?: string): string {
  return stringifyYaml({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': 'DATA+OMITTED', server: SERVER }, name: CONTEXT }],
    contexts: [{ context: { cluster: CONTEXT, user: CONTEXT, ...(namespace ? { namespace } : {}) }, name: CONTEXT }],
    'current-context': CONTEXT,
    kind: 'Config',
    preferences: {},
    users: [{ name: CONTEXT, user: { 'client-certificate-data': 'DATA+OMITTED', 'client-key-data': 'DATA+OMITTED' } }],
  });
}

export function currentNamespace(fs: Vfs): string {
  try {
    const cfg: unknown = parseYaml(fs.readFile(KUBECONFIG));
    if (!isRecord(cfg) || !Array.isArray(cfg.contexts)) return 'default';
    const ctx = cfg.contexts.find((c) => isRecord(c) && c.name === cfg['current-context']);
    const ns = isRecord(ctx) && isRecord(ctx.context) ? ctx.context.namespace : undefined;
    return typeof ns === 'string' && ns ? ns : 'default';
  } catch {
    return 'default';
  }
}

export function setNamespace(fs: Vfs, namespace: string): void {
  fs.mkdirp(`${HOME}/.kube`);
  fs.writeFile(KUBECONFIG, defaultKubeconfig(namespace));
}
