/**
 * Istio's validating webhook (validation.istio.io) as findings for the editor, the validation
 * CLI and `istioctl analyze`: the rules themselves live once in src/istio/validation (the
 * sandbox's admission runs the same code and denies `kubectl apply` with Istio's words). Each
 * finding is IST0106 at the field the rule looked at, with Istio's English text and a Russian
 * explanation.
 */
import { validateIstioObject, type IstioIssue } from '../istio/validation';
import { ENVOY_FILTER_WARNING } from '../istio/validation/envoyFilter';
import type { Finding } from './object';

export { ISTIO_PROTOCOLS, parseProtocol } from '../istio/validation/common';

/** Russian for Istio's most frequent messages; others get a general sentence before Istio's own words. */
const RU: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^wildcard host \* is not allowed for virtual services bound to the mesh gateway$/, () => 'Хост «*» нельзя указывать в VirtualService для mesh (без gateways или с gateways: [mesh]): перечислите конкретные хосты'],
  [/^http, tcp or tls must be provided in virtual service$/, () => 'В VirtualService нет ни одного правила: добавьте раздел http, tcp или tls'],
  [/^HTTP route, redirect or direct_response is required$/, () => 'В правиле http нужно указать route, redirect или directResponse'],
  [/^gateway must have at least one server$/, () => 'В Gateway нужен хотя бы один server'],
  [/^"(.*)" is not a valid retryOn policy$/, (m) => `«${m[1]}» — не политика retryOn, которую знает Envoy (5xx, gateway-error, reset, connect-failure, retriable-4xx, retriable-status-codes… или код ответа)`],
  [/^"(.*)": error parsing regexp: (.*); Istio uses RE2/, (m) => `Регулярное выражение в ${m[1]} не разбирается синтаксисом RE2: ${m[2]}`],
  [/^percentage (.*) is neither 0\.0, nor in range \[0\.0001, 100\.0\]$/, (m) => `Процент ${m[1]} вне допустимого диапазона: 0 или от 0.0001 до 100`],
  [/^HTTP status (\d+) is not in range 200-599$/, (m) => `Код ответа ${m[1]} вне диапазона 200–599`],
  [/^weight (-?\d+) < 0$/, (m) => `Вес маршрута не может быть отрицательным: ${m[1]}`],
  [/^total destination weight = 0$/, () => 'У нескольких назначений сумма весов равна нулю: трафику некуда идти'],
  [/^duration must be greater than 1ms$/, () => 'Длительность должна быть не меньше 1ms'],
  [/^only durations to ms precision are supported$/, () => 'Длительность задаётся с точностью до миллисекунд'],
  [/^port number (-?\d+) must be in the range 1\.\.65535$/, (m) => `Порт ${m[1]} вне диапазона 1..65535`],
  [/^domain name "(.*)" invalid/, (m) => `Имя «${m[1]}» не является допустимым DNS-именем (шаблон * допустим только в первой метке)`],
  [/^server must have TLS settings for HTTPS\/TLS protocols$/, () => 'Для HTTPS и TLS серверу шлюза нужен раздел tls (mode, credentialName)'],
  [/^invalid protocol "(.*)", supported protocols/, (m) => `Протокол «${m[1]}» Istio не поддерживает на шлюзе`],
  [/^service entry must have at least one host$/, () => 'В ServiceEntry нужен хотя бы один хост'],
  [/^no endpoints should be provided for resolution type none$/, () => 'При resolution: NONE адреса endpoints не используются: уберите их или выберите STATIC'],
  [/^hosts must be FQDN if no endpoints are provided for resolution mode (.*)$/, (m) => `При resolution: ${m[1]} без endpoints хост должен быть полным DNS-именем (шаблон * разрешить через DNS нельзя)`],
  [/^multiple hosts provided with non-HTTP, non-TLS ports$/, () => 'Несколько хостов с портами не HTTP и не TLS: прокси не сможет их различить (нужна resolution: NONE или отдельные ServiceEntry)'],
  [/^CIDR addresses are allowed only for NONE\/STATIC resolution types$/, () => 'Адреса в виде CIDR допустимы только при resolution NONE или STATIC'],
  [/^service entry port name "(.*)" already defined$/, (m) => `Имя порта «${m[1]}» уже использовано`],
  [/^service entry port (\d+) already defined$/, (m) => `Порт ${m[1]} уже описан`],
  [/^unsupported protocol: (.*)$/, (m) => `Протокол «${m[1]}» Istio не знает`],
  [/^duplicate subset names: (.*)$/, (m) => `Subset «${m[1]}» описан дважды`],
  [/^HTTP route cannot contain both route and redirect$/, () => 'В одном правиле http не может быть одновременно route и redirect'],
  [/^http retry policy configured when attempts are set to 0 \(disabled\)$/, () => 'Повторы выключены (attempts: 0), а retryOn или perTryTimeout заданы: уберите их или задайте attempts'],
];

export function russianFor(en: string): string {
  const text = en.replace(/^invalid policy [^ ]+: /, '');
  for (const [re, ru] of RU) {
    const m = re.exec(text);
    if (m) return ru(m);
  }
  return 'Webhook Istio (validation.istio.io) отклонит этот объект при kubectl apply';
}

function toFinding(i: IstioIssue, severity: 'error' | 'warning'): Finding {
  return { code: 'IST0106', path: i.path, target: i.path.length ? 'value' : 'key', severity, args: { ru: russianFor(i.message), en: i.message } };
}

/** IST0106 findings for an object of a kind istiod validates (errors; warnings as warnings). */
export function istioWebhookFindings(obj: Record<string, unknown>): Finding[] {
  const { errors, warnings } = validateIstioObject(obj);
  // Istio's webhook warns about every EnvoyFilter, however right (istio/istio
  // pkg/config/validation/envoyfilter/envoyfilter.go: ValidateEnvoyFilter starts with this warning):
  // kubectl apply prints it, but it flags no defect of the object, so the editor does not.
  return [...errors.map((e) => toFinding(e, 'error')), ...warnings.filter((w) => w.message !== ENVOY_FILTER_WARNING).map((w) => toFinding(w, 'warning'))];
}
