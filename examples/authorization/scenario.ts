/**
 * The scenario of the authorization lesson: its start state, its steps and their checks, read by
 * the terminal (setup), the step checks and the scenario tests alike.
 */
import { ACCESS_LOG, exists, running, type Scenario } from '../../src/terminal/scenarioKit';

const ORDERS_LOG = 'kubectl logs deploy/orders -n shop -c istio-proxy --tail=-1';
const ORDERS = 'http://orders.shop:9090';
/** The HTTP status a client gets: `code('frontend', 'shop', '-X POST', '/api/orders')`. */
const code = (app: string, ns: string, args: string, path: string): string => `kubectl exec deploy/${app} -n ${ns} -- curl -s -o /dev/null -w '%{http_code}' ${args ? `${args} ` : ''}${ORDERS}${path}`;
const TOKEN = '$(curl -s https://raw.githubusercontent.com/istio/istio/release-1.29/security/tools/jwt/samples/demo.jwt)';

export const scenario: Scenario = {
  id: 'authorization',
  lesson: 'docs/practice/authorization.mdx',
  title: 'Авторизация',
  setup: [ACCESS_LOG],
  steps: [
    {
      id: 'setup',
      title: 'Шаг 1. Сервис orders и два клиента',
      probes: [
        running('shop', 'orders', '2/2', 'Под orders не работает с sidecar: примените examples/authorization/namespaces.yaml и orders.yaml.'),
        running('shop', 'frontend', '2/2', 'Под frontend не работает: примените examples/authorization/frontend.yaml.'),
        running('analytics', 'reports', '2/2', 'Под reports не работает: примените examples/authorization/reports.yaml.'),
      ],
    },
    {
      id: 'allow-nothing',
      title: 'Шаг 2. Запретить всё',
      probes: [
        exists('authorizationpolicy', 'allow-nothing', 'shop', 'В namespace shop нет AuthorizationPolicy allow-nothing: примените examples/authorization/allow-nothing.yaml.'),
        {
          command: ORDERS_LOG,
          expect: '" 403 - rbac_access_denied_matched_policy\\[none\\] ',
          missing: 'В журнале orders нет отказа 403: отправьте запрос к orders после того, как применили allow-nothing.yaml.',
        },
      ],
    },
    {
      id: 'allow',
      title: 'Шаг 3. ALLOW',
      probes: [
        exists('authorizationpolicy', 'orders-allow', 'shop', 'Нет AuthorizationPolicy orders-allow: примените examples/authorization/orders-allow.yaml.'),
        { command: code('frontend', 'shop', '', '/api/orders'), expect: '^200$', missing: 'frontend не получает 200 на GET /api/orders.' },
        { command: code('reports', 'analytics', '', '/api/orders'), expect: '^200$', missing: 'reports не получает 200 на GET /api/orders.' },
        { command: code('reports', 'analytics', '-X POST', '/api/orders'), expect: '^403$', missing: 'reports должен получать 403 на POST /api/orders: ему разрешено только чтение.' },
      ],
    },
    {
      id: 'wrong-principal',
      title: 'Задание: frontend снова в списке',
      probes: [
        { command: code('frontend', 'shop', '', '/api/orders'), expect: '^200$', missing: 'frontend по-прежнему получает отказ на GET /api/orders.' },
        { command: code('frontend', 'shop', '-X POST', '/api/orders'), expect: '^200$', missing: 'frontend по-прежнему получает отказ на POST /api/orders.' },
        { command: code('reports', 'analytics', '-X POST', '/api/orders'), expect: '^403$', missing: 'reports получил право создавать заказы: политика стала шире, чем нужно.' },
      ],
      solution: ['kubectl apply -f examples/authorization/orders-allow.yaml'],
    },
    {
      id: 'deny',
      title: 'Шаг 5. DENY',
      probes: [
        exists('authorizationpolicy', 'deny-export', 'shop', 'Нет AuthorizationPolicy deny-export: примените examples/authorization/deny-export.yaml.'),
        { command: code('reports', 'analytics', '', '/api/orders/export'), expect: '^403$', missing: 'reports всё ещё получает выгрузку /api/orders/export.' },
        { command: code('frontend', 'shop', '', '/api/orders/export'), expect: '^200$', missing: 'frontend не получает выгрузку /api/orders/export.' },
        {
          command: ORDERS_LOG,
          expect: 'rbac_access_denied_matched_policy\\[ns\\[shop\\]-policy\\[deny-export\\]-rule\\[0\\]\\]',
          missing: 'В журнале orders нет отказа по политике deny-export: запросите /api/orders/export из пода reports.',
        },
      ],
    },
    {
      id: 'jwt',
      title: 'Шаг 6. RequestAuthentication',
      probes: [
        exists('requestauthentication', 'orders-jwt', 'shop', 'Нет RequestAuthentication orders-jwt: примените examples/authorization/request-authentication.yaml.'),
        {
          command: ORDERS_LOG,
          expect: '" 401 - jwt_authn_access_denied\\{Jwt_verification_fails\\} ',
          missing: 'В журнале orders нет ответа 401 на подделанный токен: отправьте запрос с токеном $FORGED.',
        },
      ],
    },
    {
      id: 'request-principals',
      title: 'Шаг 7. requestPrincipals',
      probes: [
        { command: code('frontend', 'shop', '-X POST', '/api/orders'), expect: '^403$', missing: 'POST /api/orders без токена всё ещё проходит: примените examples/authorization/orders-allow-jwt.yaml.' },
        { command: code('frontend', 'shop', `-X POST -H "Authorization: Bearer ${TOKEN}"`, '/api/orders'), expect: '^200$', missing: 'POST /api/orders с действительным токеном не проходит.' },
        { command: code('frontend', 'shop', '', '/api/orders'), expect: '^200$', missing: 'frontend не получает 200 на GET /api/orders без токена.' },
      ],
    },
  ],
};
