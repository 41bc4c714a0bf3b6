/**
 * The scenario of the mTLS lesson: its start state, its steps and their checks, read by the
 * terminal (setup), the step checks and the scenario tests alike.
 */
import { ACCESS_LOG, exists, running, type Scenario } from '../../src/terminal/scenarioKit';

const LEDGER_LOG = 'kubectl logs deploy/ledger -n bank -c istio-proxy --tail=-1';
const FROM_LEGACY = 'kubectl exec deploy/client -n legacy -- curl -s -o /dev/null';
const FROM_MESH = "kubectl exec deploy/client -n bank -- curl -s -o /dev/null -w '%{http_code}' http://ledger.bank:9090/";

export const scenario: Scenario = {
  id: 'mtls',
  lesson: 'docs/practice/mtls.mdx',
  title: 'mTLS',
  setup: [ACCESS_LOG],
  steps: [
    {
      id: 'setup',
      title: 'Шаг 1. Сервис и два клиента',
      probes: [
        running('bank', 'ledger', '3/3', 'Под ledger не работает с sidecar (READY 3/3): примените examples/mtls/namespaces.yaml и ledger.yaml.'),
        running('bank', 'client', '2/2', 'Под client в namespace bank не работает: примените examples/mtls/client-mesh.yaml.'),
        running('legacy', 'client', '1/1', 'Под client в namespace legacy не работает: примените examples/mtls/client-legacy.yaml.'),
      ],
    },
    {
      id: 'permissive',
      title: 'Шаг 2. PERMISSIVE',
      probes: [
        {
          command: LEDGER_LOG,
          expect: 'inbound\\|9090\\|\\| \\S+ \\S+ \\S+ outbound_\\.9090_\\._\\.ledger\\.bank\\.svc\\.cluster\\.local ',
          missing: 'В журнале ledger нет запроса по mTLS: отправьте запрос из пода client в namespace bank.',
        },
        {
          command: LEDGER_LOG,
          expect: 'inbound\\|9090\\|\\| \\S+ \\S+ \\S+ - default$',
          missing: 'В журнале ledger нет запроса открытым текстом: отправьте запрос из пода client в namespace legacy.',
        },
      ],
    },
    {
      id: 'strict',
      title: 'Шаг 3. STRICT для namespace',
      probes: [
        {
          command: "kubectl get peerauthentication default -n bank -o jsonpath='{.spec.mtls.mode}'",
          expect: '^STRICT$',
          missing: 'В namespace bank нет PeerAuthentication default с режимом STRICT: примените peer-authentication-strict.yaml.',
        },
        { command: `${FROM_LEGACY} http://ledger.bank:9090/`, status: 56, missing: 'Клиент вне mesh всё ещё получает ответ от ledger на порту 9090.' },
        { command: FROM_MESH, expect: '^200$', missing: 'Клиент из mesh не получает 200 от ledger.' },
      ],
    },
    {
      id: 'port-level',
      title: 'Шаг 4. portLevelMtls',
      probes: [
        exists('peerauthentication', 'ledger', 'bank', 'Нет PeerAuthentication ledger: примените examples/mtls/peer-authentication-ledger.yaml.'),
        {
          command: `${FROM_LEGACY} -w '%{http_code}' http://ledger.bank:9102/`,
          expect: '^200$',
          missing: 'Клиент вне mesh не получает метрики с порта 9102: проверьте portLevelMtls в PeerAuthentication ledger.',
        },
        { command: `${FROM_LEGACY} http://ledger.bank:9090/`, status: 56, missing: 'Порт 9090 ledger снова принимает открытый текст: он должен остаться STRICT.' },
      ],
    },
    {
      id: 'destination-rule',
      title: 'Шаг 5. DestinationRule и ISTIO_MUTUAL',
      probes: [
        {
          command: 'kubectl logs deploy/client -n bank -c istio-proxy --tail=-1',
          expect: '" 503 UC ',
          missing: 'Клиент из mesh ещё не получал 503 UC: примените destination-rule-disable.yaml и отправьте запрос, чтобы увидеть поломку.',
        },
        {
          command: "kubectl get destinationrule ledger -n bank -o jsonpath='{.spec.trafficPolicy.tls.mode}'",
          expect: '^ISTIO_MUTUAL$',
          missing: 'DestinationRule ledger всё ещё выключает mTLS: примените destination-rule-istio-mutual.yaml.',
        },
        { command: FROM_MESH, expect: '^200$', missing: 'Клиент из mesh не получает 200 от ledger.' },
      ],
    },
    {
      id: 'challenge',
      title: 'Задание: метрики ledger пропали',
      probes: [
        {
          command: `${FROM_LEGACY} -w '%{http_code}' http://ledger.bank:9102/`,
          expect: '^200$',
          missing: 'Клиент вне mesh не получает ответ с порта 9102: политика ledger не действует на под, и работает STRICT из политики namespace.',
        },
        { command: `${FROM_LEGACY} http://ledger.bank:9090/`, status: 56, missing: 'Порт 9090 ledger принимает открытый текст: он должен остаться STRICT.' },
        { command: FROM_MESH, expect: '^200$', missing: 'Клиент из mesh не получает 200 от ledger.' },
      ],
      // the policy of step 4, whose selector matches the pod
      solution: ['kubectl apply -f examples/mtls/peer-authentication-ledger.yaml'],
    },
  ],
};
