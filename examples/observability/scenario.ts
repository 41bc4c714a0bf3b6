/**
 * The scenario of the observability lesson: its start state, its steps and their checks, read by
 * the terminal (setup), the step checks and the scenario tests alike. Istio starts without access
 * logging: the lesson turns it on with the Telemetry API.
 */
import { exists, running, type Scenario } from '../../src/terminal/scenarioKit';

const ORDERS_LOG = 'kubectl logs deploy/orders -n store -c istio-proxy --tail=-1';
const CLIENT_LOG = 'kubectl logs deploy/client -n store -c istio-proxy --tail=-1';
const CALL = "kubectl exec deploy/client -n store -- curl -s -o /dev/null -w '%{http_code}' http://orders:8000/status/200";

export const scenario: Scenario = {
  id: 'observability',
  lesson: 'docs/practice/observability.mdx',
  title: 'Наблюдаемость и отладка',
  setup: ['istioctl install -y'],
  steps: [
    {
      id: 'setup',
      title: 'Шаг 1. Сервис orders и клиент',
      probes: [
        running('store', 'orders', '2/2', 'Под orders не работает с sidecar: примените examples/observability/namespace.yaml и orders.yaml.'),
        running('store', 'client', '2/2', 'Под client не работает: примените examples/observability/client.yaml.'),
      ],
    },
    {
      id: 'access-log',
      title: 'Шаг 2. Журнал доступа через Telemetry',
      probes: [
        exists('telemetry', 'access-log', 'store', 'В namespace store нет Telemetry access-log: примените examples/observability/telemetry-access-log.yaml.'),
        {
          command: ORDERS_LOG,
          expect: '"GET /status/200 HTTP/1.1" 200 ',
          missing: 'В журнале sidecar orders нет запроса: отправьте запрос из пода client после того, как применили Telemetry.',
        },
      ],
    },
    {
      id: 'filter',
      title: 'Шаг 3. Фильтр и отключение журнала',
      probes: [
        {
          command: "kubectl get telemetry access-log -n store -o jsonpath='{.spec.accessLogging[0].filter.expression}'",
          expect: '^response\\.code >= 400$',
          missing: 'В Telemetry access-log нет фильтра response.code >= 400: примените examples/observability/telemetry-errors-only.yaml.',
        },
        exists('telemetry', 'client-no-log', 'store', 'Нет Telemetry client-no-log: примените examples/observability/telemetry-client-off.yaml.'),
        { command: ORDERS_LOG, expect: '"GET /status/503 HTTP/1.1" 503 ', missing: 'В журнале orders нет ответа 503: отправьте три запроса из шага.' },
      ],
    },
    {
      id: 'json',
      title: 'Шаг 4. JSON вместо текста',
      probes: [
        {
          command: "kubectl -n istio-system get configmap istio -o jsonpath='{.data.mesh}'",
          expect: 'accessLogEncoding: JSON',
          missing: 'Журнал всё ещё в текстовом формате: переустановите Istio с --set meshConfig.accessLogEncoding=JSON.',
        },
        { command: ORDERS_LOG, expect: '"response_code":500', missing: 'В журнале orders нет JSON-записи об ответе 500: отправьте запрос на /status/500.' },
      ],
    },
    {
      id: 'request-id',
      title: 'Шаг 5. x-request-id и заголовки трассировки',
      probes: [
        {
          command: ORDERS_LOG,
          expect: '"request_id":"order-42"',
          missing: 'В журнале orders нет запроса с x-request-id: order-42: отправьте его командой из шага.',
        },
      ],
    },
    {
      id: 'stats',
      title: 'Шаг 6. Статистика Envoy',
      probes: [
        {
          command: "kubectl exec deploy/client -n store -c istio-proxy -- pilot-agent request GET stats | grep 'orders.store.svc.cluster.local.upstream_rq_5xx:'",
          expect: 'upstream_rq_5xx: [1-9]',
          missing: 'Sidecar клиента не насчитал ни одного ответа 5xx от orders: отправьте запросы из предыдущих шагов.',
        },
      ],
    },
    {
      id: 'debug',
      title: 'Шаг 7. Поломка: маршрут в несуществующий subset',
      probes: [
        {
          command: CLIENT_LOG,
          expect: '"response_code_details":"cluster_not_found"',
          missing: 'В журнале клиента нет ответа 503 NC: удалите Telemetry client-no-log, примените destination-rule-stable.yaml и отправьте запрос.',
        },
        {
          command: "kubectl get destinationrule orders -n store -o jsonpath='{.spec.subsets[*].name}'",
          expect: '^v1$',
          missing: 'В DestinationRule orders нет subset v1, куда ведёт VirtualService: примените destination-rule.yaml.',
        },
        { command: CALL, expect: '^200$', missing: 'Клиент не получает 200 от orders.' },
      ],
    },
    {
      id: 'challenge',
      title: 'Задание. Сервис без endpoint',
      probes: [
        {
          command: CLIENT_LOG,
          expect: '"response_code_details":"no_healthy_upstream"',
          missing: 'Поломка ещё не воспроизведена: примените challenge-service.yaml и отправьте запрос.',
        },
        { command: CALL, expect: '^200$', missing: 'orders всё ещё отвечает 503: у sidecar клиента нет ни одного endpoint для orders.' },
      ],
      solution: ['kubectl apply -f examples/observability/orders.yaml'],
    },
  ],
};
