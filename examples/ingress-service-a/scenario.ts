/**
 * The scenario of this lesson: its start state, its steps and their checks, read by the
 * terminal (setup), the step checks and the scenario tests alike.
 */
import { GW, ACCESS_LOG, EXPORT_INGRESS, exists, running, type Scenario } from '../../src/terminal/scenarioKit';

export const scenario: Scenario = {
  id: 'ingress-service-a',
  lesson: 'docs/scenarios/ingress-service-a.mdx',
  title: 'Ingress → ServiceA',
  // A fresh `default` profile, as the lesson's step 0 expects: the access log is off until the learner turns it on
  // (istio/istio manifests/profiles/default.yaml sets no meshConfig.accessLogFile).
  setup: ['istioctl install -y'],
  steps: [
    {
      id: 'access-log',
      title: 'Шаг 0. Журнал доступа',
      probes: [
        {
          command: "kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}'",
          expect: 'accessLogFile: /dev/stdout',
          missing: 'Журнал доступа ещё выключен: выполните istioctl install -y --set meshConfig.accessLogFile=/dev/stdout.',
        },
      ],
    },
    {
      id: 'namespace',
      title: 'Шаг 1. Namespace demo',
      probes: [
        {
          command: "kubectl get namespace demo -o jsonpath='{.metadata.labels.istio-injection}'",
          expect: '^enabled$',
          missing: 'Нет namespace demo с меткой istio-injection: enabled: примените examples/ingress-service-a/namespace.yaml.',
        },
      ],
    },
    {
      id: 'service-a',
      title: 'Шаг 2. ServiceA',
      probes: [
        running('demo', 'service-a-app', '2/2', 'Под service-a не работает с sidecar (READY 2/2): примените service-a.yaml.'),
        exists('service', 'service-a', 'demo', 'Нет Service service-a в namespace demo: примените examples/ingress-service-a/service.yaml.'),
      ],
    },
    {
      id: 'gateway',
      title: 'Шаг 3. Gateway',
      probes: [exists('gateway', 'demo-gateway', 'demo', 'Нет Gateway demo-gateway: примените examples/ingress-service-a/gateway.yaml.')],
    },
    {
      id: 'virtual-service',
      title: 'Шаг 4. VirtualService и ответ ServiceA',
      probes: [
        exists('virtualservice', 'service-a', 'demo', 'Нет VirtualService service-a: примените examples/ingress-service-a/virtual-service.yaml.'),
        { command: `curl -s http://${GW}/`, expect: '"name": "service-a"', missing: 'Запрос через ingress-шлюз ещё не доходит до ServiceA.' },
      ],
    },
  ],
};

/** The state this lesson ends in: the next lesson starts from it. */
export const finalState: string[] = [
  ACCESS_LOG,
  'kubectl apply -f examples/ingress-service-a/namespace.yaml',
  'kubectl apply -f examples/ingress-service-a/',
  EXPORT_INGRESS,
];
