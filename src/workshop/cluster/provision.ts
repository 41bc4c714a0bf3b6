/**
 * A participant's corner of a real cluster: one namespace `ws-<room>-<participant>` with the
 * mesh's sidecar injection on, a ServiceAccount confined to it by a namespaced Role, a
 * ResourceQuota and LimitRange so one participant cannot starve the others, a NetworkPolicy that
 * keeps the other participants out (istio-system, where the shared ingress gateway runs, stays
 * allowed), a token from the TokenRequest API and a kubeconfig carrying it.
 *
 * Everything is created through the Kubernetes API (kubeApi.ts), idempotently: provisioning again
 * (after a server restart) keeps what exists and issues a fresh token. A room's namespaces carry
 * its label, so `cleanupRoom` deletes them by label selector.
 */
import { createHash } from 'node:crypto';
import type { KubeApi } from './kubeApi';

export const ROOM_LABEL = 'workshop.istio-practicum/room';
export const PARTICIPANT_LABEL = 'workshop.istio-practicum/participant';
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'istio-practicum-workshop' };
export const PARTICIPANT_SA = 'participant';

/**
 * What a participant may do in their namespace: what the lessons' commands need. Istio's own
 * kinds all (networking, security, telemetry, extensions), the workloads and their plumbing,
 * pods/log, pods/exec and pods/portforward (get and create: kubectl 1.35's WebSocket upgrades need
 * both, AuthorizePodWebsocketUpgradeCreatePermission), quotas and policies read-only.
 */
export const PARTICIPANT_RULES = [
  { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'secrets', 'serviceaccounts', 'persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] },
  { apiGroups: [''], resources: ['pods/log', 'pods/status', 'endpoints', 'events', 'resourcequotas', 'limitranges'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/exec', 'pods/portforward', 'pods/attach'], verbs: ['get', 'create'] },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'replicasets', 'statefulsets', 'daemonsets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io', 'gateway.networking.k8s.io'], resources: ['*'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
];

export interface ParticipantLimits {
  /** ResourceQuota spec.hard (the Istio sidecar's own requests, 100m and 128Mi per pod, count too). */
  quota: Record<string, string>;
  /** LimitRange Container defaults for containers that name no resources. */
  defaultLimits: Record<string, string>;
  defaultRequests: Record<string, string>;
  /** Lifetime of the participant's token (seconds); the cluster may shorten it. */
  tokenSeconds: number;
}

/**
 * Each injected pod's istio-proxy has limits of 2 CPU and 1Gi (Istio's default
 * values.global.proxy.resources, manifests/charts/istio-control/istio-discovery/values.yaml; as
 * src/sandbox/controllers/injection.ts injects it), so the limits.* of the quota allow 20 pods of
 * a sidecar and a container with the LimitRange's defaults (2.5 CPU, 1.25Gi each): a tighter
 * quota refused the resilience lesson's 4th pod.
 */
export const DEFAULT_LIMITS: ParticipantLimits = {
  quota: { pods: '20', services: '20', configmaps: '30', secrets: '30', 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '50', 'limits.memory': '25Gi' },
  defaultLimits: { cpu: '500m', memory: '256Mi' },
  defaultRequests: { cpu: '50m', memory: '64Mi' },
  tokenSeconds: 12 * 3600,
};

export interface Provisioned {
  namespace: string;
  /** A kubeconfig (YAML) for the participant's token, its context's namespace set. */
  kubeconfig: string;
}

/** Lowercase DNS label of a room code (ABC234 → abc234). */
export function roomLabel(room: string): string {
  return room.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 20) || 'room';
}

/** `ws-<room>-<10 hex of the participant id>`: a DNS-1123 label whatever the id's alphabet. */
export function namespaceFor(room: string, participant: string): string {
  return `ws-${roomLabel(room)}-${createHash('sha256').update(participant).digest('hex').slice(0, 10)}`;
}

const RBAC = 'rbac.authorization.k8s.io/v1';

/** The objects of one participant's namespace, in creation order (the Namespace first). */
export function participantObjects(room: string, participant: string, limits: ParticipantLimits = DEFAULT_LIMITS): { path: string; body: Record<string, unknown> }[] {
  const ns = namespaceFor(room, participant);
  const labels = { ...MANAGED_BY, [ROOM_LABEL]: roomLabel(room), [PARTICIPANT_LABEL]: ns.slice(ns.lastIndexOf('-') + 1) };
  const meta = (name: string): Record<string, unknown> => ({ name, namespace: ns, labels: MANAGED_BY });
  return [
    { path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...labels, 'istio-injection': 'enabled' } } } },
    { path: `/api/v1/namespaces/${ns}/serviceaccounts`, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(PARTICIPANT_SA) } },
    { path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, body: { apiVersion: RBAC, kind: 'Role', metadata: meta('participant'), rules: PARTICIPANT_RULES } },
    {
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
      body: {
        apiVersion: RBAC,
        kind: 'RoleBinding',
        metadata: meta('participant'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'participant' },
        subjects: [{ kind: 'ServiceAccount', name: PARTICIPANT_SA, namespace: ns }],
      },
    },
    { path: `/api/v1/namespaces/${ns}/resourcequotas`, body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('participant'), spec: { hard: limits.quota } } },
    {
      path: `/api/v1/namespaces/${ns}/limitranges`,
      body: { apiVersion: 'v1', kind: 'LimitRange', metadata: meta('participant'), spec: { limits: [{ type: 'Container', default: limits.defaultLimits, defaultRequest: limits.defaultRequests }] } },
    },
    {
      // ingress from this namespace and from istio-system (istiod, the shared ingress gateway) only
      path: `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('participant-isolation'),
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }] }],
        },
      },
    },
  ];
}

/** A kubeconfig for one token: the admin kubeconfig's cluster entry, the participant's namespace as default. */
export function participantKubeconfig(cluster: { server: string; caData?: string; insecure: boolean }, namespace: string, token: string): string {
  const trust = cluster.caData ? `    certificate-authority-data: ${cluster.caData}` : cluster.insecure ? '    insecure-skip-tls-verify: true' : undefined;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    ...(trust ? [trust] : []),
    `    server: ${cluster.server}`,
    '  name: workshop',
    'contexts:',
    '- context:',
    '    cluster: workshop',
    `    namespace: ${namespace}`,
    `    user: ${namespace}`,
    '  name: workshop',
    'current-context: workshop',
    'preferences: {}',
    'users:',
    `- name: ${namespace}`,
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n');
}

/** Creates (or finds) the participant's namespace and everything in it; returns a kubeconfig with a fresh token. */
export async function provisionParticipant(api: KubeApi, room: string, participant: string, limits: ParticipantLimits = DEFAULT_LIMITS): Promise<Provisioned> {
  const namespace = namespaceFor(room, participant);
  for (const o of participantObjects(room, participant, limits)) await api.must('POST', o.path, o.body, [409]);
  const tr = await api.must('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${PARTICIPANT_SA}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: limits.tokenSeconds },
  });
  const status = tr.body.status as { token?: unknown } | undefined;
  if (typeof status?.token !== 'string') throw new Error(`TokenRequest for ${namespace}: the answer has no token`);
  return { namespace, kubeconfig: participantKubeconfig(api.clusterEntry(), namespace, status.token) };
}

/** Deletes every namespace labelled with the room (the cluster then deletes what they hold). Returns their names. */
export async function cleanupRoom(api: KubeApi, room: string): Promise<string[]> {
  const list = await api.must('GET', `/api/v1/namespaces?labelSelector=${encodeURIComponent(`${ROOM_LABEL}=${roomLabel(room)}`)}`);
  const names = (Array.isArray(list.body.items) ? list.body.items : []).map((n) => String((n as { metadata?: { name?: unknown } }).metadata?.name ?? '')).filter(Boolean);
  for (const name of names) await api.must('DELETE', `/api/v1/namespaces/${name}`, undefined, [404]);
  return names;
}
