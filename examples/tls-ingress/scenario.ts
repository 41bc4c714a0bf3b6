/**
 * The scenario of the TLS-at-the-ingress lesson: its start state, its steps and their checks, read
 * by the terminal (setup), the step checks and the scenario tests alike.
 */
import { ACCESS_LOG, GW, running, type Scenario } from '../../src/terminal/scenarioKit';

/** curl to pay.example.com through the gateway: the name in SNI and Host, the address of the gateway. */
const CURL = `curl -s -o /dev/null -w '%{http_code}' -HHost:pay.example.com --resolve "pay.example.com:443:${GW}" --cacert example.com.crt`;
const WITH_CLIENT_CERT = '--cert partner.example.com.crt --key partner.example.com.key';

export const scenario: Scenario = {
  id: 'tls-ingress',
  lesson: 'docs/practice/tls-ingress.mdx',
  title: 'TLS на входе',
  setup: [ACCESS_LOG],
  steps: [
    {
      id: 'setup',
      title: 'Шаг 1. Сервис payments',
      probes: [running('pay', 'payments', '2/2', 'Под payments не работает с sidecar: примените examples/tls-ingress/namespace.yaml и payments.yaml.')],
    },
    {
      id: 'certificates',
      title: 'Шаг 2. CA и сертификат сервера',
      probes: [
        {
          command: 'openssl verify -CAfile example.com.crt pay.example.com.crt',
          expect: '^pay\\.example\\.com\\.crt: OK$',
          missing: 'Нет сертификата pay.example.com.crt, подписанного CA example.com.crt: выполните команды openssl из шага 2.',
        },
      ],
    },
    {
      id: 'simple',
      title: 'Шаг 3. SIMPLE',
      probes: [
        {
          command: 'kubectl get secret pay-credential -n istio-system -o name',
          missing: 'В namespace istio-system нет Secret pay-credential: создайте его командой kubectl create -n istio-system secret tls.',
        },
        {
          command: `${CURL} https://pay.example.com/`,
          expect: '^200$',
          missing: 'Шлюз не отвечает 200 по HTTPS для pay.example.com: примените gateway-simple.yaml и virtual-service.yaml.',
        },
      ],
    },
    {
      id: 'redirect',
      title: 'Шаг 4. httpsRedirect',
      probes: [
        {
          command: `curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -HHost:pay.example.com http://${GW}/`,
          expect: '^301 https://pay\\.example\\.com/$',
          missing: 'Шлюз не перенаправляет HTTP на HTTPS: примените gateway-redirect.yaml.',
        },
      ],
    },
    {
      id: 'mutual',
      title: 'Шаг 5. MUTUAL',
      probes: [
        {
          command: "kubectl get gateway pay-gateway -n pay -o jsonpath='{.spec.servers[1].tls.mode}'",
          expect: '^MUTUAL$',
          missing: 'Сервер 443 в pay-gateway ещё не в режиме MUTUAL: примените gateway-mutual.yaml.',
        },
        { command: `${CURL} https://pay.example.com/`, status: 56, missing: 'Шлюз пускает клиента без сертификата: проверьте режим MUTUAL и ca.crt в Secret pay-credential.' },
        {
          command: `${CURL} ${WITH_CLIENT_CERT} https://pay.example.com/`,
          expect: '^200$',
          missing: 'Клиент с сертификатом partner.example.com не получает 200: выпустите его сертификат и проверьте ca.crt в Secret pay-credential.',
        },
      ],
    },
    {
      id: 'challenge',
      title: 'Задание: HTTPS перестал работать',
      probes: [
        {
          command: `${CURL} ${WITH_CLIENT_CERT} https://pay.example.com/`,
          expect: '^200$',
          missing: 'Партнёр с сертификатом всё ещё не получает 200: у шлюза нет сертификата для pay.example.com.',
        },
        { command: `${CURL} https://pay.example.com/`, status: 56, missing: 'Шлюз пускает клиента без сертификата: режим должен остаться MUTUAL.' },
      ],
      solution: ['kubectl apply -f examples/tls-ingress/gateway-mutual.yaml'],
    },
  ],
};
