/**
 * The scenario of the rate-limit lesson: its start state, its steps and their checks, read by
 * the terminal (setup), the step checks and the scenario tests alike.
 */
import { ACCESS_LOG, exists, running, type Scenario } from '../../src/terminal/scenarioKit';

const CATALOG_LOG = 'kubectl logs deploy/catalog -n store -c istio-proxy --tail=-1';
/** A burst from the client: more requests than either catalog limit of the lesson lets through. */
const BURST = "for i in $(seq 1 12); do kubectl exec deploy/client -n store -- curl -s -o /dev/null -w '%{http_code}\\n' http://catalog:9090/; done";

export const scenario: Scenario = {
  id: 'rate-limit',
  lesson: 'docs/practice/rate-limit.mdx',
  title: 'Ограничение частоты',
  setup: [ACCESS_LOG],
  steps: [
    {
      id: 'setup',
      title: 'Шаг 1. Сервис catalog и клиенты',
      probes: [
        running('store', 'catalog', '2/2', 'Под catalog не работает с sidecar: примените examples/rate-limit/namespace.yaml и catalog.yaml.'),
        running('store', 'client', '2/2', 'Под client не работает: примените examples/rate-limit/client.yaml.'),
        running('store', 'fortio', '2/2', 'Под fortio не работает: примените examples/rate-limit/fortio.yaml.'),
      ],
    },
    {
      id: 'sidecar',
      title: 'Шаг 2. Лимит в sidecar',
      probes: [
        exists('envoyfilter', 'catalog-ratelimit', 'store', 'Нет EnvoyFilter catalog-ratelimit: примените examples/rate-limit/envoyfilter-catalog.yaml.'),
        {
          command: CATALOG_LOG,
          expect: '" 429 RL local_rate_limited ',
          missing: 'В журнале sidecar catalog нет отказа 429 с флагом RL: отправьте больше 10 запросов за 30 секунд (fortio load).',
        },
      ],
    },
    {
      id: 'shadow',
      title: 'Задание: лимит, который ничего не ограничивает',
      probes: [
        {
          command: "kubectl get envoyfilter catalog-ratelimit -n store -o jsonpath='{.spec.configPatches[0].patch.value.typed_config.filter_enforced.default_value.numerator}'",
          expect: '^100$',
          missing: 'filter_enforced в EnvoyFilter catalog-ratelimit всё ещё не 100 %: лимит считается, но не применяется.',
        },
        { command: BURST, expect: '429', missing: 'Серия из 12 запросов к catalog не получила ни одного 429.' },
      ],
      solution: [
        `kubectl patch envoyfilter catalog-ratelimit -n store --type=json -p '[{"op": "replace", "path": "/spec/configPatches/0/patch/value/typed_config/filter_enforced/default_value/numerator", "value": 100}]'`,
      ],
    },
    {
      id: 'gateway',
      title: 'Шаг 4. Лимит на ingress-шлюзе',
      probes: [
        exists('envoyfilter', 'ingress-ratelimit', 'istio-system', 'Нет EnvoyFilter ingress-ratelimit в istio-system: примените examples/rate-limit/envoyfilter-gateway.yaml.'),
        {
          command: 'kubectl logs deploy/istio-ingressgateway -n istio-system --tail=-1',
          expect: '" 429 RL local_rate_limited ',
          missing: 'В журнале ingress-шлюза нет отказа 429 с флагом RL: отправьте через шлюз больше 5 запросов за минуту.',
        },
      ],
    },
  ],
};
