/**
 * The scenario of this lesson: its start state, its steps and their checks, read by the
 * terminal (setup), the step checks and the scenario tests alike.
 */
import { GW, exists, running, type Scenario } from '../../src/terminal/scenarioKit';
import { finalState as trafficSplit } from '../traffic-split/scenario';

export const scenario: Scenario = {
  id: 'egress',
  lesson: 'docs/scenarios/egress.mdx',
  title: 'Egress',
  setup: [...trafficSplit],
  steps: [
    {
      id: 'client',
      title: 'Подготовка: клиент',
      probes: [running('demo', 'client', '2/2', 'Под client не работает: примените examples/egress/client.yaml.')],
    },
    {
      id: 'registry-only',
      title: 'Подход 2. REGISTRY_ONLY и ServiceEntry',
      probes: [
        {
          command: "kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}'",
          expect: 'mode: REGISTRY_ONLY',
          missing: 'Политика исходящего трафика ещё ALLOW_ANY: выполните istioctl install с meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY.',
        },
        exists('serviceentry', 'httpbin-ext', 'demo', 'Нет ServiceEntry httpbin-ext: примените examples/egress/service-entry.yaml.'),
        {
          command: "kubectl exec deploy/client -n demo -c curl -- curl -s -o /dev/null -w '%{http_code}' http://httpbin.org/get",
          expect: '^200$',
          missing: 'Клиент пока не получает 200 от httpbin.org.',
        },
      ],
    },
    {
      id: 'service-ext',
      title: 'Подход 3. Внешняя система и ServiceC',
      probes: [
        running('external-cluster', 'service-ext-app', '1/1', 'Под service-ext не работает: примените external-namespace.yaml и service-ext.yaml.'),
        exists('virtualservice', 'service-ext', 'external-cluster', 'Нет VirtualService service-ext: примените examples/egress/ingress-route.yaml.'),
        { command: 'kubectl get deployment service-c -n demo -o yaml', expect: 'service-ext', missing: 'ServiceC ещё не вызывает внешнюю систему: примените examples/egress/service-c.yaml.' },
      ],
    },
    {
      id: 'egress-gateway',
      title: 'Подход 3. Путь через egress-шлюз',
      probes: [
        { command: 'kubectl get pods -n istio-system -l istio=egressgateway', expect: '1/1\\s+Running', missing: 'Egress-шлюз не запущен: выполните istioctl install с components.egressGateways[0].enabled=true.' },
        exists('gateway', 'istio-egressgateway', 'demo', 'Нет Gateway istio-egressgateway: примените examples/egress/egress-gateway.yaml.'),
        exists('virtualservice', 'direct-through-egress-gateway', 'demo', 'Нет VirtualService direct-through-egress-gateway: примените examples/egress/egress-virtual-service.yaml.'),
        { command: `curl -s http://${GW}/`, expect: '"name": "service-ext"', missing: 'Запрос через ingress ещё не доходит до service-ext.' },
        {
          command: 'kubectl logs -l istio=egressgateway -n istio-system -c istio-proxy --tail=-1',
          expect: 'outbound\\|80\\|\\|istio-ingressgateway',
          missing: 'В журнале egress-шлюза нет запроса к внешней системе: вызовы ServiceC ещё идут мимо него.',
        },
      ],
    },
  ],
};
