/**
 * ServiceAccounts as kube-controller-manager and the apiserver's ServiceAccount admission plugin
 * keep them:
 * - every namespace has a ServiceAccount "default" (pkg/controller/serviceaccount
 *   serviceaccounts_controller.go; since 1.24 no token Secret is made for it);
 * - a pod that names no service account runs as "default", and the deprecated field
 *   spec.serviceAccount mirrors spec.serviceAccountName (plugin/pkg/admission/serviceaccount
 *   admission.go; the v1 conversion copies the name into serviceAccount);
 * - a pod naming a service account that does not exist is refused:
 *   `pods "x" is forbidden: error looking up service account demo/foo: serviceaccount "foo" not found`.
 *   For "default" the plugin waits for the controller to create it; here the controller runs in
 *   the same sync, so a missing "default" is let through.
 * - the plugin mounts the service account's token, the cluster's CA and the namespace into every
 *   container at /var/run/secrets/kubernetes.io/serviceaccount from a projected volume
 *   `kube-api-access-<5 characters>`, unless the pod or its service account says
 *   automountServiceAccountToken: false (admission.go mountServiceAccountToken, TokenVolumeSource).
 */
import type { ApiClient } from '../api/client';
import { createdPodSpec, type ForbiddingPlugin, type MutatingPlugin } from '../api/admission';
import { isRecord, type KubeObject } from '../api/types';
import { randomSuffix, SeededRandom } from '../core/random';
import type { Controller } from './controller';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

export class ServiceAccountsController implements Controller {
  readonly name = 'serviceaccount-controller';
  constructor(private readonly client: ApiClient) {}

  reconcile(): boolean {
    const c = this.client;
    const namespaces = c.cached(c.kind('Namespace'));
    const accounts = c.cached(c.kind('ServiceAccount'));
    if (!namespaces.ok || !accounts.ok) return false;
    const have = new Set(accounts.value.filter((a) => a.metadata.name === DEFAULT_SERVICE_ACCOUNT).map((a) => a.metadata.namespace));
    let changed = false;
    for (const ns of namespaces.value) {
      const name = ns.metadata.name ?? '';
      if (have.has(name) || ns.metadata.deletionTimestamp) continue;
      const r = c.create(c.kind('ServiceAccount'), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: name } });
      if (r.ok) changed = true;
    }
    return changed;
  }
}

/** Where the plugin mounts the token (admission.go DefaultAPITokenMountPath). */
export const API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The projected volume's name: the plugin draws `kube-api-access-` + 5 random characters. Here the
 * characters come from the pod's uid, so a replayed session gets the same name and no other random
 * draw (pod names, weighted routes) moves.
 */
function tokenVolumeName(pod: KubeObject): string {
  let h = 2166136261;
  for (const ch of String(pod.metadata.uid ?? pod.metadata.name ?? '')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `kube-api-access-${randomSuffix(new SeededRandom(h), 5)}`;
}

/** The projected volume of the token, the cluster CA and the namespace (admission.go TokenVolumeSource). */
function tokenVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Adds the token mount to every container (init containers first) that has nothing mounted at its path; true if one got it. */
function mountServiceAccountToken(spec: Record<string, unknown>, volumeName: string): boolean {
  let added = false;
  for (const c of [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), ...(Array.isArray(spec.containers) ? spec.containers : [])]) {
    if (!isRecord(c)) continue;
    const mounts = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
    if (mounts.some((m) => isRecord(m) && m.mountPath === API_TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...mounts, { mountPath: API_TOKEN_MOUNT_PATH, name: volumeName, readOnly: true }];
    added = true;
  }
  return added;
}

/** The name of the pod's token volume, if the plugin mounted one. */
function tokenVolumeOf(spec: Record<string, unknown>): string | undefined {
  const v = (Array.isArray(spec.volumes) ? spec.volumes : []).find((x) => isRecord(x) && typeof x.name === 'string' && x.name.startsWith('kube-api-access-'));
  return isRecord(v) ? String(v.name) : undefined;
}

/**
 * The admission plugin's mutation: serviceAccountName defaults to "default", serviceAccount
 * mirrors it, and the token is mounted (shouldAutomount: the pod's field first, then the account's).
 */
export function serviceAccountDefaults(client: ApiClient): MutatingPlugin {
  return {
    name: 'ServiceAccount',
    admit(req) {
      const spec = createdPodSpec(req);
      if (!spec) return;
      const name = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName : typeof spec.serviceAccount === 'string' && spec.serviceAccount ? spec.serviceAccount : DEFAULT_SERVICE_ACCOUNT;
      spec.serviceAccountName = name;
      spec.serviceAccount = name;
      const account = client.get(client.kind('ServiceAccount'), req.object.metadata.namespace ?? 'default', name);
      const automount = typeof spec.automountServiceAccountToken === 'boolean' ? spec.automountServiceAccountToken : account.ok ? account.value.automountServiceAccountToken !== false : true;
      if (!automount) return;
      const existing = tokenVolumeOf(spec);
      const volumeName = existing ?? tokenVolumeName(req.object);
      if (mountServiceAccountToken(spec, volumeName) && !existing) spec.volumes = [...(Array.isArray(spec.volumes) ? spec.volumes : []), tokenVolume(volumeName)];
    },
  };
}

/** The admission plugin's check: the pod's service account must exist. */
export function serviceAccountExists(client: ApiClient): ForbiddingPlugin {
  return {
    name: 'ServiceAccount',
    check(req) {
      const spec = createdPodSpec(req);
      if (!spec) return undefined;
      const name = String(spec.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT);
      if (name === DEFAULT_SERVICE_ACCOUNT) return undefined;
      const ns = req.object.metadata.namespace ?? 'default';
      const sa = client.get(client.kind('ServiceAccount'), ns, name);
      return sa.ok ? undefined : `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`;
    },
  };
}
