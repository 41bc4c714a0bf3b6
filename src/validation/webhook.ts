/**
 * Rules that istiod's validating webhook (validation.istio.io) enforces on top of the CRD
 * schema (istio/pkg/config/validation). Each finding carries Istio's English error text; the
 * analyzer reports them as IST0106 SchemaValidationError, as `istioctl analyze` does.
 */
import type { Finding } from './object';
import { isRecord } from './schema/validate';

/** Protocols istio/pkg/config/protocol.Parse accepts (case-insensitive). */
export const ISTIO_PROTOCOLS = ['HTTP', 'HTTP2', 'HTTPS', 'TCP', 'TLS', 'GRPC', 'GRPC-WEB', 'MONGO', 'REDIS', 'MYSQL', 'UDP', 'HTTP_PROXY'];

export function parseProtocol(p: unknown): string | undefined {
  if (typeof p !== 'string') return undefined;
  const u = p.toUpperCase();
  return ISTIO_PROTOCOLS.includes(u) ? u : undefined;
}

function f(path: Array<string | number>, ru: string, en: string, target: Finding['target'] = 'value'): Finding {
  return { code: 'IST0106', path, target, args: { ru, en }, fieldError: { field: path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '['), type: 'Invalid', detail: en } };
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function istioWebhookFindings(obj: Record<string, unknown>, kind: string, group: string): Finding[] {
  if (group !== 'networking.istio.io') return [];
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  if (!spec) return [];
  switch (kind) {
    case 'VirtualService':
      return virtualService(spec);
    case 'Gateway':
      return gateway(spec);
    case 'ServiceEntry':
      return serviceEntry(spec);
    default:
      return [];
  }
}

function routeWeights(routes: unknown[], base: Array<string | number>): Finding[] {
  const out: Finding[] = [];
  let total = 0;
  routes.forEach((r, i) => {
    if (!isRecord(r)) return;
    const w = typeof r.weight === 'number' ? r.weight : 0;
    if (w < 0) out.push(f([...base, i, 'weight'], `Вес маршрута не может быть отрицательным: ${w}`, `weight ${w} < 0`));
    total += w;
  });
  if (routes.length > 1 && total === 0) {
    out.push(f(base, 'У нескольких назначений сумма весов равна нулю: трафику некуда идти', 'total destination weight = 0', 'key'));
  }
  return out;
}

function virtualService(spec: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  if (!arr(spec.hosts).length && spec.hosts === undefined) {
    out.push(f([], 'В VirtualService нужен хотя бы один хост в spec.hosts', 'virtual service must have at least one host', 'key'));
  }
  arr(spec.http).forEach((h, i) => {
    if (!isRecord(h)) return;
    const routes = arr(h.route);
    if (!routes.length && !h.redirect && !h.directResponse && !h.delegate) {
      out.push(f(['spec', 'http', i], 'В правиле http нужно указать route, redirect или directResponse', 'HTTP route, redirect or direct_response is required', 'value'));
    }
    out.push(...routeWeights(routes, ['spec', 'http', i, 'route']));
  });
  for (const section of ['tcp', 'tls'] as const) {
    arr(spec[section]).forEach((t, i) => {
      if (isRecord(t)) out.push(...routeWeights(arr(t.route), ['spec', section, i, 'route']));
    });
  }
  return out;
}

function gateway(spec: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  const servers = arr(spec.servers);
  if (!servers.length) out.push(f(['spec'], 'В Gateway нужен хотя бы один server', 'gateway must have at least one server', 'key'));
  servers.forEach((s, i) => {
    if (!isRecord(s) || !isRecord(s.port)) return;
    const proto = s.port.protocol;
    const parsed = parseProtocol(proto);
    if (typeof proto === 'string' && !parsed) {
      out.push(
        f(['spec', 'servers', i, 'port', 'protocol'], `Протокол ${JSON.stringify(proto)} Istio не поддерживает на шлюзе`, `invalid protocol ${JSON.stringify(proto)}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`),
      );
    }
    if ((parsed === 'HTTPS' || parsed === 'TLS') && !isRecord(s.tls)) {
      out.push(f(['spec', 'servers', i, 'port', 'protocol'], 'Для HTTPS и TLS серверу шлюза нужен раздел tls (mode, credentialName)', 'server must have TLS settings for HTTPS/TLS protocols'));
    }
  });
  return out;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const FQDN = /^(?=.{1,255}$)[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*\.?$/;

function serviceEntry(spec: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  const hosts = arr(spec.hosts).filter((h): h is string => typeof h === 'string');
  const endpoints = arr(spec.endpoints);
  const resolution = typeof spec.resolution === 'string' ? spec.resolution : 'NONE';
  if (!hosts.length) out.push(f(['spec'], 'В ServiceEntry нужен хотя бы один хост', 'service entry must have at least one host', 'key'));
  arr(spec.addresses).forEach((a, i) => {
    if (typeof a === 'string' && a.includes('/') && resolution !== 'NONE' && resolution !== 'STATIC') {
      out.push(f(['spec', 'addresses', i], 'Адреса в виде CIDR допустимы только при resolution NONE или STATIC', 'CIDR addresses are allowed only for NONE/STATIC resolution types'));
    }
  });
  const names = new Set<string>();
  const numbers = new Set<number>();
  arr(spec.ports).forEach((p, i) => {
    if (!isRecord(p)) return;
    if (typeof p.name === 'string') {
      if (names.has(p.name)) out.push(f(['spec', 'ports', i, 'name'], `Имя порта ${JSON.stringify(p.name)} уже использовано`, `service entry port name ${JSON.stringify(p.name)} already defined`));
      names.add(p.name);
    }
    if (typeof p.number === 'number') {
      if (numbers.has(p.number)) out.push(f(['spec', 'ports', i, 'number'], `Порт ${p.number} уже описан`, `service entry port ${p.number} already defined`));
      numbers.add(p.number);
    }
    if (typeof p.protocol === 'string' && !parseProtocol(p.protocol)) {
      out.push(f(['spec', 'ports', i, 'protocol'], `Протокол ${JSON.stringify(p.protocol)} Istio не знает`, `unsupported protocol: ${p.protocol}`));
    }
  });
  switch (resolution) {
    case 'NONE':
      if (endpoints.length) out.push(f(['spec', 'resolution'], 'При resolution: NONE адреса endpoints не используются: уберите их или выберите STATIC', 'no endpoints should be provided for resolution type none'));
      break;
    case 'STATIC':
      if (!endpoints.length) out.push(f(['spec', 'resolution'], 'При resolution: STATIC нужно перечислить endpoints с IP-адресами', 'endpoints must be provided if service entry resolution mode is static'));
      endpoints.forEach((e, i) => {
        if (isRecord(e) && typeof e.address === 'string' && !e.address.startsWith('unix://') && !IPV4.test(e.address) && !e.address.includes(':')) {
          out.push(f(['spec', 'endpoints', i, 'address'], `При resolution: STATIC адрес должен быть IP, а не имя ${JSON.stringify(e.address)}; для имён выберите DNS`, `${e.address} is not a valid IP`));
        }
      });
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      if (!endpoints.length) {
        hosts.forEach((h, i) => {
          if (!FQDN.test(h)) {
            out.push(
              f(['spec', 'hosts', i], `При resolution: ${resolution} без endpoints хост должен быть полным DNS-именем, а ${JSON.stringify(h)} им не является (шаблон * разрешить через DNS нельзя)`, `hosts must be FQDN if no endpoints are provided for resolution mode ${resolution}`),
            );
          }
        });
      }
      break;
  }
  if (resolution !== 'NONE' && hosts.length > 1) {
    const ports = arr(spec.ports).filter(isRecord);
    const canDifferentiate = ports.every((p) => {
      const pr = parseProtocol(p.protocol);
      return pr === 'HTTP' || pr === 'HTTP2' || pr === 'GRPC' || pr === 'GRPC-WEB' || pr === 'HTTPS' || pr === 'TLS' || pr === 'HTTP_PROXY';
    });
    if (!canDifferentiate) {
      out.push(f(['spec', 'hosts'], 'Несколько хостов с портами не HTTP и не TLS: прокси не сможет их различить (нужна resolution: NONE или отдельные ServiceEntry)', 'multiple hosts provided with non-HTTP, non-TLS ports', 'key'));
    }
  }
  return out;
}
