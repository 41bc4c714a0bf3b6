/**
 * The deployment controller: one ReplicaSet per pod template (named <deployment>-<pod-template-hash>),
 * a rolling update that scales the old ReplicaSets down once the new one is ready, and the
 * Deployment's status (READY, UP-TO-DATE, AVAILABLE, conditions).
 */
import type { ApiClient } from '../api/client';
import { isoSeconds } from '../core/clock';
import { deepClone, isRecord, jsonEqual, type KubeObject } from '../api/types';
import type { Controller } from './controller';
import type { EventRecorder } from './events';
import { podTemplateHash } from './podTemplateHash';

function num(v: unknown, d = 0): number {
  return typeof v === 'number' ? v : d;
}

export function ownedBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);
}

export function ownerRef(owner: KubeObject) {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * deploymentutil's annotationsToSkip: what stays the Deployment's own and is not copied onto its
 * ReplicaSets (kubernetes pkg/controller/deployment/util/deployment_util.go).
 */
const NOT_COPIED = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to']);

/** copyDeploymentAnnotationsToReplicaSet: the Deployment's annotations (change-cause among them) onto the new ReplicaSet. */
function copiedAnnotations(d: KubeObject): Record<string, string> {
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k)));
}

export class DeploymentController implements Controller {
  readonly name = 'deployment-controller';
  constructor(
    private readonly client: ApiClient,
    private readonly events?: EventRecorder,
  ) {}

  reconcile(now: number): boolean {
    const c = this.client;
    const D = c.kind('Deployment');
    const RS = c.kind('ReplicaSet');
    const deployments = c.cached(D);
    const allRs = c.cached(RS);
    if (!deployments.ok || !allRs.ok) return false;
    let changed = false;
    for (const d of deployments.value) {
      const spec = isRecord(d.spec) ? d.spec : {};
      const template = isRecord(spec.template) ? spec.template : {};
      const hash = podTemplateHash(template);
      const owned = allRs.value.filter((rs) => rs.metadata.namespace === d.metadata.namespace && ownedBy(rs, d));
      const name = `${d.metadata.name}-${hash}`;
      let newRs = owned.find((rs) => rs.metadata.name === name);
      const replicas = num(spec.replicas, 1);
      const revision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
      if (!newRs) {
        const tpl = deepClone(template) as KubeObject['spec'] & { metadata?: { labels?: Record<string, string> } };
        const tmeta = isRecord(tpl?.metadata) ? (tpl!.metadata as { labels?: Record<string, string> }) : {};
        tmeta.labels = { ...(tmeta.labels ?? {}), 'pod-template-hash': hash };
        if (tpl) tpl.metadata = tmeta;
        const sel = isRecord(spec.selector) ? deepClone(spec.selector) : {};
        sel.matchLabels = { ...(isRecord(sel.matchLabels) ? sel.matchLabels : {}), 'pod-template-hash': hash };
        const r = c.create(RS, {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name,
            namespace: d.metadata.namespace,
            labels: { ...(tmeta.labels ?? {}) },
            annotations: {
              ...copiedAnnotations(d),
              'deployment.kubernetes.io/desired-replicas': String(replicas),
              'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
              [REVISION]: String(revision + 1),
            },
            ownerReferences: [ownerRef(d)],
          },
          spec: { replicas, selector: sel, template: tpl },
        });
        if (r.ok) {
          newRs = r.value;
          changed = true;
          this.events?.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} to ${replicas}`, { component: 'deployment-controller' }, now);
        }
      } else if (num(newRs.spec?.replicas) !== replicas) {
        const from = num(newRs.spec?.replicas);
        const u = deepClone(newRs);
        u.spec = { ...u.spec, replicas };
        u.metadata.annotations = { ...u.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(replicas) };
        if (c.update(RS, u).ok) {
          changed = true;
          this.events?.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${name} from ${from} to ${replicas}`, { component: 'deployment-controller' }, now);
        }
      }
      if (newRs && Number(newRs.metadata.annotations?.[REVISION] ?? 0) < revision) {
        // rolled back to an older template: it becomes the newest revision
        const u = deepClone(newRs);
        u.metadata.annotations = { ...u.metadata.annotations, [REVISION]: String(revision + 1) };
        const r = c.update(RS, u);
        if (r.ok) {
          newRs = r.value;
          changed = true;
        }
      }
      if (newRs) {
        // sync.go getNewReplicaSet: SetNewReplicaSetAnnotations on the existing new ReplicaSet, then
        // SetDeploymentRevision: the Deployment carries the revision of its newest ReplicaSet
        const copied = copiedAnnotations(d);
        if (Object.entries(copied).some(([k, v]) => newRs!.metadata.annotations?.[k] !== v)) {
          const u = deepClone(newRs);
          u.metadata.annotations = { ...u.metadata.annotations, ...copied };
          const r = c.update(RS, u);
          if (r.ok) {
            newRs = r.value;
            changed = true;
          }
        }
        const rev = newRs.metadata.annotations?.[REVISION];
        const cur = c.get(D, d.metadata.namespace, d.metadata.name ?? '');
        if (rev && cur.ok && cur.value.metadata.annotations?.[REVISION] !== rev) {
          const u = deepClone(cur.value);
          u.metadata.annotations = { ...u.metadata.annotations, [REVISION]: rev };
          if (c.update(D, u).ok) changed = true;
        }
      }
      const newReady = newRs ? num(newRs.status?.readyReplicas) : 0;
      for (const old of owned) {
        if (old.metadata.name === name) continue;
        if (num(old.spec?.replicas) > 0 && newReady >= replicas) {
          const from = num(old.spec?.replicas);
          const u = deepClone(old);
          u.spec = { ...u.spec, replicas: 0 };
          if (c.update(RS, u).ok) {
            changed = true;
            this.events?.record(d, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${old.metadata.name} from ${from} to 0`, { component: 'deployment-controller' }, now);
          }
        }
      }
      // status
      const rsNow = c.cached(RS, d.metadata.namespace);
      const current = rsNow.ok ? rsNow.value.filter((rs) => ownedBy(rs, d)) : owned;
      const sum = (f: string): number => current.reduce((s, rs) => s + num(isRecord(rs.status) ? rs.status[f] : 0), 0);
      const newNow = current.find((rs) => rs.metadata.name === name);
      const updated = newNow && isRecord(newNow.status) ? num(newNow.status.replicas) : 0;
      const ready = sum('readyReplicas');
      const total = sum('replicas');
      const available = sum('availableReplicas');
      const prev = isRecord(d.status) ? d.status : {};
      const prevConds = Array.isArray(prev.conditions) ? (prev.conditions as Record<string, unknown>[]) : [];
      const ts = isoSeconds(now);
      const cond = (type: string, status: string, reason: string, message: string): Record<string, unknown> => {
        const p = prevConds.find((x) => x.type === type);
        const same = p && p.status === status && p.reason === reason;
        return {
          type,
          status,
          lastUpdateTime: same ? p.lastUpdateTime : ts,
          lastTransitionTime: p && p.status === status ? p.lastTransitionTime : ts,
          reason,
          message,
        };
      };
      const availableOk = available >= replicas - Math.floor(replicas / 4);
      const complete = updated === replicas && available >= replicas && total === replicas;
      const status: Record<string, unknown> = {
        observedGeneration: d.metadata.generation,
        replicas: total || undefined,
        updatedReplicas: updated || undefined,
        readyReplicas: ready || undefined,
        availableReplicas: available || undefined,
        unavailableReplicas: total - available > 0 ? total - available : undefined,
        conditions: [
          cond(
            'Available',
            availableOk ? 'True' : 'False',
            availableOk ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            availableOk ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
          ),
          cond(
            'Progressing',
            'True',
            complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
            complete ? `ReplicaSet "${name}" has successfully progressed.` : `ReplicaSet "${name}" is progressing.`,
          ),
        ],
      };
      for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
      if (!jsonEqual(prev, status)) {
        const u = deepClone(d);
        u.status = status;
        if (c.updateStatus(D, u).ok) changed = true;
      }
    }
    return changed;
  }
}

/**
 * The workqueue's per-item backoff after a failed sync (client-go
 * workqueue.DefaultTypedControllerRateLimiter: ItemExponentialFailureRateLimiter(5ms, 1000s)).
 */
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 1_000_000;

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset-controller';
  /** ReplicaSet uid → failed syncs in a row and when the next try is due (not snapshotted: a restore simply retries). */
  private readonly retries = new Map<string, { failures: number; next: number }>();
  constructor(
    private readonly client: ApiClient,
    private readonly events?: EventRecorder,
  ) {}

  reconcile(now: number): boolean {
    const c = this.client;
    const RS = c.kind('ReplicaSet');
    const P = c.kind('Pod');
    const sets = c.cached(RS);
    const podsR = c.cached(P);
    if (!sets.ok || !podsR.ok) return false;
    let changed = false;
    for (const rs of sets.value) {
      const spec = isRecord(rs.spec) ? rs.spec : {};
      const want = num(spec.replicas, 1);
      const pods = podsR.value.filter((p) => p.metadata.namespace === rs.metadata.namespace && ownedBy(p, rs));
      const alive = pods.filter((p) => !p.metadata.deletionTimestamp);
      const uid = rs.metadata.uid ?? '';
      if (alive.length >= want) this.retries.delete(uid);
      const retry = this.retries.get(uid);
      let createError: string | undefined;
      if (alive.length < want && (!retry || now >= retry.next)) {
        const tpl = isRecord(spec.template) ? deepClone(spec.template) : {};
        const meta = isRecord(tpl.metadata) ? tpl.metadata : {};
        for (let i = alive.length; i < want && createError === undefined; i++) {
          const r = c.create(P, {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              generateName: `${rs.metadata.name}-`,
              namespace: rs.metadata.namespace,
              labels: { ...((meta.labels as Record<string, string>) ?? {}) },
              annotations: isRecord(meta.annotations) ? { ...(meta.annotations as Record<string, string>) } : undefined,
              ownerReferences: [ownerRef(rs)],
            },
            spec: deepClone(isRecord(tpl.spec) ? tpl.spec : {}),
          });
          if (r.ok) {
            changed = true;
            this.events?.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`, { component: 'replicaset-controller' }, now);
          } else {
            // A refused create (a ResourceQuota, an admission webhook) ends this sync's slow-start
            // batch and is recorded on the ReplicaSet; the sync is retried with the workqueue's backoff.
            // Source: kubernetes/kubernetes pkg/controller/controller_utils.go (RealPodControl.createPods:
            // Eventf(object, Warning, FailedCreatePodReason = "FailedCreate", "Error creating: %v", err)),
            // pkg/controller/replicaset/replica_set.go (slowStartBatch stops at the first error).
            createError = r.status.message;
            this.events?.record(rs, 'Warning', 'FailedCreate', `Error creating: ${createError}`, { component: 'replicaset-controller' }, now);
          }
        }
        if (createError === undefined) this.retries.delete(uid);
        else {
          const failures = (retry?.failures ?? 0) + 1;
          this.retries.set(uid, { failures, next: now + Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS) });
        }
      } else if (alive.length > want) {
        const ranked = [...alive].sort((a, b) => {
          const ra = podReady(a) ? 1 : 0;
          const rb = podReady(b) ? 1 : 0;
          return ra - rb || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
        });
        for (const p of ranked.slice(0, alive.length - want))
          if (c.delete(P, p.metadata.namespace, p.metadata.name ?? '').ok) {
            changed = true;
            this.events?.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, { component: 'replicaset-controller' }, now);
          }
      }
      const fresh = c.cached(P, rs.metadata.namespace);
      const current = fresh.ok ? fresh.value.filter((p) => ownedBy(p, rs) && !p.metadata.deletionTimestamp) : alive;
      const ready = current.filter(podReady).length;
      const status: Record<string, unknown> = { replicas: current.length, fullyLabeledReplicas: current.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation };
      if (ready === 0) {
        delete status.readyReplicas;
        delete status.availableReplicas;
      }
      if (current.length === 0) delete status.fullyLabeledReplicas;
      // The ReplicaFailure condition: set (once, with the first error) while pods cannot be created,
      // removed by the next sync that manages its replicas without an error.
      // Source: kubernetes/kubernetes pkg/controller/replicaset/replica_set_utils.go (calculateStatus).
      const prevConds = isRecord(rs.status) && Array.isArray(rs.status.conditions) ? (rs.status.conditions as Record<string, unknown>[]) : [];
      const failure = prevConds.find((x) => x.type === 'ReplicaFailure');
      const stillFailing = this.retries.has(uid) && current.length < want;
      if (failure && stillFailing) status.conditions = prevConds;
      else if (createError !== undefined) status.conditions = [...prevConds, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: isoSeconds(now), reason: 'FailedCreate', message: createError }];
      else if (prevConds.some((x) => x.type !== 'ReplicaFailure')) status.conditions = prevConds.filter((x) => x.type !== 'ReplicaFailure');
      if (!jsonEqual(rs.status ?? {}, status)) {
        const u = deepClone(rs);
        u.status = status;
        if (c.updateStatus(RS, u).ok) changed = true;
      }
    }
    return changed;
  }
}

export function podReady(p: KubeObject): boolean {
  const conds = isRecord(p.status) && Array.isArray(p.status.conditions) ? p.status.conditions : [];
  return conds.some((x) => isRecord(x) && x.type === 'Ready' && x.status === 'True');
}
