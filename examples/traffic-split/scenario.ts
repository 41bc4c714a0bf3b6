/**
 * The scenario of this lesson: its start state, its steps and their checks, read by the
 * terminal (setup), the step checks and the scenario tests alike.
 */
import { GW, exists, running, type Scenario } from '../../src/terminal/scenarioKit';
import { finalState as serviceAServiceB } from '../service-a-service-b/scenario';

const series = (n: number): string => `for i in $(seq 1 ${n}); do curl -s http://${GW}/ | grep -o '"name": "service-[bc]"'; done`;

export const scenario: Scenario = {
  id: 'traffic-split',
  lesson: 'docs/scenarios/traffic-split.mdx',
  title: 'Разделение трафика',
  setup: [...serviceAServiceB],
  steps: [
    {
      id: 'service-c',
      title: 'Шаг 1. ServiceC',
      probes: [
        running('demo', 'service-c-app', '2/2', 'Под service-c не работает с sidecar: примените examples/traffic-split/service-c.yaml.'),
        exists('service', 'service-c', 'demo', 'Нет Service service-c: примените examples/traffic-split/service.yaml.'),
      ],
    },
    {
      id: 'split',
      title: 'Шаг 2. Трафик делится между ServiceB и ServiceC',
      probes: [
        {
          command: 'kubectl get virtualservice producer-internal-host -n demo -o yaml',
          expect: 'host: service-c',
          missing: 'VirtualService producer-internal-host ещё не отправляет трафик на service-c: примените virtual-service-90-10.yaml.',
        },
        { command: series(40), expect: 'service-b', missing: 'За 40 запросов ни один не дошёл до ServiceB.' },
        { command: series(40), expect: 'service-c', missing: 'За 40 запросов ни один не дошёл до ServiceC.' },
      ],
    },
    {
      id: 'all-to-c',
      title: 'Шаг 3. 100 % на ServiceC',
      probes: [{ command: series(20), expect: 'service-c', reject: 'service-b', missing: 'Часть запросов ещё идёт на ServiceB: примените virtual-service-0-100.yaml.' }],
    },
  ],
};

/** The state this lesson ends in: the next lesson starts from it. */
export const finalState: string[] = [
  ...serviceAServiceB,
  'kubectl apply -f examples/traffic-split/service-c.yaml -f examples/traffic-split/service.yaml',
  'kubectl apply -f examples/traffic-split/virtual-service-0-100.yaml',
];
