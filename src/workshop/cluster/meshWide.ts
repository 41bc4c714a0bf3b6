/**
 * Lessons that change settings of the whole mesh, and how a room on a shared real cluster adapts
 * them: a participant owns one namespace and may not touch istio-system or run `istioctl install`
 * (their Role does not allow it), so each mesh-wide step has a per-namespace equivalent. The pages
 * (room, presenter) show `note` next to the lesson; `instead` is what the participant runs.
 *
 * Facts: meshConfig vs the Telemetry API (istio.io/latest/docs/tasks/observability/logs/access-log/,
 * "Using Telemetry API": a Telemetry in a namespace without selector applies to that namespace);
 * outboundTrafficPolicy per namespace through a Sidecar resource (istio.io reference networking/sidecar,
 * `outboundTrafficPolicy` field); the ingress gateway shared in istio-system, one host per participant.
 */

export interface MeshWideAdaptation {
  /** Lesson id as in src/course.ts. */
  lesson: string;
  /** What the lesson changes for the whole mesh. */
  changes: string;
  /** The participant's equivalent on a shared cluster (commands or resources, in English names). */
  instead: string;
  /** Russian note for the page. */
  note: string;
}

/** The host a participant's Gateway and VirtualService use on the shared ingress gateway (the lessons' "*" is mapped to it: ../namespaceMap.ts). */
export { participantHost } from '../namespaceMap';

export const MESH_WIDE_LESSONS: readonly MeshWideAdaptation[] = [
  {
    lesson: 'scenarios/ingress-service-a',
    changes: 'istioctl install --set meshConfig.accessLogFile=/dev/stdout (the access log of every proxy)',
    instead: 'Telemetry "access-log" in the participant namespace: spec.accessLogging[{providers: [{name: envoy}]}]',
    note: 'На общем кластере `istioctl install` запускает только ведущий. Журнал доступа для своего namespace включает ресурс Telemetry с провайдером `envoy` — он действует только на ваши поды.',
  },
  {
    lesson: 'scenarios/egress',
    changes: 'istioctl install --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY (every sidecar of the mesh)',
    instead: 'Sidecar "default" in the participant namespace with spec.outboundTrafficPolicy.mode: REGISTRY_ONLY',
    note: 'Режим REGISTRY_ONLY для всего mesh задаётся при установке, а на общем кластере её не трогают. Тот же режим для своего namespace задаёт ресурс Sidecar без `workloadSelector` с полем `outboundTrafficPolicy`.',
  },
  {
    lesson: 'practice/observability',
    changes: 'istioctl install --set meshConfig.accessLogEncoding=JSON (the log format of the whole mesh)',
    instead: 'Telemetry in the participant namespace; the JSON encoding stays a mesh setting the instructor sets once for the room',
    note: 'Кодировку журнала (`accessLogEncoding`) задают для всего mesh, поэтому на общем кластере её выбирает ведущий до начала. Включение и выключение журнала для своих подов — ресурс Telemetry в вашем namespace.',
  },
  {
    lesson: 'practice/tls-ingress',
    changes: 'Secret with the gateway certificate in istio-system; Gateway for the shared istio-ingressgateway',
    instead: 'one host per participant (<namespace>.<domain>) in the Gateway and VirtualService of the participant namespace; the certificate Secret created by the instructor in istio-system',
    note: 'Шлюз входящего трафика общий для всей комнаты, поэтому у каждого участника своё имя хоста — `<ваш namespace>.<домен комнаты>`. Secret с сертификатом шлюза лежит в `istio-system`, его создаёт ведущий.',
  },
  {
    lesson: 'practice/tls-egress',
    changes: 'the egress gateway in istio-system (istioctl install with egressGateways enabled)',
    instead: 'the instructor installs the egress gateway once; participants route to it from their namespace',
    note: 'Egress-шлюз ставится в `istio-system` один раз на комнату — это делает ведущий. Ваши ServiceEntry, Gateway, VirtualService и DestinationRule живут в вашем namespace.',
  },
  {
    lesson: 'practice/rate-limit',
    changes: 'EnvoyFilter in istio-system for the ingress gateway (applies to every route of the gateway)',
    instead: 'EnvoyFilter with a workloadSelector in the participant namespace (sidecar rate limit); the gateway part is shown by the instructor',
    note: 'Фильтр для шлюза лежит в `istio-system` и действовал бы на всю комнату, поэтому эту часть показывает ведущий. Ограничение на sidecar своего сервиса вы ставите в своём namespace.',
  },
  {
    lesson: 'practice/mtls',
    changes: 'a PeerAuthentication in istio-system would be mesh-wide (the lesson itself uses the namespace)',
    instead: 'PeerAuthentication in the participant namespace only',
    note: 'Урок и так работает на уровне namespace. PeerAuthentication в `istio-system` подействовала бы на всех участников, поэтому её не создают.',
  },
];

/** The adaptation of a lesson, if it changes mesh-wide settings. */
export function meshWideAdaptation(lesson: string): MeshWideAdaptation | undefined {
  return MESH_WIDE_LESSONS.find((m) => m.lesson === lesson);
}
