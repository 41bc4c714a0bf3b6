/**
 * The scenario lessons' start states, steps and checks: the one place that says what a
 * lesson's sandbox starts with and how each step is verified. Pure data, shared by the
 * worker host (setup), the lesson components (steps, checks) and the tests.
 */
import type { Probe } from './protocol';

export interface Step {
  id: string;
  title: string;
  probes: Probe[];
}

export interface Scenario {
  id: string;
  title: string;
  /** Commands run (silently, on fast-forwarded time) before the learner gets the prompt. */
  setup: string[];
  steps: Step[];
}

/** The ingress gateway's external address, computed inside a probe (no reliance on $INGRESS_HOST). */
const GW = "$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')";
const EXPORT_INGRESS = `export INGRESS_HOST=${GW}`;
const ACCESS_LOG = 'istioctl install -y --set meshConfig.accessLogFile=/dev/stdout';

const series = (n: number): string => `for i in $(seq 1 ${n}); do curl -s http://${GW}/ | grep -o '"name": "service-[bc]"'; done`;

const exists = (kind: string, name: string, ns: string, missing: string): Probe => ({ command: `kubectl get ${kind} ${name} -n ${ns} -o name`, missing });
/** A pod is up; right after an apply it is still starting, so the hint says to wait and check again. */
const running = (ns: string, app: string, ready: string, missing: string): Probe => ({
  command: `kubectl get pods -n ${ns} -l app=${app}`,
  expect: `${ready.replace('/', '\\/')}\\s+Running`,
  missing: `${missing} Если манифест уже применён, под ещё запускается: подождите несколько секунд (kubectl get pods -n ${ns}) и проверьте снова.`,
});

const SCENARIO_8_FINAL = [
  ACCESS_LOG,
  'kubectl apply -f examples/ingress-service-a/namespace.yaml',
  'kubectl apply -f examples/ingress-service-a/',
  EXPORT_INGRESS,
];
const SCENARIO_9_FINAL = [...SCENARIO_8_FINAL, 'kubectl apply -f examples/service-a-service-b/'];
const SCENARIO_10_FINAL = [
  ...SCENARIO_9_FINAL,
  'kubectl apply -f examples/traffic-split/service-c.yaml -f examples/traffic-split/service.yaml',
  'kubectl apply -f examples/traffic-split/virtual-service-0-100.yaml',
];

export const SCENARIOS: Record<string, Scenario> = {
  'ingress-service-a': {
    id: 'ingress-service-a',
    title: 'Ingress → ServiceA',
    // A fresh `default` profile, as the lesson's step 0 expects: the access log is off until the learner turns it on
    // (istio/istio manifests/profiles/default.yaml sets no meshConfig.accessLogFile).
    setup: ['istioctl install -y'],
    steps: [
      {
        id: 'access-log',
        title: 'Шаг 0. Журнал доступа',
        probes: [
          {
            command: "kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}'",
            expect: 'accessLogFile: /dev/stdout',
            missing: 'Журнал доступа ещё выключен: выполните istioctl install -y --set meshConfig.accessLogFile=/dev/stdout.',
          },
        ],
      },
      {
        id: 'namespace',
        title: 'Шаг 1. Namespace demo',
        probes: [
          {
            command: "kubectl get namespace demo -o jsonpath='{.metadata.labels.istio-injection}'",
            expect: '^enabled$',
            missing: 'Нет namespace demo с меткой istio-injection: enabled: примените examples/ingress-service-a/namespace.yaml.',
          },
        ],
      },
      {
        id: 'service-a',
        title: 'Шаг 2. ServiceA',
        probes: [
          running('demo', 'service-a-app', '2/2', 'Под service-a не работает с sidecar (READY 2/2): примените service-a.yaml.'),
          exists('service', 'service-a', 'demo', 'Нет Service service-a в namespace demo: примените examples/ingress-service-a/service.yaml.'),
        ],
      },
      {
        id: 'gateway',
        title: 'Шаг 3. Gateway',
        probes: [exists('gateway', 'demo-gateway', 'demo', 'Нет Gateway demo-gateway: примените examples/ingress-service-a/gateway.yaml.')],
      },
      {
        id: 'virtual-service',
        title: 'Шаг 4. VirtualService и ответ ServiceA',
        probes: [
          exists('virtualservice', 'service-a', 'demo', 'Нет VirtualService service-a: примените examples/ingress-service-a/virtual-service.yaml.'),
          { command: `curl -s http://${GW}/`, expect: '"name": "service-a"', missing: 'Запрос через ingress-шлюз ещё не доходит до ServiceA.' },
        ],
      },
    ],
  },
  'service-a-service-b': {
    id: 'service-a-service-b',
    title: 'Ingress → ServiceA → ServiceB',
    setup: [...SCENARIO_8_FINAL],
    steps: [
      {
        id: 'service-b',
        title: 'Шаг 1. ServiceB и producer-internal-host',
        probes: [
          running('demo', 'service-b-app', '2/2', 'Под service-b не работает с sidecar: примените examples/service-a-service-b/service-b.yaml.'),
          exists('service', 'producer-internal-host', 'demo', 'Нет Service producer-internal-host: примените examples/service-a-service-b/service.yaml.'),
        ],
      },
      {
        id: 'virtual-service',
        title: 'Шаг 2. VirtualService внутри mesh',
        probes: [exists('virtualservice', 'producer-internal-host', 'demo', 'Нет VirtualService producer-internal-host: примените examples/service-a-service-b/virtual-service.yaml.')],
      },
      {
        id: 'service-a-calls-b',
        title: 'Шаг 3. ServiceA вызывает ServiceB',
        probes: [
          {
            command: 'kubectl get deployment service-a -n demo -o yaml',
            expect: 'http://producer-internal-host',
            missing: 'ServiceA ещё не знает о ServiceB: примените examples/service-a-service-b/service-a.yaml.',
          },
        ],
      },
      {
        id: 'chain',
        title: 'Шаг 4. Цепочка ServiceA → ServiceB',
        probes: [{ command: `curl -s http://${GW}/`, expect: '"name": "service-b"', missing: 'В ответе через ingress нет вызова ServiceB.' }],
      },
    ],
  },
  'traffic-split': {
    id: 'traffic-split',
    title: 'Разделение трафика',
    setup: [...SCENARIO_9_FINAL],
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
  },
  egress: {
    id: 'egress',
    title: 'Egress',
    setup: [...SCENARIO_10_FINAL],
    steps: [
      {
        id: 'client',
        title: 'Подготовка: клиент',
        probes: [running('demo', 'client', '2/2', 'Под client не работает: примените examples/egress/client.yaml.')],
      },
      {
        id: 'registry-only',
        title: 'Подход 2. REGISTRY_ONLY и ServiceEntry',
        probes: [
          {
            command: "kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}'",
            expect: 'mode: REGISTRY_ONLY',
            missing: 'Политика исходящего трафика ещё ALLOW_ANY: выполните istioctl install с meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY.',
          },
          exists('serviceentry', 'httpbin-ext', 'demo', 'Нет ServiceEntry httpbin-ext: примените examples/egress/service-entry.yaml.'),
          {
            command: "kubectl exec deploy/client -n demo -c curl -- curl -s -o /dev/null -w '%{http_code}' http://httpbin.org/get",
            expect: '^200$',
            missing: 'Клиент пока не получает 200 от httpbin.org.',
          },
        ],
      },
      {
        id: 'service-ext',
        title: 'Подход 3. Внешняя система и ServiceC',
        probes: [
          running('external-cluster', 'service-ext-app', '1/1', 'Под service-ext не работает: примените external-namespace.yaml и service-ext.yaml.'),
          exists('virtualservice', 'service-ext', 'external-cluster', 'Нет VirtualService service-ext: примените examples/egress/ingress-route.yaml.'),
          { command: 'kubectl get deployment service-c -n demo -o yaml', expect: 'service-ext', missing: 'ServiceC ещё не вызывает внешнюю систему: примените examples/egress/service-c.yaml.' },
        ],
      },
      {
        id: 'egress-gateway',
        title: 'Подход 3. Путь через egress-шлюз',
        probes: [
          { command: 'kubectl get pods -n istio-system -l istio=egressgateway', expect: '1/1\\s+Running', missing: 'Egress-шлюз не запущен: выполните istioctl install с components.egressGateways[0].enabled=true.' },
          exists('gateway', 'istio-egressgateway', 'demo', 'Нет Gateway istio-egressgateway: примените examples/egress/egress-gateway.yaml.'),
          exists('virtualservice', 'direct-through-egress-gateway', 'demo', 'Нет VirtualService direct-through-egress-gateway: примените examples/egress/egress-virtual-service.yaml.'),
          { command: `curl -s http://${GW}/`, expect: '"name": "service-ext"', missing: 'Запрос через ingress ещё не доходит до service-ext.' },
          {
            command: 'kubectl logs -l istio=egressgateway -n istio-system -c istio-proxy --tail=-1',
            expect: 'outbound\\|80\\|\\|istio-ingressgateway',
            missing: 'В журнале egress-шлюза нет запроса к внешней системе: вызовы ServiceC ещё идут мимо него.',
          },
        ],
      },
    ],
  },
};

export function scenarioById(id: string): Scenario | undefined {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, id) ? SCENARIOS[id] : undefined;
}
