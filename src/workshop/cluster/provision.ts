/**
 * A participant's corner of a real cluster: one namespace `ws-<room>-<participant>` with the
 * mesh's sidecar injection on, a ServiceAccount confined to it by a namespaced Role, a
 * ResourceQuota and LimitRange so one participant cannot starve the others, a NetworkPolicy that
 * keeps the other participants out (istio-system, where the shared ingress gateway runs, stays
 * allowed), a token from the TokenRequest API and a kubeconfig carrying it. A room whose lessons
 * use further namespaces of their own (authorization's `analytics`…) gives each participant one
 * more namespace per such lesson namespace, `<their namespace>-<lesson namespace>`, with the same
 * Role for their ServiceAccount, quota, limits and isolation.
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
/** On a participant's further namespace: the lesson namespace it stands for (e.g. analytics). */
export const LESSON_NAMESPACE_LABEL = 'workshop.istio-practicum/lesson-namespace';

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
  /** The participant's further namespaces (one per lesson namespace in `extra`), in order. */
  extraNamespaces: string[];
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

/**
 * The participant's namespace for a further namespace of a lesson (authorization's `analytics`,
 * mtls's `legacy`, egress's `external-cluster`): `<participant namespace>-<lesson namespace>`,
 * e.g. ws-k7qm2p-0123456789-analytics. A namespace name is a DNS-1123 label, at most 63
 * characters (kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go,
 * DNS1123LabelMaxLength); a longer one keeps the first characters of the lesson's name and ends
 * with 6 hex of a hash of it, so two long names stay apart.
 */
export function extraNamespaceName(participantNamespace: string, lessonNamespace: string): string {
  const full = `${participantNamespace}-${lessonNamespace}`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(lessonNamespace).digest('hex').slice(0, 6);
  const keep = lessonNamespace.slice(0, Math.max(0, 63 - participantNamespace.length - hash.length - 2)).replace(/-+$/, '');
  return `${participantNamespace}-${keep ? `${keep}-` : ''}${hash}`;
}

/** A further namespace to provision for the participant: the lesson's name and its istio-injection label. */
export interface ExtraNamespaceSpec {
  from: string;
  injection: 'enabled' | 'disabled';
}

const RBAC = 'rbac.authorization.k8s.io/v1';

/**
 * The objects of one participant's namespaces, in creation order (each Namespace before what it
 * holds): their own namespace with the ServiceAccount, and one namespace per `extra` lesson
 * namespace. In every one the same Role, bound to the ServiceAccount of their own namespace — a
 * RoleBinding's subject may be a ServiceAccount of another namespace (kubernetes/website
 * content/en/docs/reference/access-authn-authz/rbac.md, "Referring to subjects": `kind:
 * ServiceAccount, name: default, namespace: kube-system`) and grants only in the binding's
 * namespace —, the ResourceQuota, the LimitRange and the NetworkPolicy.
 */
export function participantObjects(room: string, participant: string, limits: ParticipantLimits = DEFAULT_LIMITS, extra: readonly ExtraNamespaceSpec[] = []): { path: string; body: Record<string, unknown> }[] {
  const own = namespaceFor(room, participant);
  const mine = { [ROOM_LABEL]: roomLabel(room), [PARTICIPANT_LABEL]: own.slice(own.lastIndexOf('-') + 1) };
  const inNamespace = (ns: string, injection: string, lessonNamespace?: string): { path: string; body: Record<string, unknown> }[] => {
    const meta = (name: string): Record<string, unknown> => ({ name, namespace: ns, labels: MANAGED_BY });
    return [
      {
        path: '/api/v1/namespaces',
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...MANAGED_BY, ...mine, 'istio-injection': injection, ...(lessonNamespace && { [LESSON_NAMESPACE_LABEL]: lessonNamespace }) } } },
      },
      ...(ns === own ? [{ path: `/api/v1/namespaces/${ns}/serviceaccounts`, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(PARTICIPANT_SA) } }] : []),
      { path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, body: { apiVersion: RBAC, kind: 'Role', metadata: meta('participant'), rules: PARTICIPANT_RULES } },
      {
        path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
        body: {
          apiVersion: RBAC,
          kind: 'RoleBinding',
          metadata: meta('participant'),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'participant' },
          subjects: [{ kind: 'ServiceAccount', name: PARTICIPANT_SA, namespace: own }],
        },
      },
      { path: `/api/v1/namespaces/${ns}/resourcequotas`, body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('participant'), spec: { hard: limits.quota } } },
      {
        path: `/api/v1/namespaces/${ns}/limitranges`,
        body: { apiVersion: 'v1', kind: 'LimitRange', metadata: meta('participant'), spec: { limits: [{ type: 'Container', default: limits.defaultLimits, defaultRequest: limits.defaultRequests }] } },
      },
      {
        // Ingress only from the participant's own namespaces and from istio-system (istiod, the shared
        // ingress gateway). A namespaceSelector selects namespaces by their labels and, without a
        // podSelector beside it, every pod in them (kubernetes/kubernetes
        // staging/src/k8s.io/api/networking/v1/types.go, NetworkPolicyPeer); the room and participant
        // labels are on all of this participant's namespaces and no one else's, and a participant
        // cannot relabel a namespace (their Role is namespaced). kubernetes.io/metadata.name is set by
        // the API server on every namespace to its name and cannot be changed (kubernetes/website
        // content/en/docs/reference/labels-annotations-taints/_index.md).
        path: `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
        body: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: meta('participant-isolation'),
          spec: {
            podSelector: {},
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: mine } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }] }],
          },
        },
      },
    ];
  };
  return [...inNamespace(own, 'enabled'), ...extra.flatMap((e) => inNamespace(extraNamespaceName(own, e.from), e.injection, e.from))];
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

/**
 * Creates (or finds) the participant's namespace, their further namespaces for `extra` lesson
 * namespaces, and everything in them; returns a kubeconfig with a fresh token.
 */
export async function provisionParticipant(api: KubeApi, room: string, participant: string, limits: ParticipantLimits = DEFAULT_LIMITS, extra: readonly ExtraNamespaceSpec[] = []): Promise<Provisioned> {
  const namespace = namespaceFor(room, participant);
  for (const o of participantObjects(room, participant, limits, extra)) await api.must('POST', o.path, o.body, [409]);
  const tr = await api.must('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${PARTICIPANT_SA}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: limits.tokenSeconds },
  });
  const status = tr.body.status as { token?: unknown } | undefined;
  if (typeof status?.token !== 'string') throw new Error(`TokenRequest for ${namespace}: the answer has no token`);
  return { namespace, extraNamespaces: extra.map((e) => extraNamespaceName(namespace, e.from)), kubeconfig: participantKubeconfig(api.clusterEntry(), namespace, status.token) };
}

/** The names of the namespaces matching a label selector. */
export async function namespacesLabelled(api: KubeApi, selector: string): Promise<string[]> {
  const list = await api.must('GET', `/api/v1/namespaces?labelSelector=${encodeURIComponent(selector)}`);
  return (Array.isArray(list.body.items) ? list.body.items : []).map((n) => String((n as { metadata?: { name?: unknown } }).metadata?.name ?? '')).filter(Boolean);
}

/** The label selector of one participant's namespaces (their own and the further ones). */
export function participantSelector(room: string, participant: string): string {
  const own = namespaceFor(room, participant);
  return `${ROOM_LABEL}=${roomLabel(room)},${PARTICIPANT_LABEL}=${own.slice(own.lastIndexOf('-') + 1)}`;
}

/** Deletes every namespace labelled with the room (the cluster then deletes what they hold). Returns their names. */
export async function cleanupRoom(api: KubeApi, room: string): Promise<string[]> {
  const names = await namespacesLabelled(api, `${ROOM_LABEL}=${roomLabel(room)}`);
  for (const name of names) await api.must('DELETE', `/api/v1/namespaces/${name}`, undefined, [404]);
  return names;
}
