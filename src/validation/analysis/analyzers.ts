/**
 * Cross-resource analyzers in the spirit of `istioctl analyze` (istio/pkg/config/analysis/analyzers):
 * each is a pure function from the model to findings about the objects being checked
 * (context objects are read, never reported on).
 */
import type { Args } from '../codes';
import type { Finding } from '../object';
import { closest } from '../schema/validate';
import { parseProtocol } from '../webhook';
import { arr, CLUSTER_DOMAIN, hostMatches, type Model, type Obj, rec, scalarText, selects, selectorString, str, strMap, toFqdn, type Workload } from './model';
import { re2Problem } from './re2';

export interface AnalysisFinding extends Finding {
  obj: Obj;
}

type Emit = (obj: Obj, code: string, path: Array<string | number>, target: Finding['target'], args: Args, severity?: Finding['severity']) => void;

export type Analyzer = (m: Model, emit: Emit) => void;

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'istio-system', 'local-path-storage']);

// ------------------------------------------------------------------------------ envoy filters

/**
 * IST0151 (istio/istio pkg/config/analysis/analyzers/envoyfilter/envoyfilter.go): an EnvoyFilter
 * without a priority whose patch is relative — INSERT_BEFORE / INSERT_AFTER, REPLACE of an
 * HTTP or network filter, REMOVE of anything but a route configuration or HTTP route — may not
 * apply, since its anchor depends on what other patches did first. One finding per such patch.
 */
const envoyFilterRelativeOps: Analyzer = (m, emit) => {
  for (const ef of m.istio('EnvoyFilter')) {
    if (Number(scalarText(ef.spec.priority) || 0) !== 0) continue; // scalarText: a mapping here has no number (Number() threw on a toString key)
    arr(ef.spec.configPatches).forEach((p, i) => {
      const cp = rec(p);
      const op = str(rec(cp.patch).operation);
      const applyTo = str(cp.applyTo);
      const routeLevel = applyTo === 'ROUTE_CONFIGURATION' || applyTo === 'HTTP_ROUTE';
      const relative =
        op === 'INSERT_BEFORE' || op === 'INSERT_AFTER' || (op === 'REPLACE' && (applyTo === 'HTTP_FILTER' || applyTo === 'NETWORK_FILTER')) || (op === 'REMOVE' && !routeLevel);
      if (relative) emit(ef, 'IST0151', ['spec', 'configPatches', i], 'key', {});
    });
  }
};

// ---------------------------------------------------------------------------------- gateways

function gatewayWorkloads(m: Model, gw: Obj): Workload[] {
  const sel = strMap(gw.spec.selector);
  return m.workloads.filter((w) => selects(sel, w.labels));
}

const gatewaySelector: Analyzer = (m, emit) => {
  for (const gw of m.istio('Gateway')) {
    const sel = strMap(gw.spec.selector);
    if (!Object.keys(sel).length) continue;
    if (gatewayWorkloads(m, gw).length) continue;
    emit(gw, 'IST0101', ['spec', 'selector'], 'key', {
      what: 'Под шлюза с метками селектора',
      reftype: 'selector',
      value: selectorString(sel),
      hint: 'стандартный ingress-шлюз выбирается меткой istio: ingressgateway, egress-шлюз — istio: egressgateway',
    });
  }
};

/**
 * gateway.SecretAnalyzer (istio/istio pkg/config/analysis/analyzers/gateway/secret.go): a TLS server's
 * credentialName must name a Secret in the namespace of the gateway's pods (not of the Gateway);
 * "ns/name" names one elsewhere (resource.NewShortOrFullName). Only when the secrets were read (the
 * cluster's, in the sandbox's istioctl analyze): files alone say nothing about the secrets that exist.
 */
const gatewaySecrets: Analyzer = (m, emit) => {
  const secrets = m.kind('Secret').filter((s) => s.group === '');
  if (!secrets.length) return;
  for (const gw of m.istio('Gateway')) {
    const workloads = gatewayWorkloads(m, gw);
    if (!workloads.length) continue;
    const gwNs = workloads[0].obj.namespace;
    arr(gw.spec.servers).forEach((srv, i) => {
      const cn = str(rec(rec(srv).tls).credentialName);
      if (!cn) return;
      const [ns, name] = cn.includes('/') ? [cn.split('/')[0], cn.split('/').slice(1).join('/')] : [gwNs, cn];
      if (secrets.some((s) => s.namespace === ns && s.name === name)) return;
      emit(gw, 'IST0101', ['spec', 'servers', i, 'tls', 'credentialName'], 'value', {
        what: `Secret с сертификатом в namespace ${ns}`,
        reftype: 'credentialName',
        value: cn,
        hint: 'Secret из credentialName ищется в namespace подов шлюза, а не Gateway',
      });
    });
  }
};

const gatewayPorts: Analyzer = (m, emit) => {
  for (const gw of m.istio('Gateway')) {
    const workloads = gatewayWorkloads(m, gw);
    if (!workloads.length) continue;
    const services = m.kind('Service').filter((s) => s.group === '' && workloads.some((w) => w.obj.namespace === s.namespace && selects(strMap(s.spec.selector), w.labels)));
    if (!services.length) continue;
    const exposed = new Set<number>();
    for (const s of services) {
      for (const p of arr(s.spec.ports)) {
        const port = rec(p);
        if (typeof port.port === 'number') exposed.add(port.port);
        if (typeof port.targetPort === 'number') exposed.add(port.targetPort);
      }
    }
    arr(gw.spec.servers).forEach((srv, i) => {
      const n = rec(rec(srv).port).number;
      if (typeof n === 'number' && !exposed.has(n)) {
        emit(gw, 'IST0162', ['spec', 'servers', i, 'port', 'number'], 'value', { port: n, selector: selectorString(strMap(gw.spec.selector)) });
      }
    });
  }
};

// ---------------------------------------------------------------------------------- virtual services

function gatewayRef(vs: Obj, ref: string): { namespace: string; name: string } {
  const i = ref.indexOf('/');
  return i < 0 ? { namespace: vs.namespace, name: ref } : { namespace: ref.slice(0, i), name: ref.slice(i + 1) };
}

function findGateway(m: Model, vs: Obj, ref: string): Obj | undefined {
  const { namespace, name } = gatewayRef(vs, ref);
  return m.istio('Gateway').find((g) => g.name === name && g.namespace === namespace);
}

/** Every gateway reference of a VirtualService with its path. */
function gatewayRefs(vs: Obj): Array<{ ref: string; path: Array<string | number> }> {
  const out: Array<{ ref: string; path: Array<string | number> }> = [];
  arr(vs.spec.gateways).forEach((g, i) => {
    if (typeof g === 'string') out.push({ ref: g, path: ['spec', 'gateways', i] });
  });
  for (const section of ['http', 'tcp', 'tls'] as const) {
    arr(vs.spec[section]).forEach((r, i) => {
      arr(rec(r).match).forEach((mt, j) => {
        arr(rec(mt).gateways).forEach((g, k) => {
          if (typeof g === 'string') out.push({ ref: g, path: ['spec', section, i, 'match', j, 'gateways', k] });
        });
      });
    });
  }
  return out;
}

const vsGateways: Analyzer = (m, emit) => {
  for (const vs of m.istio('VirtualService')) {
    for (const { ref, path } of gatewayRefs(vs)) {
      if (ref === 'mesh') continue;
      if (findGateway(m, vs, ref)) continue;
      const { namespace, name } = gatewayRef(vs, ref);
      const other = m.istio('Gateway').find((g) => g.name === name);
      const names = m.istio('Gateway').filter((g) => g.namespace === namespace).map((g) => g.name);
      const near = closest(name, names);
      emit(vs, 'IST0101', path, 'value', {
        what: 'Gateway',
        reftype: 'gateway',
        value: ref,
        hint: other
          ? `Gateway с таким именем есть в пространстве имён ${other.namespace}: укажите ${other.namespace}/${other.name}`
          : near
            ? `возможно, ${near}`
            : 'имя без «/» ищется в пространстве имён самого VirtualService',
      });
    }
  }
};

function stripGatewayHostNs(h: string): string {
  const i = h.indexOf('/');
  return i < 0 ? h : h.slice(i + 1);
}

const vsHostsInGateway: Analyzer = (m, emit) => {
  for (const vs of m.istio('VirtualService')) {
    const hosts = arr(vs.spec.hosts)
      .map((h, i) => ({ h, i }))
      .filter((x): x is { h: string; i: number } => typeof x.h === 'string');
    arr(vs.spec.gateways).forEach((g) => {
      if (typeof g !== 'string' || g === 'mesh') return;
      const gw = findGateway(m, vs, g);
      if (!gw) return;
      const gwHosts = arr(gw.spec.servers).flatMap((s) => arr(rec(s).hosts).filter((h): h is string => typeof h === 'string').map(stripGatewayHostNs));
      for (const { h, i } of hosts) {
        if (!gwHosts.some((gh) => hostMatches(gh, h) || hostMatches(h, gh))) {
          emit(vs, 'IST0132', ['spec', 'hosts', i], 'value', { host: h, virtualservice: `${vs.namespace}/${vs.name}`, gateway: `${gw.namespace}/${gw.name}` });
        }
      }
    });
  }
};

interface Dest {
  host: string;
  subset?: string;
  port?: number;
  path: Array<string | number>;
}

function destinations(vs: Obj): Dest[] {
  const out: Dest[] = [];
  const add = (d: unknown, path: Array<string | number>) => {
    const dr = rec(d);
    const host = str(dr.host);
    if (!host) return;
    const port = rec(dr.port).number;
    out.push({ host, subset: str(dr.subset), port: typeof port === 'number' ? port : undefined, path });
  };
  for (const section of ['http', 'tcp', 'tls'] as const) {
    arr(vs.spec[section]).forEach((r, i) => {
      arr(rec(r).route).forEach((rt, j) => add(rec(rt).destination, ['spec', section, i, 'route', j, 'destination']));
      if (section === 'http') {
        if (rec(r).mirror) add(rec(r).mirror, ['spec', section, i, 'mirror']);
        arr(rec(r).mirrors).forEach((mi, j) => add(rec(mi).destination, ['spec', section, i, 'mirrors', j, 'destination']));
      }
    });
  }
  return out;
}

const vsDestinationHosts: Analyzer = (m, emit) => {
  for (const vs of m.istio('VirtualService')) {
    for (const d of destinations(vs)) {
      const fqdn = toFqdn(d.host, vs.namespace);
      const svc = m.serviceByHost(fqdn);
      if (svc) {
        const ports = arr(svc.spec.ports).map((p) => rec(p).port).filter((p): p is number => typeof p === 'number');
        if (ports.length > 1 && d.port === undefined) {
          emit(vs, 'IST0112', [...d.path, 'host'], 'key', { host: fqdn, ports: ports.join(' ') });
        }
        continue;
      }
      if (m.serviceEntriesFor(fqdn).length) continue;
      const shortNs = /^([a-z0-9-]+)\.([a-z0-9-]+)$/.exec(d.host);
      let hint: string | undefined;
      if (shortNs && m.serviceByHost(`${shortNs[1]}.${shortNs[2]}.${CLUSTER_DOMAIN}`)) {
        hint = `Istio не дополняет имена с точкой: напишите ${shortNs[1]}.${shortNs[2]}.${CLUSTER_DOMAIN}`;
      } else {
        const names = m.kind('Service').map((s) => `${s.name}.${s.namespace}.${CLUSTER_DOMAIN}`);
        const near = closest(fqdn, names);
        hint = near ? `возможно, ${near}` : 'хост должен быть именем Service (имя.пространство.svc.cluster.local) или хостом из ServiceEntry';
      }
      emit(vs, 'IST0101', [...d.path, 'host'], 'value', { what: 'Сервис (Service или ServiceEntry) для хоста', reftype: 'host', value: d.host, hint });
    }
  }
};

function destinationRulesFor(m: Model, fqdn: string): Obj[] {
  return m.istio('DestinationRule').filter((dr) => {
    const h = str(dr.spec.host);
    return h !== undefined && toFqdn(h, dr.namespace) === fqdn;
  });
}

const vsSubsets: Analyzer = (m, emit) => {
  for (const vs of m.istio('VirtualService')) {
    for (const d of destinations(vs)) {
      if (!d.subset) continue;
      const fqdn = toFqdn(d.host, vs.namespace);
      const drs = destinationRulesFor(m, fqdn);
      const subsets = drs.flatMap((dr) => arr(dr.spec.subsets).map((s) => str(rec(s).name)).filter((s): s is string => !!s));
      if (subsets.includes(d.subset)) continue;
      const near = closest(d.subset, subsets);
      emit(vs, 'IST0101', [...d.path, 'subset'], 'value', {
        what: 'Subset в DestinationRule для хоста',
        reftype: 'host+subset in destinationrule',
        value: `${d.host}+${d.subset}`,
        hint: drs.length
          ? `в DestinationRule ${drs.map((x) => x.name).join(', ')} есть: ${subsets.join(', ') || 'ни одного subset'}${near ? `; возможно, ${near}` : ''}`
          : `нет DestinationRule с host: ${fqdn}`,
      });
    }
  }
};

const drSubsetPods: Analyzer = (m, emit) => {
  for (const dr of m.istio('DestinationRule')) {
    const host = str(dr.spec.host);
    if (!host) continue;
    const svc = m.serviceByHost(toFqdn(host, dr.namespace));
    if (!svc) continue;
    const pods = m.podsOfService(svc);
    if (!pods.length) continue; // nothing known about this service's pods: do not guess
    arr(dr.spec.subsets).forEach((s, i) => {
      const labels = strMap(rec(s).labels);
      if (!Object.keys(labels).length) return;
      if (pods.some((w) => selects(labels, w.labels))) return;
      emit(dr, 'IST0173', ['spec', 'subsets', i, 'labels'], 'key', { subset: str(rec(s).name) ?? String(i) });
    });
  }
};

const routeWeights: Analyzer = (m, emit) => {
  for (const vs of m.istio('VirtualService')) {
    for (const section of ['http', 'tcp', 'tls'] as const) {
      arr(vs.spec[section]).forEach((r, i) => {
        const routes = arr(rec(r).route).map(rec);
        if (routes.length < 2) return;
        const weights = routes.map((x) => (typeof x.weight === 'number' ? x.weight : 0));
        const total = weights.reduce((a, b) => a + b, 0);
        if (total <= 0 || total === 100 || weights.some((w) => w < 0)) return;
        const shares = routes
          .map((x, j) => {
            const d = rec(x.destination);
            const label = str(d.subset) ?? str(d.host) ?? `#${j}`;
            return `${label}: ${Math.round((weights[j] / total) * 1000) / 10}%`;
          })
          .join(', ');
        emit(vs, 'PRK001', ['spec', section, i, 'route'], 'key', { total, shares });
      });
    }
  }
};

function meshBound(vs: Obj): boolean {
  const gws = arr(vs.spec.gateways).filter((g): g is string => typeof g === 'string');
  return gws.length === 0 || gws.includes('mesh');
}

function exportedTo(o: Obj, ns: string): boolean {
  const e = arr(o.spec.exportTo).filter((x): x is string => typeof x === 'string');
  if (!e.length) return true;
  return e.includes('*') || e.includes(ns) || (e.includes('.') && o.namespace === ns);
}

const vsConflicts: Analyzer = (m, emit) => {
  const vss = m.istio('VirtualService');
  const hostsOf = (vs: Obj) =>
    arr(vs.spec.hosts)
      .map((h, i) => ({ h, i }))
      .filter((x): x is { h: string; i: number } => typeof x.h === 'string')
      .map((x) => ({ fqdn: toFqdn(x.h, vs.namespace), i: x.i, raw: x.h }));
  // mesh gateway: IST0109
  const meshByHost = new Map<string, Array<{ vs: Obj; i: number }>>();
  for (const vs of vss) {
    if (!meshBound(vs)) continue;
    for (const h of hostsOf(vs)) {
      const list = meshByHost.get(h.fqdn) ?? [];
      list.push({ vs, i: h.i });
      meshByHost.set(h.fqdn, list);
    }
  }
  for (const [host, list] of meshByHost) {
    if (list.length < 2) continue;
    for (const { vs, i } of list) {
      const others = list.filter((x) => x.vs !== vs && (exportedTo(x.vs, vs.namespace) || exportedTo(vs, x.vs.namespace)));
      if (!others.length) continue;
      const names = [vs, ...others.map((x) => x.vs)].map((x) => `${x.namespace}/${x.name}`).sort().join(',');
      emit(vs, 'IST0109', ['spec', 'hosts', i], 'value', { virtualServices: names, host });
    }
  }
  // other gateways: merged in undefined order (PRK002)
  const byGwHost = new Map<string, Array<{ vs: Obj; i: number }>>();
  for (const vs of vss) {
    for (const g of arr(vs.spec.gateways)) {
      if (typeof g !== 'string' || g === 'mesh') continue;
      const { namespace, name } = gatewayRef(vs, g);
      for (const h of hostsOf(vs)) {
        const key = `${namespace}/${name}|${h.raw}`;
        const list = byGwHost.get(key) ?? [];
        if (!list.some((x) => x.vs === vs)) list.push({ vs, i: h.i });
        byGwHost.set(key, list);
      }
    }
  }
  for (const [key, list] of byGwHost) {
    if (list.length < 2) continue;
    const [gateway, host] = key.split('|');
    for (const { vs, i } of list) {
      const others = list.filter((x) => x.vs !== vs).map((x) => `${x.vs.namespace}/${x.vs.name}`);
      emit(vs, 'PRK002', ['spec', 'hosts', i], 'value', { host, gateway, others: others.join(', ') });
    }
  }
};

const REGEX_FIELDS = ['uri', 'scheme', 'method', 'authority'];

const vsRegexes: Analyzer = (m, emit) => {
  for (const vs of m.istio('VirtualService')) {
    arr(vs.spec.http).forEach((r, i) => {
      arr(rec(r).match).forEach((mt, j) => {
        const match = rec(mt);
        const check = (v: unknown, path: Array<string | number>, where: string) => {
          const re = str(rec(v).regex);
          if (re === undefined) return;
          const problem = re2Problem(re);
          if (problem) emit(vs, 'IST0122', [...path, 'regex'], 'value', { where, re, problem });
        };
        for (const f of REGEX_FIELDS) check(match[f], ['spec', 'http', i, 'match', j, f], f);
        for (const group of ['headers', 'queryParams', 'withoutHeaders'] as const) {
          for (const [k, v] of Object.entries(rec(match[group]))) check(v, ['spec', 'http', i, 'match', j, group, k], `${group}.${k}`);
        }
      });
      arr(rec(rec(r).corsPolicy).allowOrigins).forEach((o, k) => {
        const re = str(rec(o).regex);
        const problem = re === undefined ? undefined : re2Problem(re);
        if (problem) emit(vs, 'IST0122', ['spec', 'http', i, 'corsPolicy', 'allowOrigins', k, 'regex'], 'value', { where: 'corsPolicy.allowOrigins', re, problem });
      });
    });
  }
};

// ---------------------------------------------------------------------------------- workloads and services

const K8S_APP_PROTOCOLS = ['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss'];

const servicePorts: Analyzer = (m, emit) => {
  for (const svc of m.kind('Service')) {
    if (svc.group !== '' || SYSTEM_NAMESPACES.has(svc.namespace)) continue;
    arr(svc.spec.ports).forEach((p, i) => {
      const port = rec(p);
      const app = str(port.appProtocol);
      if (app !== undefined) {
        if (!parseProtocol(app) && !K8S_APP_PROTOCOLS.includes(app)) emit(svc, 'PRK003', ['spec', 'ports', i, 'appProtocol'], 'value', { value: app, port: scalarText(port.port) });
        return;
      }
      if (str(port.protocol) === 'UDP') return;
      const name = str(port.name) ?? '';
      if (parseProtocol(name.split('-')[0])) return;
      emit(svc, 'IST0118', ['spec', 'ports', i, port.name === undefined ? 'port' : 'name'], 'value', {
        portName: name || '(без имени)',
        port: scalarText(port.port),
        targetPort: scalarText(port.targetPort ?? port.port),
      });
    });
  }
};

const serviceSelectsPods: Analyzer = (m, emit) => {
  for (const svc of m.kind('Service')) {
    if (svc.group !== '' || SYSTEM_NAMESPACES.has(svc.namespace)) continue;
    const sel = strMap(svc.spec.selector);
    if (!Object.keys(sel).length) continue;
    const known = m.workloadsInNamespace(svc.namespace);
    if (!known.length) continue; // the namespace's workloads are not in view
    if (known.some((w) => selects(sel, w.labels))) continue;
    emit(svc, 'PRK005', ['spec', 'selector'], 'key', { service: svc.name, selector: selectorString(sel) });
  }
};

const appVersionLabels: Analyzer = (m, emit) => {
  for (const w of m.workloads) {
    if (SYSTEM_NAMESPACES.has(w.obj.namespace)) continue;
    if (w.annotations['sidecar.istio.io/inject'] === 'false' || w.labels['sidecar.istio.io/inject'] === 'false') continue;
    const hasApp = 'app' in w.labels || 'app.kubernetes.io/name' in w.labels || 'service.istio.io/canonical-name' in w.labels;
    const hasVersion = 'version' in w.labels || 'app.kubernetes.io/version' in w.labels || 'service.istio.io/canonical-revision' in w.labels;
    if (hasApp && hasVersion) continue;
    const missing = [!hasApp && 'метки app', !hasVersion && 'метки version'].filter(Boolean).join(' и ');
    emit(w.obj, 'PRK004', w.labelsPath, 'key', { workload: `${w.obj.kind} ${w.obj.name}`, missing });
  }
};

function injectionEnabled(ns: Obj): boolean | undefined {
  const v = ns.labels['istio-injection'];
  if (v === 'enabled') return true;
  if (v === 'disabled') return false;
  if (ns.labels['istio.io/rev']) return true;
  if (ns.labels['istio.io/dataplane-mode'] === 'ambient') return true;
  return undefined;
}

const namespaceInjection: Analyzer = (m, emit) => {
  for (const ns of m.kind('Namespace')) {
    if (SYSTEM_NAMESPACES.has(ns.name) || injectionEnabled(ns) !== undefined) continue;
    const workloads = m.workloadsInNamespace(ns.name).filter((w) => w.annotations['sidecar.istio.io/inject'] !== 'false' && w.labels['sidecar.istio.io/inject'] !== 'false');
    if (!workloads.length) continue;
    // "Meant to be in the mesh": Istio routing configuration lives in or points into this namespace.
    const suffix = `.${ns.name}.${CLUSTER_DOMAIN}`;
    // (A VirtualService bound only to gateways is applied by the gateway: its targets need no sidecar.)
    const meant =
      m.istio('VirtualService').some((vs) => meshBound(vs) && destinations(vs).some((d) => toFqdn(d.host, vs.namespace).endsWith(suffix))) ||
      m.istio('DestinationRule').some((dr) => toFqdn(str(dr.spec.host) ?? '', dr.namespace).endsWith(suffix));
    emit(ns, 'IST0102', ns.input.object.metadata && rec(ns.input.object.metadata).labels ? ['metadata', 'labels'] : ['metadata'], 'key', { namespace: ns.name, meant: meant ? 'yes' : undefined }, meant ? 'warning' : 'info');
  }
};

// ---------------------------------------------------------------------------------- annotations

export const KNOWN_ANNOTATIONS = [
  'alpha.istio.io/canonical-serviceaccounts',
  'alpha.istio.io/identity',
  'alpha.istio.io/kubernetes-serviceaccounts',
  'ambient.istio.io/redirection',
  'ambient.istio.io/bypass-inbound-capture',
  'galley.istio.io/analyze-suppress',
  'inject.istio.io/templates',
  'install.operator.istio.io/chart-owner',
  'install.operator.istio.io/owner-generation',
  'install.operator.istio.io/version',
  'istio.io/autoRegistrationGroup',
  'istio.io/connectedAt',
  'istio.io/disconnectedAt',
  'istio.io/dry-run',
  'istio.io/workloadController',
  'istio.io/rev',
  'networking.istio.io/exportTo',
  'networking.istio.io/traffic-distribution',
  'networking.istio.io/service-type',
  'prometheus.istio.io/merge-metrics',
  'proxy.istio.io/config',
  'proxy.istio.io/overrides',
  'readiness.status.sidecar.istio.io/applicationPorts',
  'readiness.status.sidecar.istio.io/failureThreshold',
  'readiness.status.sidecar.istio.io/initialDelaySeconds',
  'readiness.status.sidecar.istio.io/periodSeconds',
  'sidecar.istio.io/agentLogLevel',
  'sidecar.istio.io/bootstrapOverride',
  'sidecar.istio.io/componentLogLevel',
  'sidecar.istio.io/controlPlaneAuthPolicy',
  'sidecar.istio.io/discoveryAddress',
  'sidecar.istio.io/enableCoreDump',
  'sidecar.istio.io/extraStatTags',
  'sidecar.istio.io/inject',
  'sidecar.istio.io/interceptionMode',
  'sidecar.istio.io/logLevel',
  'sidecar.istio.io/nativeSidecar',
  'sidecar.istio.io/proxyCPU',
  'sidecar.istio.io/proxyCPULimit',
  'sidecar.istio.io/proxyImage',
  'sidecar.istio.io/proxyImageType',
  'sidecar.istio.io/proxyMemory',
  'sidecar.istio.io/proxyMemoryLimit',
  'sidecar.istio.io/rewriteAppHTTPProbers',
  'sidecar.istio.io/statsCompression',
  'sidecar.istio.io/statsHistogramBuckets',
  'sidecar.istio.io/statsInclusionPrefixes',
  'sidecar.istio.io/statsInclusionRegexps',
  'sidecar.istio.io/statsInclusionSuffixes',
  'sidecar.istio.io/status',
  'sidecar.istio.io/userVolume',
  'sidecar.istio.io/userVolumeMount',
  'status.sidecar.istio.io/port',
  'traffic.sidecar.istio.io/excludeInboundPorts',
  'traffic.sidecar.istio.io/excludeInterfaces',
  'traffic.sidecar.istio.io/excludeOutboundIPRanges',
  'traffic.sidecar.istio.io/excludeOutboundPorts',
  'traffic.sidecar.istio.io/includeInboundPorts',
  'traffic.sidecar.istio.io/includeOutboundIPRanges',
  'traffic.sidecar.istio.io/includeOutboundPorts',
  'traffic.sidecar.istio.io/kubevirtInterfaces',
];

/**
 * Istio reports every unknown annotation in its domains. Its list grows with each release, so
 * to report only what is really wrong the engine flags an unknown Istio annotation only when
 * it is a near miss of a known one (a typo), never a newer annotation it has not heard of.
 */
const annotations: Analyzer = (m, emit) => {
  const check = (obj: Obj, ann: Record<string, string>, base: Array<string | number>) => {
    for (const key of Object.keys(ann)) {
      const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
      if (!(domain === 'istio.io' || domain.endsWith('.istio.io'))) continue;
      if (KNOWN_ANNOTATIONS.includes(key)) continue;
      const near = closest(key, KNOWN_ANNOTATIONS);
      if (!near) continue;
      emit(obj, 'IST0108', [...base, key], 'key', { annotation: key, suggestion: near });
    }
  };
  for (const o of m.all) {
    check(o, o.annotations, ['metadata', 'annotations']);
  }
  for (const w of m.workloads) {
    if (w.obj.kind !== 'Pod') check(w.obj, w.annotations, ['spec', 'template', 'metadata', 'annotations']);
  }
};

export const ANALYZERS: Array<{ name: string; run: Analyzer }> = [
  { name: 'gateway.SelectorAnalyzer', run: gatewaySelector },
  { name: 'gateway.IngressGatewayPortAnalyzer', run: gatewayPorts },
  { name: 'gateway.SecretAnalyzer', run: gatewaySecrets },
  { name: 'virtualservice.GatewayAnalyzer', run: vsGateways },
  { name: 'gateway.VirtualServiceHostNotFoundInGateway', run: vsHostsInGateway },
  { name: 'virtualservice.DestinationHostAnalyzer', run: vsDestinationHosts },
  { name: 'virtualservice.DestinationRuleAnalyzer', run: vsSubsets },
  { name: 'destinationrule.SubsetPodSelectorAnalyzer', run: drSubsetPods },
  { name: 'practicum.RouteWeights', run: routeWeights },
  { name: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer', run: vsConflicts },
  { name: 'virtualservice.RegexAnalyzer', run: vsRegexes },
  { name: 'service.PortNameAnalyzer', run: servicePorts },
  { name: 'practicum.ServiceSelectsPods', run: serviceSelectsPods },
  { name: 'practicum.AppVersionLabels', run: appVersionLabels },
  { name: 'injection.Analyzer', run: namespaceInjection },
  { name: 'annotations.K8sAnalyzer', run: annotations },
  { name: 'envoyfilter.EnvoyPatchAnalyzer', run: envoyFilterRelativeOps },
];

export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

/** Codes silenced on this object by `galley.istio.io/analyze-suppress: "IST0102,PRK004"` (or "*"). */
export function suppressedCodes(obj: Obj): Set<string> | '*' {
  const v = obj.annotations[SUPPRESS_ANNOTATION];
  if (!v) return new Set();
  if (v.trim() === '*') return '*';
  return new Set(v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));
}

export function runAnalyzers(m: Model): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const emit: Emit = (obj, code, path, target, args, severity) => {
    if (obj.input.context) return;
    const sup = suppressedCodes(obj);
    if (sup === '*' || sup.has(code)) return;
    out.push({ obj, code, path, target, args, severity });
  };
  for (const a of ANALYZERS) a.run(m, emit);
  return out;
}
