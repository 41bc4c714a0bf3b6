/**
 * The scenario of the egress TLS lesson: its start state (the default profile with the access log
 * and an egress gateway), its steps and their checks, read by the terminal (setup), the step checks
 * and the scenario tests alike.
 */
import { exists, running, type Scenario } from '../../src/terminal/scenarioKit';

const CLIENT_LOG = 'kubectl logs deploy/client -n news -c istio-proxy --tail=-1';
const EGRESS_LOG = 'kubectl logs -l istio=egressgateway -n istio-system -c istio-proxy --tail=-1';
const CURL = "kubectl exec deploy/client -n news -- curl -s -o /dev/null -w '%{http_code}'";

export const scenario: Scenario = {
  id: 'tls-egress',
  lesson: 'docs/practice/tls-egress.mdx',
  title: 'TLS на выходе',
  setup: ['istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set "components.egressGateways[0].name=istio-egressgateway" --set "components.egressGateways[0].enabled=true"'],
  steps: [
    {
      id: 'setup',
      title: 'Шаг 1. Приложение, которое ходит по http://',
      probes: [
        running('news', 'client', '2/2', 'Под client не работает с sidecar (READY 2/2): примените examples/tls-egress/namespace.yaml и client.yaml.'),
        running('news', 'digest', '2/2', 'Под digest не работает с sidecar (READY 2/2): примените examples/tls-egress/digest.yaml.'),
      ],
    },
    {
      id: 'sidecar-origination',
      title: 'Шаг 2. TLS origination в sidecar',
      probes: [
        {
          command: "kubectl get serviceentry edition-cnn-com -n news -o jsonpath='{.spec.ports[0].targetPort}'",
          expect: '^443$',
          missing: 'Нет ServiceEntry edition-cnn-com, который отправляет порт 80 на порт 443 сайта: примените examples/tls-egress/service-entry.yaml.',
        },
        {
          command: CLIENT_LOG,
          expect: '"GET /politics HTTP/1\\.1" 200 .* "151\\.101\\.3\\.5:443" outbound\\|80\\|\\|edition\\.cnn\\.com ',
          missing: 'В журнале client нет запроса к http://edition.cnn.com, ушедшего на порт 443: примените destination-rule-sidecar.yaml и отправьте запрос.',
        },
        { command: `${CURL} http://digest.news:9090/`, expect: '^200$', missing: 'digest не получает 200: его вызов http://edition.cnn.com ещё не шифруется.' },
      ],
    },
    {
      id: 'double-tls',
      title: 'Задание: TLS поверх TLS',
      probes: [
        { command: `${CURL} https://edition.cnn.com/politics`, expect: '^200$', missing: 'Запрос https://edition.cnn.com всё ещё не проходит: sidecar заворачивает чужой TLS в свой.' },
        { command: `${CURL} http://edition.cnn.com/politics`, expect: '^200$', missing: 'Запрос http://edition.cnn.com не получает 200: TLS для порта 80 должен остаться.' },
      ],
      solution: ['kubectl apply -f examples/tls-egress/destination-rule-sidecar.yaml'],
    },
    {
      id: 'plaintext-port',
      title: 'Шаг 4. TLS на порт с открытым текстом',
      probes: [
        {
          command: CLIENT_LOG,
          expect: '" 503 UF,URX upstream_reset_before_response_started\\{remote_connection_failure\\|TLS_error:',
          missing: 'В журнале client нет ответа 503 UF,URX: примените service-entry-no-target-port.yaml и отправьте запрос, чтобы увидеть поломку.',
        },
        {
          command: "kubectl get serviceentry edition-cnn-com -n news -o jsonpath='{.spec.ports[0].targetPort}'",
          expect: '^443$',
          missing: 'У порта 80 в ServiceEntry edition-cnn-com нет targetPort: 443: примените examples/tls-egress/service-entry.yaml.',
        },
        { command: `${CURL} http://edition.cnn.com/politics`, expect: '^200$', missing: 'Запрос http://edition.cnn.com не получает 200.' },
      ],
    },
    {
      id: 'egress-gateway',
      title: 'Шаг 5. TLS origination на egress-шлюзе',
      probes: [
        exists('gateway', 'istio-egressgateway', 'news', 'Нет Gateway istio-egressgateway: примените examples/tls-egress/egress-gateway.yaml.'),
        exists('virtualservice', 'direct-cnn-through-egress-gateway', 'news', 'Нет VirtualService direct-cnn-through-egress-gateway: примените examples/tls-egress/virtual-service.yaml.'),
        {
          command: CLIENT_LOG,
          expect: '"GET /politics HTTP/1\\.1" 200 .* outbound\\|80\\|cnn\\|istio-egressgateway\\.istio-system\\.svc\\.cluster\\.local ',
          missing: 'В журнале client нет запроса, отправленного на egress-шлюз (outbound|80|cnn|istio-egressgateway…): отправьте запрос к http://edition.cnn.com/politics.',
        },
        {
          command: EGRESS_LOG,
          // the gateway's port 80 is named http2: the sidecar speaks HTTP/2 to it (istio.io egress-gateway-tls-origination shows "GET /politics HTTP/2")
          expect: '"GET /politics HTTP/2" 200 .* "151\\.101\\.3\\.5:443" outbound\\|443\\|\\|edition\\.cnn\\.com ',
          missing: 'В журнале egress-шлюза нет запроса к edition.cnn.com:443: примените destination-rule-egress.yaml и отправьте запрос.',
        },
        { command: `${CURL} http://digest.news:9090/`, expect: '^200$', missing: 'digest не получает 200 через egress-шлюз.' },
      ],
    },
  ],
};
