/**
 * The terminal of the lesson «VirtualService»: the sandbox as it starts; the learner deploys two
 * versions of reviews and a client in namespace shop, then routes by rules, header and path.
 */
import { exists, running, type Scenario } from '../../src/terminal/scenarioKit';

const fromClient = (args: string): string => `kubectl -n shop exec deploy/client -- curl -s ${args}`;

export const scenario: Scenario = {
  id: 'virtual-service',
  title: 'VirtualService',
  lesson: 'docs/virtual-service.mdx',
  setup: [],
  steps: [
    {
      id: 'apps',
      title: 'Шаг 1. Две версии reviews и клиент',
      probes: [
        running('shop', 'reviews', '2/2', 'Поды reviews не работают с sidecar: примените namespace.yaml, reviews-v1.yaml, reviews-v2.yaml и service.yaml из examples/virtual-service/.'),
        { command: 'kubectl get pods -n shop -l app=reviews,version=v2', expect: '2/2\\s+Running', missing: 'Под reviews-v2 не работает: примените examples/virtual-service/reviews-v2.yaml.' },
        running('shop', 'client', '2/2', 'Под client не работает: примените examples/virtual-service/client.yaml.'),
      ],
    },
    {
      id: 'rules',
      title: 'Шаг 2. Правила маршрутизации',
      probes: [
        exists('destinationrule', 'reviews', 'shop', 'Нет DestinationRule reviews: примените examples/virtual-service/destination-rule.yaml.'),
        exists('virtualservice', 'reviews', 'shop', 'Нет VirtualService reviews: примените examples/virtual-service/virtual-service.yaml.'),
        { command: fromClient('-H "end-user: jason" http://reviews/'), expect: '"name": "reviews-v2"', missing: 'Запрос с заголовком end-user: jason ещё не попадает на v2.' },
        { command: `for i in 1 2 3 4 5 6; do ${fromClient('http://reviews/')} | grep '"name"'; done`, expect: 'reviews-v1', reject: 'reviews-v2', missing: 'Запросы без особых признаков ещё попадают не только на v1.' },
      ],
    },
  ],
};
