/**
 * The scenario of this lesson: its start state, its steps and their checks, read by the
 * terminal (setup), the step checks and the scenario tests alike.
 */
import { GW, exists, running, type Scenario } from '../../src/terminal/scenarioKit';
import { finalState as ingressServiceA } from '../ingress-service-a/scenario';

export const scenario: Scenario = {
  id: 'service-a-service-b',
  lesson: 'docs/scenarios/service-a-service-b.mdx',
  title: 'Ingress → ServiceA → ServiceB',
  setup: [...ingressServiceA],
  steps: [
    {
      id: 'service-b',
      title: 'Шаг 1. ServiceB и producer-internal-host',
      probes: [
        running('demo', 'service-b-app', '2/2', 'Под service-b не работает с sidecar: примените examples/service-a-service-b/service-b.yaml.'),
        exists('service', 'producer-internal-host', 'demo', 'Нет Service producer-internal-host: примените examples/service-a-service-b/service.yaml.'),
      ],
    },
    {
      id: 'virtual-service',
      title: 'Шаг 2. VirtualService внутри mesh',
      probes: [exists('virtualservice', 'producer-internal-host', 'demo', 'Нет VirtualService producer-internal-host: примените examples/service-a-service-b/virtual-service.yaml.')],
    },
    {
      id: 'service-a-calls-b',
      title: 'Шаг 3. ServiceA вызывает ServiceB',
      probes: [
        {
          command: 'kubectl get deployment service-a -n demo -o yaml',
          expect: 'http://producer-internal-host',
          missing: 'ServiceA ещё не знает о ServiceB: примените examples/service-a-service-b/service-a.yaml.',
        },
      ],
    },
    {
      id: 'chain',
      title: 'Шаг 4. Цепочка ServiceA → ServiceB',
      probes: [{ command: `curl -s http://${GW}/`, expect: '"name": "service-b"', missing: 'В ответе через ingress нет вызова ServiceB.' }],
    },
  ],
};

/** The state this lesson ends in: the next lesson starts from it. */
export const finalState: string[] = [...ingressServiceA, 'kubectl apply -f examples/service-a-service-b/'];
