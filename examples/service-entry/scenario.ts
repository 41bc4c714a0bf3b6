/**
 * The terminal of the lesson «ServiceEntry»: the sandbox as it starts (ALLOW_ANY); the learner
 * adds example.com to the registry with its rules, then turns on REGISTRY_ONLY for one namespace.
 * The sandbox answers for example.com and example.org itself, so no internet access is needed.
 */
import { exists, running, type Scenario } from '../../src/terminal/scenarioKit';

const code = (url: string): string => `kubectl -n integrations exec deploy/client -- curl -s -o /dev/null -w "%{http_code}" ${url}`;

export const scenario: Scenario = {
  id: 'service-entry',
  title: 'ServiceEntry',
  lesson: 'docs/service-entry.mdx',
  setup: [],
  steps: [
    {
      id: 'client',
      title: 'Шаг 1. Клиент',
      probes: [running('integrations', 'client', '2/2', 'Под client не работает с sidecar: примените examples/service-entry/namespace.yaml и examples/service-entry/client.yaml.')],
    },
    {
      id: 'service-entry',
      title: 'Шаг 2. ServiceEntry, VirtualService и DestinationRule',
      probes: [
        exists('serviceentry', 'example-com', 'integrations', 'Нет ServiceEntry example-com: примените examples/service-entry/service-entry.yaml.'),
        exists('virtualservice', 'example-com', 'integrations', 'Нет VirtualService example-com: примените examples/service-entry/virtual-service.yaml.'),
        exists('destinationrule', 'example-com', 'integrations', 'Нет DestinationRule example-com: примените examples/service-entry/destination-rule.yaml.'),
        {
          command: 'istioctl proxy-config cluster deploy/client -n integrations --fqdn example.com',
          expect: 'example\\.com\\s+80\\s+-\\s+outbound\\s+STRICT_DNS',
          missing: 'У sidecar клиента ещё нет cluster для example.com.',
        },
      ],
    },
    {
      id: 'registry-only',
      title: 'Шаг 3. REGISTRY_ONLY в namespace integrations',
      probes: [
        exists('sidecar', 'default', 'integrations', 'Нет Sidecar default в namespace integrations: примените examples/service-entry/sidecar-registry-only.yaml.'),
        { command: code('http://example.org/'), expect: '^502$', missing: 'Запрос к example.org, которого нет в реестре, ещё не отклоняется.' },
        { command: code('http://example.com/'), expect: '^200$', missing: 'example.com из реестра не отвечает 200.' },
      ],
    },
  ],
};
