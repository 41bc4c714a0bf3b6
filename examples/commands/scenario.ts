/**
 * The terminal of the lesson «Полезные команды»: the sandbox starts where the scenarios
 * Ingress → ServiceA and ServiceA → ServiceB end (the state the lesson's sample output was taken
 * from), with the access log on.
 */
import { GW, running, type Scenario } from '../../src/terminal/scenarioKit';
import { finalState as serviceAServiceB } from '../service-a-service-b/scenario';

export const scenario: Scenario = {
  id: 'commands',
  title: 'Полезные команды',
  lesson: 'docs/commands.mdx',
  setup: [...serviceAServiceB],
  steps: [
    {
      id: 'gateway-url',
      title: 'Адрес ingress-шлюза в GATEWAY_URL',
      probes: [
        {
          command: 'echo "$GATEWAY_URL"',
          expect: '^\\d+\\.\\d+\\.\\d+\\.\\d+:80$',
          missing: 'Переменная GATEWAY_URL ещё не задана: выполните команды export из раздела «Есть балансировщик с IP-адресом», а затем export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT.',
        },
      ],
    },
    {
      id: 'service-b-back',
      title: 'Сбой UH найден, ServiceB снова работает',
      probes: [
        {
          command: 'kubectl logs deploy/service-a -n demo -c istio-proxy --tail=-1',
          expect: '" 503 UH no_healthy_upstream ',
          missing: 'В журнале sidecar service-a ещё нет строки 503 UH: уберите поды service-b (kubectl scale … --replicas=0) и отправьте запрос через шлюз.',
        },
        running('demo', 'service-b-app', '2/2', 'Под service-b не работает: верните его командой kubectl scale deploy/service-b -n demo --replicas=1.'),
        { command: `curl -s -o /dev/null -w '%{http_code}' http://${GW}/`, expect: '^200$', missing: 'Запрос через шлюз ещё не получает 200.' },
      ],
    },
  ],
};
