/**
 * The scenario of the resilience lesson: its start state, its steps and their checks, read by
 * the terminal (setup), the step checks and the scenario tests alike.
 */
import { ACCESS_LOG, running, type Scenario } from '../../src/terminal/scenarioKit';

/** The client sidecar's Envoy counters, with the cluster.outbound ones its annotation keeps. */
const CLIENT_STATS = 'kubectl exec deploy/client -n shop -c istio-proxy -- pilot-agent request GET stats';

export const scenario: Scenario = {
  id: 'resilience',
  lesson: 'docs/practice/resilience.mdx',
  title: 'Отказоустойчивость',
  setup: [ACCESS_LOG],
  steps: [
    {
      id: 'setup',
      title: 'Шаг 1. Сервис inventory и клиенты',
      probes: [
        running('shop', 'inventory', '2/2', 'Поды inventory не работают с sidecar: примените examples/resilience/namespace.yaml и inventory.yaml.'),
        running('shop', 'client', '2/2', 'Под client не работает: примените examples/resilience/client.yaml.'),
        running('shop', 'fortio', '2/2', 'Под fortio не работает: примените examples/resilience/fortio.yaml.'),
      ],
    },
    {
      id: 'retries',
      title: 'Шаг 2. Повторы',
      probes: [
        {
          command: `${CLIENT_STATS} | grep 'inventory.*upstream_rq_retry:'`,
          expect: 'upstream_rq_retry: [1-9]',
          missing: 'Sidecar клиента ещё не повторял запросы к inventory: задайте ERROR_RATE, примените virtual-service-retries.yaml и отправьте запросы.',
        },
      ],
    },
    {
      id: 'no-retries',
      title: 'Шаг 2. attempts: 0',
      probes: [
        {
          command: 'kubectl get virtualservice inventory -n shop -o yaml',
          expect: 'attempts: 0',
          missing: 'В VirtualService inventory повторы ещё не выключены: примените virtual-service-no-retries.yaml.',
        },
        {
          command: 'kubectl get deployment inventory -n shop -o yaml',
          reject: 'ERROR_RATE',
          missing: 'inventory всё ещё отвечает ошибками: уберите переменные командой kubectl set env deployment/inventory -n shop ERROR_RATE- ERROR_CODE-.',
        },
      ],
    },
    {
      id: 'timeout',
      title: 'Шаг 3. Таймаут',
      probes: [
        {
          command: 'kubectl logs deploy/client -n shop -c istio-proxy --tail=-1',
          expect: '" 504 UT response_timeout ',
          missing: 'В журнале клиента нет запроса, прерванного по таймауту: замедлите inventory, примените virtual-service-timeout.yaml и отправьте запрос.',
        },
        {
          command: 'kubectl get deployment inventory -n shop -o yaml',
          reject: 'TIMING_50_PERCENTILE',
          missing: 'inventory всё ещё отвечает медленно: уберите переменную командой kubectl set env deployment/inventory -n shop TIMING_50_PERCENTILE-.',
        },
      ],
    },
    {
      id: 'fault',
      title: 'Шаг 4. Внедрение сбоев',
      probes: [
        {
          command: 'kubectl logs deploy/client -n shop -c istio-proxy --tail=-1',
          expect: '" 503 FI fault_filter_abort ',
          missing: 'В журнале клиента нет запроса, прерванного внедрённой ошибкой: примените virtual-service-fault.yaml и отправьте запрос с заголовком x-fault: abort.',
        },
        {
          command: 'kubectl logs deploy/client -n shop -c istio-proxy --tail=-1',
          expect: '" 200 DI ',
          missing: 'В журнале клиента нет задержанных запросов: отправьте несколько запросов без заголовка x-fault.',
        },
      ],
    },
    {
      id: 'circuit-breaker',
      title: 'Шаг 5. Circuit breaker',
      probes: [
        {
          command: "kubectl exec deploy/fortio -n shop -c istio-proxy -- pilot-agent request GET stats | grep 'inventory.*pending_overflow'",
          expect: 'upstream_rq_pending_overflow: [1-9]',
          missing: 'Пул соединений ещё не отказывал запросам fortio: примените destination-rule-circuit-breaker.yaml и запустите fortio load.',
        },
      ],
    },
    {
      id: 'outlier-detection',
      title: 'Шаг 6. Outlier detection',
      probes: [
        running('shop', 'inventory', '2/2', 'Поды inventory не работают.'),
        {
          command: 'kubectl get destinationrule inventory -n shop -o yaml',
          expect: 'consecutive5xxErrors: 3',
          missing: 'В DestinationRule inventory нет outlier detection: примените destination-rule-outlier-detection.yaml.',
        },
        {
          command: `${CLIENT_STATS} | grep 'inventory.*ejections_enforced_total'`,
          expect: 'ejections_enforced_total: [1-9]',
          missing: 'Sidecar клиента ещё не исключал ни одного пода: примените inventory-faulty.yaml и отправьте запросы.',
        },
      ],
    },
    {
      id: 'challenge',
      title: 'Задание: сломанная реплика снова получает запросы',
      probes: [
        {
          command: "kubectl get destinationrule -n shop -o jsonpath='{.items[*].spec.host}'",
          expect: '^inventory(\\.shop(\\.svc(\\.cluster\\.local)?)?)?$',
          missing: 'DestinationRule в namespace shop не относится к сервису inventory этого namespace: проверьте поле host.',
        },
        {
          command: `for i in $(seq 1 30); do kubectl exec deploy/client -n shop -- curl -s -o /dev/null http://inventory:9090/; done; istioctl proxy-config endpoints deploy/client -n shop --cluster 'outbound|9090||inventory.shop.svc.cluster.local'`,
          expect: 'HEALTHY +FAILED +outbound',
          missing: 'Sidecar клиента не исключает inventory-faulty после серии ответов 503: outlier detection к сервису не применяется.',
        },
      ],
      // the DestinationRule of step 6, whose host is the service in shop
      solution: ['kubectl apply -f examples/resilience/destination-rule-outlier-detection.yaml'],
    },
  ],
};
