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
 * The projected token volume (kube-api-access-*) the plugin also mounts is not modelled.
 */
import type { ApiClient } from '../api/client';
import type { ForbiddingPlugin, MutatingPlugin } from '../api/admission';
import { isRecord } from '../api/types';
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

/** The admission plugin's mutation: serviceAccountName defaults to "default", serviceAccount mirrors it. */
export function serviceAccountDefaults(): MutatingPlugin {
  return {
    name: 'ServiceAccount',
    admit(req) {
      if (req.operation !== 'CREATE' || req.resource.kind !== 'Pod' || !isRecord(req.object.spec)) return;
      const spec = req.object.spec;
      const name = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName : typeof spec.serviceAccount === 'string' && spec.serviceAccount ? spec.serviceAccount : DEFAULT_SERVICE_ACCOUNT;
      spec.serviceAccountName = name;
      spec.serviceAccount = name;
    },
  };
}

/** The admission plugin's check: the pod's service account must exist. */
export function serviceAccountExists(client: ApiClient): ForbiddingPlugin {
  return {
    name: 'ServiceAccount',
    check(req) {
      if (req.operation !== 'CREATE' || req.resource.kind !== 'Pod' || !isRecord(req.object.spec)) return undefined;
      const name = String(req.object.spec.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT);
      if (name === DEFAULT_SERVICE_ACCOUNT) return undefined;
      const ns = req.object.metadata.namespace ?? 'default';
      const sa = client.get(client.kind('ServiceAccount'), ns, name);
      return sa.ok ? undefined : `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`;
    },
  };
}
