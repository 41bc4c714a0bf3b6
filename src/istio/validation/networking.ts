/**
 * ValidateGateway, ValidateDestinationRule, ValidateServiceEntry, ValidateSidecar and
 * ValidateWorkloadEntry of istio/istio pkg/config/validation/validation.go, worded as Istio words them.
 */
import {
  arr,
  durationFieldProblem,
  fqdnProblem,
  ipSubnetProblem,
  isDNS1123Label,
  isHTTPProtocol,
  isIP,
  isRecord,
  isTLSProtocol,
  num,
  parseProtocol,
  partialWildcardProblem,
  portNameProblem,
  portProblem,
  protocolProblem,
  quote,
  str,
  subsetNameProblem,
  validateLabels,
  validateWorkloadSelector,
  wildcardDomainProblem,
} from './common';
import type { Findings } from './errors';
import { validateExportTo } from './virtualService';

type R = Record<string, unknown>;

export function validateGateway(f: Findings, spec: R, name: string): void {
  if (!isDNS1123Label(name)) f.error(`invalid gateway name: ${quote(name)}`, 'metadata', 'name');
  const servers = arr(spec.servers);
  if (!servers.length) f.error('gateway must have at least one server', 'spec');
  servers.forEach((s, i) => {
    if (isRecord(s)) validateServer(f.at('spec', 'servers', i), s);
  });
  const names = new Set<string>();
  servers.forEach((s, i) => {
    if (!isRecord(s)) return f.error('server may not be nil', 'spec', 'servers', i);
    if (!isRecord(s.port)) return;
    const n = str(s.port.name);
    if (names.has(n)) f.error(`port names in servers must be unique: duplicate name ${n}`, 'spec', 'servers', i, 'port', 'name');
    names.add(n);
    if (!isHTTPProtocol(parseProtocol(s.port.protocol)) && isRecord(s.tls) && s.tls.httpsRedirect === true)
      f.warn('tls.httpsRedirect should only be used with http servers', 'spec', 'servers', i, 'tls', 'httpsRedirect');
  });
}

function validateServer(f: Findings, s: R): void {
  const hosts = arr(s.hosts).map(str);
  if (!hosts.length) f.error('server config must contain at least one host', 'hosts');
  hosts.forEach((h, i) => namespaceSlashHostname(f, h, true, 'hosts', i));
  const port = s.port;
  const bind = str(s.bind);
  let portOk = true;
  if (!isRecord(port)) {
    f.error('port is required', 'port');
    portOk = false;
  } else {
    if (!parseProtocol(port.protocol)) {
      f.error(`invalid protocol ${quote(str(port.protocol))}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`, 'port', 'protocol');
      portOk = false;
    }
    if (num(port.number) > 0 || !bind.startsWith('unix://')) {
      const p = portProblem(num(port.number));
      if (p) {
        f.error(p, 'port', 'number');
        portOk = false;
      }
    }
    if (num(port.targetPort) > 0) {
      f.error('targetPort has no impact on Gateways', 'port', 'targetPort');
      portOk = false;
    }
    if (str(port.name) === '') {
      f.error(`port name must be set: ${goPort(port)}`, 'port');
      portOk = false;
    }
  }
  if (bind !== '' && !bind.startsWith('unix://') && !isIP(bind)) f.error(`${bind} is not a valid IP`, 'bind');
  validateServerTLS(f, s.tls);
  if (portOk && isRecord(port)) {
    const p = parseProtocol(port.protocol);
    if (isTLSProtocol(p) && s.tls === undefined) f.error('server must have TLS settings for HTTPS/TLS protocols', 'port', 'protocol');
    else if (!isTLSProtocol(p) && isRecord(s.tls)) {
      if (isHTTPProtocol(p)) {
        const passthroughOnly = s.tls.httpsRedirect === true && Object.keys(s.tls).every((k) => k === 'httpsRedirect');
        if (!passthroughOnly || str(s.tls.caCertificates) || str(s.tls.privateKey) || str(s.tls.serverCertificate))
          f.error('server cannot have TLS settings for plain text HTTP ports', 'tls');
      } else f.error('server cannot have TLS settings for non HTTPS/TLS ports', 'tls');
    }
  }
}

/** Go's %v of a networking.Port: `number:80 name:"x"`-like text form. */
function goPort(p: R): string {
  const parts: string[] = [];
  if (num(p.number)) parts.push(`number:${num(p.number)}`);
  if (str(p.protocol)) parts.push(`protocol:${quote(str(p.protocol))}`);
  if (str(p.name)) parts.push(`name:${quote(str(p.name))}`);
  return parts.join(' ');
}

function validateServerTLS(f: Findings, tls: unknown): void {
  if (!isRecord(tls)) return;
  const mode = str(tls.mode) || 'PASSTHROUGH';
  const has = (k: string): boolean => str(tls[k]) !== '';
  if (mode === 'ISTIO_MUTUAL') {
    if (has('serverCertificate')) f.error('ISTIO_MUTUAL TLS cannot have associated server certificate', 'tls', 'serverCertificate');
    if (has('privateKey')) f.error('ISTIO_MUTUAL TLS cannot have associated private key', 'tls', 'privateKey');
    if (has('caCertificates')) f.error('ISTIO_MUTUAL TLS cannot have associated CA bundle', 'tls', 'caCertificates');
    if (has('credentialName')) f.error('ISTIO_MUTUAL TLS cannot have associated credentialName', 'tls', 'credentialName');
    return;
  }
  if ((mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') && (has('caCrl') || has('serverCertificate') || has('privateKey') || has('caCertificates') || has('credentialName')))
    f.warn(`${mode} mode does not use certificates, they will be ignored`, 'tls');
  if ((mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') && has('credentialName')) return;
  if (mode === 'SIMPLE') {
    if (!has('serverCertificate')) f.error('SIMPLE TLS requires a server certificate', 'tls');
    if (!has('privateKey')) f.error('SIMPLE TLS requires a private key', 'tls');
  } else if (mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') {
    if (!has('serverCertificate')) f.error('MUTUAL TLS requires a server certificate', 'tls');
    if (!has('privateKey')) f.error('MUTUAL TLS requires a private key', 'tls');
    if (!has('caCertificates')) f.error('MUTUAL TLS requires a client CA bundle', 'tls');
  }
  if (has('caCrl')) {
    if (has('credentialName')) f.error('CRL is not supported with credentialName. CRL has to be specified in the credential', 'tls', 'caCrl');
    if (mode === 'SIMPLE') f.error('CRL is not supported with SIMPLE TLS', 'tls', 'caCrl');
  }
}

/** agent.ValidateNamespaceSlashWildcardHostname */
export function namespaceSlashHostname(f: Findings, hostname: string, gateway: boolean, ...rel: Array<string | number>): void {
  const slash = hostname.indexOf('/');
  if (slash < 0) {
    if (gateway) return hostnamePart(f, hostname, true, ...rel);
    return f.error('host must be of form namespace/dnsName', ...rel);
  }
  const [ns, host] = [hostname.slice(0, slash), hostname.slice(slash + 1)];
  if (!ns || !host) f.error('config namespace and dnsName in host entry cannot be empty', ...rel);
  if (ns !== '*' && ns !== '.' && (gateway || ns !== '~') && !isDNS1123Label(ns)) f.error(`invalid namespace value ${quote(ns)} in ${gateway ? 'gateway' : 'sidecar'}`, ...rel);
  hostnamePart(f, host, gateway, ...rel);
}

function hostnamePart(f: Findings, host: string, gateway: boolean, ...rel: Array<string | number>): void {
  if (host !== '*' && !host.includes('.')) f.error('short names (non FQDN) are not allowed', ...rel);
  const err = wildcardDomainProblem(host);
  if (err) {
    if (!gateway) f.error(err, ...rel);
    if (!isIP(host)) f.error(err, ...rel);
  }
  f.error(partialWildcardProblem(host), ...rel);
}

export function validateDestinationRule(f: Findings, spec: R): void {
  f.error(wildcardDomainProblem(str(spec.host)), 'spec', 'host');
  validateTrafficPolicy(f.at('spec', 'trafficPolicy'), spec.trafficPolicy);
  const names = new Set<string>();
  arr(spec.subsets).forEach((s, i) => {
    if (!isRecord(s)) return f.error('subset may not be null', 'spec', 'subsets', i);
    const n = str(s.name);
    if (names.has(n)) f.error(`duplicate subset names: ${n}`, 'spec', 'subsets', i, 'name');
    names.add(n);
    f.error(subsetNameProblem(n), 'spec', 'subsets', i, 'name');
    validateLabels(f, s.labels, 'spec', 'subsets', i, 'labels');
    validateTrafficPolicy(f.at('spec', 'subsets', i, 'trafficPolicy'), s.trafficPolicy);
  });
  validateExportTo(f, arr(spec.exportTo).map(str), false, 'spec', 'exportTo');
  validateWorkloadSelector(f, spec.workloadSelector, 'spec', 'workloadSelector');
}

function validateTrafficPolicy(f: Findings, p: unknown): void {
  if (!isRecord(p)) return;
  const fields = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol'];
  if (!fields.some((k) => p[k] !== undefined)) return f.error('traffic policy must have at least one field');
  if (p.tunnel !== undefined && p.proxyProtocol !== undefined) return f.error('tunnel and proxyProtocol must not be set together');
  policyParts(f, p);
  arr(p.portLevelSettings).forEach((pl, i) => {
    if (!isRecord(pl)) return f.error('traffic policy may not be null', 'portLevelSettings', i);
    if (!isRecord(pl.port)) f.error('portTrafficPolicy must have valid port', 'portLevelSettings', i);
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((k) => pl[k] !== undefined)) f.error('port traffic policy must have at least one field', 'portLevelSettings', i);
    else policyParts(f.at('portLevelSettings', i), pl);
  });
}

function policyParts(f: Findings, p: R): void {
  const od = p.outlierDetection;
  if (isRecord(od)) {
    if (od.baseEjectionTime !== undefined) f.error(durationFieldProblem(od.baseEjectionTime), 'outlierDetection', 'baseEjectionTime');
    if (od.consecutiveErrors !== undefined && num(od.consecutiveErrors) !== 0)
      f.warn('outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead', 'outlierDetection', 'consecutiveErrors');
    if (od.splitExternalLocalOriginErrors !== true && num(od.consecutiveLocalOriginFailures) > 0)
      f.error('outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false', 'outlierDetection');
    if (od.interval !== undefined) f.error(durationFieldProblem(od.interval), 'outlierDetection', 'interval');
    for (const k of ['maxEjectionPercent', 'minHealthPercent'] as const) {
      const v = num(od[k]);
      if (v < 0 || v > 100) f.error(`percentage ${v} is not in range 0..100`, 'outlierDetection', k);
    }
  }
  const cp = p.connectionPool;
  if (isRecord(cp)) {
    if (cp.http === undefined && cp.tcp === undefined) f.error('connection pool must have at least one field', 'connectionPool');
    if (isRecord(cp.http)) {
      const h = cp.http;
      const neg: Array<[string, string]> = [
        ['http1MaxPendingRequests', 'http1 max pending requests must be non-negative'],
        ['http2MaxRequests', 'http2 max requests must be non-negative'],
        ['maxRequestsPerConnection', 'max requests per connection must be non-negative'],
        ['maxRetries', 'max retries must be non-negative'],
      ];
      for (const [k, m] of neg) if (num(h[k]) < 0) f.error(m, 'connectionPool', 'http', k);
      if (h.idleTimeout !== undefined) f.error(durationFieldProblem(h.idleTimeout), 'connectionPool', 'http', 'idleTimeout');
      if (h.h2UpgradePolicy === 'UPGRADE' && h.useClientProtocol === true) f.error('use client protocol must not be true when H2UpgradePolicy is UPGRADE', 'connectionPool', 'http');
      if (num(h.maxConcurrentStreams) < 0) f.error('max concurrent streams must be non-negative', 'connectionPool', 'http', 'maxConcurrentStreams');
    }
    if (isRecord(cp.tcp)) {
      const t = cp.tcp;
      if (num(t.maxConnections) < 0) f.error('max connections must be non-negative', 'connectionPool', 'tcp', 'maxConnections');
      for (const k of ['connectTimeout', 'maxConnectionDuration', 'idleTimeout'] as const) if (t[k] !== undefined) f.error(durationFieldProblem(t[k]), 'connectionPool', 'tcp', k);
    }
  }
  const lb = p.loadBalancer;
  if (isRecord(lb) && isRecord(lb.consistentHash)) {
    const ch = lb.consistentHash;
    if (isRecord(ch.httpCookie) && str(ch.httpCookie.name) === '') f.error('name required for HttpCookie', 'loadBalancer', 'consistentHash', 'httpCookie');
    if (num(ch.minimumRingSize) !== 0) f.warn('consistent hash MinimumRingSize is deprecated, use ConsistentHashLB\'s RingHash configuration instead', 'loadBalancer', 'consistentHash');
  }
  if (isRecord(lb) && lb.warmupDurationSecs !== undefined) f.error(durationFieldProblem(lb.warmupDurationSecs), 'loadBalancer', 'warmupDurationSecs');
  const tls = p.tls;
  if (isRecord(tls)) {
    const mode = str(tls.mode);
    const has = (k: string): boolean => str(tls[k]) !== '';
    if ((mode === 'SIMPLE' || mode === 'MUTUAL') && has('credentialName')) {
      if (has('clientCertificate') || has('caCertificates') || has('privateKey') || has('caCrl'))
        f.error('cannot specify client certificates or CA certificate or CA CRL If credentialName is set', 'tls');
    } else if (mode === 'MUTUAL') {
      if (!has('clientCertificate')) f.error('client certificate required for mutual tls', 'tls');
      if (!has('privateKey')) f.error('private key required for mutual tls', 'tls');
    }
  }
}

export function validateServiceEntry(f: Findings, spec: R): void {
  const hosts = arr(spec.hosts).map(str);
  const endpoints = arr(spec.endpoints);
  const resolution = str(spec.resolution) || 'NONE';
  const sel = spec.workloadSelector;
  if (isRecord(sel)) {
    const labels = isRecord(sel.labels) ? sel.labels : {};
    for (const [k, v] of Object.entries(labels)) {
      if (k === '') return f.error(`empty key is not supported in selector: ${quote(`${k}=${str(v)}`)}`, 'spec', 'workloadSelector');
      if (k.includes('*') || str(v).includes('*')) return f.error(`wildcard is not supported in selector: ${quote(`${k}=${str(v)}`)}`, 'spec', 'workloadSelector');
    }
    if (!Object.keys(labels).length) f.warn('service entry: workload selector specified without labels, will be applied to all services in namespace', 'spec', 'workloadSelector');
  }
  if (sel !== undefined && spec.endpoints !== undefined) f.error('only one of WorkloadSelector or Endpoints is allowed in Service Entry', 'spec');
  if (!hosts.length) f.error('service entry must have at least one host', 'spec');
  hosts.forEach((h, i) => {
    if (h === '*') f.error(`invalid host ${h}`, 'spec', 'hosts', i);
    else {
      f.error(wildcardDomainProblem(h), 'spec', 'hosts', i);
      f.warn(partialWildcardProblem(h), 'spec', 'hosts', i);
    }
  });
  let cidr = false;
  arr(spec.addresses).forEach((a, i) => {
    cidr = cidr || str(a).includes('/');
    f.error(ipSubnetProblem(str(a)), 'spec', 'addresses', i);
  });
  if (cidr && resolution !== 'NONE' && resolution !== 'STATIC') f.error('CIDR addresses are allowed only for NONE/STATIC resolution types', 'spec', 'addresses');
  const portNames = new Set<string>();
  const portNumbers = new Set<number>();
  const ports = arr(spec.ports);
  ports.forEach((p, i) => {
    if (!isRecord(p)) return f.error('service entry port may not be null', 'spec', 'ports', i);
    const name = str(p.name);
    if (portNames.has(name)) f.error(`service entry port name ${quote(name)} already defined`, 'spec', 'ports', i, 'name');
    portNames.add(name);
    if (portNumbers.has(num(p.number))) f.error(`service entry port ${num(p.number)} already defined`, 'spec', 'ports', i, 'number');
    portNumbers.add(num(p.number));
    if (num(p.targetPort) !== 0) f.error(portProblem(num(p.targetPort)), 'spec', 'ports', i, 'targetPort');
    f.error(portNameProblem(name), 'spec', 'ports', i, 'name');
    f.error(protocolProblem(p.protocol), 'spec', 'ports', i, 'protocol');
    f.error(portProblem(num(p.number)), 'spec', 'ports', i, 'number');
  });
  switch (resolution) {
    case 'NONE':
      if (endpoints.length) f.error('no endpoints should be provided for resolution type none', 'spec', 'resolution');
      break;
    case 'STATIC':
      endpoints.forEach((e, i) => {
        if (!isRecord(e)) return f.error('endpoint cannot be nil', 'spec', 'endpoints', i);
        workloadEntry(f.at('spec', 'endpoints', i), e, portNames, false);
      });
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      if (!endpoints.length)
        hosts.forEach((h, i) => {
          if (fqdnProblem(h)) f.error(`hosts must be FQDN if no endpoints are provided for resolution mode ${resolution}`, 'spec', 'hosts', i);
        });
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) f.error(`there must only be 0 or 1 endpoint for resolution mode ${resolution}`, 'spec', 'endpoints');
      endpoints.forEach((e, i) => {
        if (!isRecord(e)) return f.error('endpoint cannot be nil', 'spec', 'endpoints', i);
        const addr = str(e.address);
        if (!isIP(addr) && fqdnProblem(addr)) f.error(`endpoint address ${quote(addr)} is not a valid FQDN or an IP address`, 'spec', 'endpoints', i, 'address');
        validateLabels(f, e.labels, 'spec', 'endpoints', i, 'labels');
        for (const [name, port] of Object.entries(isRecord(e.ports) ? e.ports : {})) {
          if (!portNames.has(name)) f.error(`endpoint port ${num(port)} is not defined by the service entry`, 'spec', 'endpoints', i, 'ports', name);
          f.error(portNameProblem(name), 'spec', 'endpoints', i, 'ports', name);
          f.error(portProblem(num(port)), 'spec', 'endpoints', i, 'ports', name);
        }
      });
      break;
  }
  if (resolution !== 'NONE' && hosts.length > 1) {
    const bad = ports.some((p) => isRecord(p) && !isHTTPProtocol(parseProtocol(p.protocol)) && !isTLSProtocol(parseProtocol(p.protocol)));
    if (bad) f.error('multiple hosts provided with non-HTTP, non-TLS ports', 'spec', 'hosts');
  }
  validateExportTo(f, arr(spec.exportTo).map(str), true, 'spec', 'exportTo');
}

/** validateWorkloadEntry */
export function workloadEntry(f: Findings, we: R, servicePorts: Set<string> | undefined, allowFQDN: boolean): void {
  const addr = str(we.address);
  if (addr === '') {
    if (str(we.network) === '') return f.error('address is required', 'address');
    f.warn(`address is unset with network ${quote(str(we.network))}`, 'address');
  }
  if (addr.startsWith('unix://')) {
    const path = addr.slice(7);
    if (path === '') f.error('unix address must not be empty', 'address');
    else if (!path.startsWith('@') && (!path.startsWith('/') || path.endsWith('/'))) f.error(`${path} is not an absolute path to a file`, 'address');
    if (isRecord(we.ports) && Object.keys(we.ports).length) f.error(`unix endpoint ${addr} must not include ports`, 'ports');
  } else if (addr !== '' && !isIP(addr)) {
    if (!allowFQDN) f.error(`endpoint address ${quote(addr)} is not a valid IP address`, 'address');
    else if (fqdnProblem(addr)) f.error(`endpoint address ${quote(addr)} is not a valid FQDN or an IP address`, 'address');
  }
  for (const [name, port] of Object.entries(isRecord(we.ports) ? we.ports : {})) {
    if (servicePorts && !servicePorts.has(name)) f.error(`endpoint port ${num(port)} is not defined by the service entry`, 'ports', name);
    f.error(portNameProblem(name), 'ports', name);
    f.error(portProblem(num(port)), 'ports', name);
  }
  validateLabels(f, we.labels, 'labels');
}

export function validateSidecar(f: Findings, spec: R, namespace: string): void {
  const ws = spec.workloadSelector;
  if (isRecord(ws)) {
    const labels = isRecord(ws.labels) ? ws.labels : {};
    for (const [k, v] of Object.entries(labels))
      if (k === '' || k.includes('*') || str(v).includes('*'))
        return f.error(`${k === '' ? 'empty key' : 'wildcard'} is not supported in selector: ${quote(`${k}=${str(v)}`)}`, 'spec', 'workloadSelector');
    if (!Object.keys(labels).length) f.warn('sidecar: workload selector specified without labels, will be applied to all services in namespace', 'spec', 'workloadSelector');
  }
  const egress = arr(spec.egress);
  const ingress = arr(spec.ingress);
  if (!egress.length && !ingress.length && spec.outboundTrafficPolicy === undefined && spec.inboundConnectionPool === undefined)
    return f.error('sidecar: empty configuration provided', 'spec');
  ingress.forEach((i, n) => {
    if (!isRecord(i)) return f.error('sidecar: ingress may not be null', 'spec', 'ingress', n);
    if (!isRecord(i.port)) return f.error('sidecar: port is required for ingress listeners', 'spec', 'ingress', n);
    if (str(i.port.name)) f.error(portNameProblem(str(i.port.name)), 'spec', 'ingress', n, 'port', 'name');
    f.error(protocolProblem(i.port.protocol), 'spec', 'ingress', n, 'port', 'protocol');
    f.error(portProblem(num(i.port.number)), 'spec', 'ingress', n, 'port', 'number');
  });
  egress.forEach((e, n) => {
    if (!isRecord(e)) return f.error('egress listener may not be null', 'spec', 'egress', n);
    if (isRecord(e.port) && num(e.port.number) !== 0) {
      if (str(e.port.name)) f.error(portNameProblem(str(e.port.name)), 'spec', 'egress', n, 'port', 'name');
      f.error(protocolProblem(e.port.protocol), 'spec', 'egress', n, 'port', 'protocol');
      f.error(portProblem(num(e.port.number)), 'spec', 'egress', n, 'port', 'number');
    } else if (e.port === undefined && n !== egress.length - 1) f.error('sidecar: the egress listener with empty port should be the last listener in the list', 'spec', 'egress', n);
    const hosts = arr(e.hosts).map(str);
    if (!hosts.length) f.error('sidecar: egress listener must contain at least one host', 'spec', 'egress', n);
    hosts.forEach((h, j) => namespaceSlashHostname(f, h, false, 'spec', 'egress', n, 'hosts', j));
  });
  void namespace;
  const otp = spec.outboundTrafficPolicy;
  if (isRecord(otp) && otp.egressProxy !== undefined && str(otp.mode) !== 'ALLOW_ANY')
    f.error('sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode', 'spec', 'outboundTrafficPolicy');
}
