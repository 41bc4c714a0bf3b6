/**
 * The scenario of this lesson: its start state, its steps and their checks, read by the
 * terminal (setup), the step checks and the scenario tests alike.
 */
import { GW, exists, running, splitProbe, type Scenario } from '../../src/terminal/scenarioKit';
import { finalState as serviceAServiceB } from '../service-a-service-b/scenario';

/** Requests per split probe: enough that a 10 % destination is expected at least once (binomialRange's low ≥ 1). */
const SPLIT_BATCH = 60;
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
        // the counts must lie in the range the split chart of the «Трафик» view shows for 90/10
        splitProbe(series(SPLIT_BATCH), SPLIT_BATCH, 'service-b', 90, (low, high) => `Из ${SPLIT_BATCH} запросов ServiceB должен ответить от ${low} до ${high} раз (вес 90), а ответил иначе: примените virtual-service-90-10.yaml.`),
        splitProbe(series(SPLIT_BATCH), SPLIT_BATCH, 'service-c', 10, (low, high) => `Из ${SPLIT_BATCH} запросов ServiceC должен ответить от ${low} до ${high} раз (вес 10), а ответил иначе: примените virtual-service-90-10.yaml.`),
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
