/**
 * The course outline: the single source of truth for the order of lessons, the sidebar sections
 * and the home page. Doc ids are paths of the MDX files under docs/ without the extension.
 */
export interface Lesson {
  id: string;
  label: string;
  summary: string;
}

export interface CourseSection {
  label: string;
  lessons: Lesson[];
}

export const course: CourseSection[] = [
  {
    label: 'Основы',
    lessons: [
      {
        id: 'service-mesh',
        label: 'Service mesh',
        summary: 'Зачем сетевую логику выносят из кода в прокси и через какие три сетевых контура идёт запрос.',
      },
      {
        id: 'istio',
        label: 'Возможности Istio',
        summary: 'Управление трафиком, безопасность и наблюдаемость: что умеет Istio и каким ресурсом это включается.',
      },
      {
        id: 'architecture',
        label: 'Архитектура Istio',
        summary: 'istiod и Envoy: как конфигурация из kubectl apply доходит до каждого прокси.',
      },
    ],
  },
  {
    label: 'Ресурсы Istio',
    lessons: [
      {
        id: 'gateway',
        label: 'Gateway',
        summary: 'Какие порты, протоколы и хосты открывает шлюз на границе mesh и чем он отличается от Ingress.',
      },
      {
        id: 'virtual-service',
        label: 'VirtualService',
        summary: 'Правила маршрутизации: условия совпадения, версии сервиса, веса, таймауты и повторы.',
      },
      {
        id: 'destination-rule',
        label: 'DestinationRule',
        summary: 'Что происходит после маршрутизации: балансировка, пул соединений и вывод сбойных подов.',
      },
      {
        id: 'service-entry',
        label: 'ServiceEntry',
        summary: 'Как внешние хосты попадают в реестр сервисов Istio и получают таймауты и повторы.',
      },
    ],
  },
  {
    label: 'Сценарии',
    lessons: [
      {
        id: 'scenarios/ingress-service-a',
        label: 'Ingress → ServiceA',
        summary: 'Открываем сервис наружу через ingress-шлюз и читаем журналы доступа Envoy.',
      },
      {
        id: 'scenarios/service-a-service-b',
        label: 'ServiceA → ServiceB',
        summary: 'Сервис вызывает другой по имени хоста, а mesh решает, кто ответит.',
      },
      {
        id: 'scenarios/traffic-split',
        label: 'Расщепление трафика',
        summary: 'Делим запросы ServiceA между ServiceB и ServiceC: 90/10, 50/50, 10/90 и 100 %.',
      },
      {
        id: 'scenarios/egress',
        label: 'Egress',
        summary: 'Три подхода к исходящему трафику и единый egress-шлюз для всего namespace.',
      },
    ],
  },
  {
    label: 'Практика',
    lessons: [
      {
        id: 'practice/resilience',
        label: 'Отказоустойчивость',
        summary: 'Повторы, таймауты, внедрение сбоев, circuit breaker и outlier detection на сломанном нарочно сервисе.',
      },
      {
        id: 'practice/mtls',
        label: 'mTLS',
        summary: 'От PERMISSIVE к STRICT: namespace, рабочая нагрузка и порт, клиент вне mesh и ошибка в DestinationRule.',
      },
      {
        id: 'practice/authorization',
        label: 'Авторизация',
        summary: 'AuthorizationPolicy: запрет по умолчанию, ALLOW и DENY по principal, namespace, пути и методу, JWT и requestPrincipals.',
      },
      {
        id: 'practice/tls-ingress',
        label: 'TLS на входе',
        summary: 'Свой CA и сертификаты из openssl, Gateway в режимах SIMPLE и MUTUAL, httpsRedirect и ошибки, которые видит curl.',
      },
      {
        id: 'practice/tls-egress',
        label: 'TLS на выходе',
        summary: 'Приложение ходит по http://, а наружу уходит HTTPS: TLS origination в sidecar и на egress-шлюзе, двойной TLS и его следы в журналах.',
      },
      {
        id: 'practice/rate-limit',
        label: 'Ограничение частоты',
        summary: 'Локальный лимит запросов через EnvoyFilter в sidecar и на шлюзе: 429, флаг RL, счётчики и теневой режим.',
      },
      {
        id: 'practice/observability',
        label: 'Наблюдаемость и отладка',
        summary: 'Журнал доступа через Telemetry, x-request-id, счётчики Envoy и поиск поломки по флагам ответа и istioctl proxy-config.',
      },
    ],
  },
  {
    label: 'Справочник',
    lessons: [
      {
        id: 'commands',
        label: 'Полезные команды',
        summary: 'Адрес ingress-шлюза, журналы прокси, проверка конфигурации.',
      },
    ],
  },
];

export const lessons: Lesson[] = course.flatMap((section) => section.lessons);
