/**
 * The terminal of the lesson «DestinationRule»: the sandbox as it starts; the learner deploys
 * payments (three good pods and a faulty one) and a client in namespace billing, then turns on
 * outlier detection and a small connection pool.
 */
import { exists, running, type Scenario } from '../../src/terminal/scenarioKit';

export const scenario: Scenario = {
  id: 'destination-rule',
  title: 'DestinationRule',
  lesson: 'docs/destination-rule.mdx',
  setup: [],
  steps: [
    {
      id: 'apps',
      title: 'Шаг 1. payments, сломанный под и клиент',
      probes: [
        {
          command: 'kubectl get pods -n billing -l track=stable',
          expect: '2/2\\s+Running',
          atLeast: 3,
          missing: 'Не все три пода payments работают с sidecar: примените namespace.yaml, payments.yaml и service.yaml из examples/destination-rule/. Если манифест уже применён, поды ещё запускаются: подождите несколько секунд и проверьте снова.',
        },
        {
          command: 'kubectl get pods -n billing -l track=faulty',
          expect: '2/2\\s+Running',
          missing: 'Под payments-faulty не работает: примените examples/destination-rule/payments-faulty.yaml. Если манифест уже применён, под ещё запускается: подождите несколько секунд и проверьте снова.',
        },
        running('billing', 'client', '2/2', 'Под client не работает: примените examples/destination-rule/client.yaml.'),
        exists('virtualservice', 'payments', 'billing', 'Нет VirtualService payments без повторов: примените examples/destination-rule/virtual-service.yaml.'),
      ],
    },
    {
      id: 'outlier-detection',
      title: 'Шаг 3. Outlier detection и пул соединений',
      probes: [
        {
          command: 'kubectl get destinationrule payments -n billing -o yaml',
          expect: 'consecutive5xxErrors: 3',
          missing: 'Нет DestinationRule payments с outlierDetection: примените examples/destination-rule/destination-rule.yaml.',
        },
      ],
    },
  ],
};
