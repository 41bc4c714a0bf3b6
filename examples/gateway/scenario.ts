/**
 * The terminal of the lesson «Gateway»: the sandbox as it starts (Istio with its ingress gateway);
 * the learner deploys web in namespace shop, opens example.com on the gateway and then HTTPS.
 */
import { GW, exists, running, type Scenario } from '../../src/terminal/scenarioKit';

export const scenario: Scenario = {
  id: 'gateway',
  title: 'Gateway',
  lesson: 'docs/gateway.mdx',
  setup: [],
  steps: [
    {
      id: 'web',
      title: 'Шаг 1. Приложение web',
      probes: [
        running('shop', 'web', '2/2', 'Под web не работает с sidecar (READY 2/2): примените examples/gateway/namespace.yaml и examples/gateway/web.yaml.'),
        exists('service', 'web', 'shop', 'Нет Service web в namespace shop: примените examples/gateway/web.yaml.'),
      ],
    },
    {
      id: 'gateway',
      title: 'Шаг 2. Gateway открывает порт',
      probes: [
        exists('gateway', 'example-gateway', 'shop', 'Нет Gateway example-gateway в namespace shop: примените examples/gateway/gateway.yaml.'),
        {
          command: 'istioctl proxy-config listeners deploy/istio-ingressgateway -n istio-system',
          expect: '8080\\s+ALL\\s+Route: http\\.8080',
          missing: 'У ingress-шлюза ещё нет listener на порту 8080.',
        },
      ],
    },
    {
      id: 'virtual-service',
      title: 'Шаг 3. VirtualService и ответ web',
      probes: [
        exists('virtualservice', 'web', 'shop', 'Нет VirtualService web в namespace shop: примените examples/gateway/virtual-service.yaml.'),
        { command: `curl -s -H "Host: example.com" http://${GW}/`, expect: '"name": "web"', missing: 'Запрос с Host: example.com ещё не доходит до web.' },
      ],
    },
    {
      id: 'https',
      title: 'Шаг 4. HTTPS',
      probes: [
        exists('secret', 'example-com-cert', 'istio-system', 'Нет Secret example-com-cert в namespace istio-system: создайте его командой kubectl create secret tls.'),
        {
          command: 'kubectl get gateway example-gateway -n shop -o yaml',
          expect: 'credentialName: example-com-cert',
          missing: 'Gateway example-gateway ещё не открывает HTTPS: примените examples/gateway/gateway-https.yaml.',
        },
      ],
    },
  ],
};
