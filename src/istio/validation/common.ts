/**
 * The shared checks of Istio's config validation (istio/istio pkg/config/validation/agent/
 * validation.go, pkg/config/labels/instance.go, pkg/config/validation/validation.go), with
 * Istio's wording. Regular expressions are compiled by re2js, a port of Go's regexp, so its
 * errors read exactly as Go's (`error parsing regexp: missing closing ): \`(abc\``).
 */
import { RE2JS } from 're2js';
import { durationProblem, parseDuration } from '../duration';
import type { Findings } from './errors';

const DNS1123_LABEL_FMT = '[a-zA-Z0-9](?:[-a-z-A-Z0-9]*[a-zA-Z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const WILDCARD_PREFIX = new RegExp(`^(\\*|(\\*|\\*-)?${DNS1123_LABEL_FMT})$`);
const QUALIFIED_NAME_FMT = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const TAG = new RegExp(`^(${DNS1123_LABEL_FMT}(?:\\.${DNS1123_LABEL_FMT})*/)?(${QUALIFIED_NAME_FMT})$`);
const LABEL_VALUE = new RegExp(`^(${QUALIFIED_NAME_FMT})?$`);
const HEADER_NAME = /^[-_A-Za-z0-9]+$/;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const quote = (s: string): string => JSON.stringify(s);

export const isDNS1123Label = (v: string): boolean => v.length <= 63 && DNS1123_LABEL.test(v);
const isWildcardDNS1123Label = (v: string): boolean => v.length <= 63 && WILDCARD_PREFIX.test(v);

/** agent.ValidatePort */
export function portProblem(port: number): string | undefined {
  return port >= 1 && port <= 65535 && Number.isInteger(port) ? undefined : `port number ${port} must be in the range 1..65535`;
}

function dns1123Preconditions(name: string): string | undefined {
  if (name.length > 255) return `domain name ${quote(name)} too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  return undefined;
}

function dns1123Labels(domain: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (/^[+-]?\d+$/.test(tld)) return `domain name ${quote(domain)} invalid (top level domain ${quote(tld)} cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isDNS1123Label(parts[i])) return `domain name ${quote(domain)} invalid (label ${quote(parts[i])} invalid)`;
  }
  return undefined;
}

/** agent.ValidateFQDN */
export function fqdnProblem(fqdn: string): string | undefined {
  return dns1123Preconditions(fqdn) ?? dns1123Labels(fqdn);
}

/** agent.ValidateWildcardDomain: an FQDN whose first label may be a wildcard. */
export function wildcardDomainProblem(domain: string): string | undefined {
  const pre = dns1123Preconditions(domain);
  if (pre) return pre;
  const i = domain.indexOf('.');
  const first = i < 0 ? domain : domain.slice(0, i);
  if (!isWildcardDNS1123Label(first)) return `domain name ${quote(domain)} invalid (label ${quote(first)} invalid)`;
  return i < 0 ? undefined : dns1123Labels(domain.slice(i + 1));
}

/** agent.ValidatePartialWildCard */
export function partialWildcardProblem(host: string): string | undefined {
  return host.includes('*') && host.length !== 1 && !host.startsWith('*.') ? `partial wildcard ${quote(host)} not allowed` : undefined;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** netutil.IsValidIPAddress (IPv4 dotted quads and IPv6 in their textual forms). */
export function isIP(s: string): boolean {
  if (IPV4.test(s)) return true;
  if (!s.includes(':')) return false;
  try {
    return new URL(`http://[${s}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** agent.ValidateIPSubnet */
export function ipSubnetProblem(subnet: string): string | undefined {
  if ((subnet.match(/\//g) ?? []).length === 1) {
    const [ip, bits] = subnet.split('/');
    const max = ip.includes(':') ? 128 : 32;
    return isIP(ip) && /^\d+$/.test(bits) && Number(bits) <= max ? undefined : `${subnet} is not a valid CIDR block`;
  }
  return isIP(subnet) ? undefined : `${subnet} is not a valid IP`;
}

/** labels.Instance.Validate (each problem through multierror.Append). */
export function validateLabels(f: Findings, labels: unknown, ...rel: Array<string | number>): void {
  if (!isRecord(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    const m = TAG.exec(k);
    if (!m) f.listError(`invalid tag key: ${quote(k)}`, ...rel, k);
    else if (m[1] && m[1].length - 1 > 253) f.listError(`invalid tag key: ${quote(k)} (DNS prefix is too long)`, ...rel, k);
    else if (m[2].length > 63) f.listError(`invalid tag key: ${quote(k)} (name is too long)`, ...rel, k);
    if (!LABEL_VALUE.test(str(v))) f.listError(`invalid tag value: ${quote(str(v))}`, ...rel, k);
  }
}

/** ValidateHTTPHeaderName */
export function headerNameProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  return HEADER_NAME.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

/** validateStringRegexp: RE2 syntax as Go's regexp parses it. */
/** RE2 compile errors by pattern (null: compiles); a VirtualService may repeat one regex in 5000 routes. */
const regexErrors = new Map<string, string | null>();

export function regexProblem(re: string, where: string): string | undefined {
  if (re.length > 1024) return `${quote(where)}: regex is too large, max length allowed is 1024`;
  let msg = regexErrors.get(re);
  if (msg === undefined) {
    try {
      RE2JS.compile(re);
      msg = null;
    } catch (e) {
      msg = e instanceof Error ? e.message : String(e);
    }
    if (regexErrors.size > 500) regexErrors.clear();
    regexErrors.set(re, msg);
  }
  return msg === null ? undefined : `${quote(where)}: ${msg}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`;
}

/** agent.ValidateDuration on a duration string (an unparsable one never reaches the webhook: the CRD refuses it). */
export function durationFieldProblem(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = parseDuration(v);
  return ms === undefined ? undefined : durationProblem(ms);
}

/** validatePercentage (networking.Percent) */
export function percentageProblem(p: unknown): string | undefined {
  if (!isRecord(p)) return undefined;
  const v = num(p.value);
  return v < 0 || v > 100 || (v > 0 && v < 0.0001) ? `percentage ${goFloat(v)} is neither 0.0, nor in range [0.0001, 100.0]` : undefined;
}

/** Go's %v of a float64. */
export function goFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  const s = String(v);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

/** Go's %f */
export const goFixed = (v: number): string => v.toFixed(6);

/** labels.IsDNS1123Label-based subset name check (validateSubsetName). */
export function subsetNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'subset name cannot be empty';
  return isDNS1123Label(name) ? undefined : `subset name is invalid: ${name}`;
}

/** ValidatePortName */
export function portNameProblem(name: string): string | undefined {
  return isDNS1123Label(name) ? undefined : `invalid port name: ${name}`;
}

/** Protocols istio pkg/config/protocol.Parse accepts (case-insensitive). */
export const ISTIO_PROTOCOLS = ['TCP', 'UDP', 'GRPC', 'GRPC-WEB', 'HTTP', 'HTTP_PROXY', 'HTTP2', 'HTTPS', 'TLS', 'MONGO', 'REDIS', 'MYSQL'];

export function parseProtocol(p: unknown): string | undefined {
  if (typeof p !== 'string') return undefined;
  const u = p.toUpperCase();
  return ISTIO_PROTOCOLS.includes(u) ? u : undefined;
}
export const isHTTPProtocol = (p: string | undefined): boolean => p === 'HTTP' || p === 'HTTP2' || p === 'GRPC' || p === 'GRPC-WEB' || p === 'HTTP_PROXY';
export const isTLSProtocol = (p: string | undefined): boolean => p === 'HTTPS' || p === 'TLS';

/** ValidateProtocol (empty means sniffing) */
export function protocolProblem(p: unknown): string | undefined {
  return typeof p === 'string' && p !== '' && !parseProtocol(p) ? `unsupported protocol: ${p}` : undefined;
}

/** validateWorkloadSelector (type.v1beta1.WorkloadSelector) */
export function validateWorkloadSelector(f: Findings, selector: unknown, ...rel: Array<string | number>): void {
  if (!isRecord(selector)) return;
  const ml = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) {
    if (k === '') f.error(`empty key is not supported in selector: ${quote(`${k}=${str(v)}`)}`, ...rel, 'matchLabels');
    if (k.includes('*') || str(v).includes('*')) f.error(`wildcard is not supported in selector: ${quote(`${k}=${str(v)}`)}`, ...rel, 'matchLabels', k);
  }
  if (!Object.keys(ml).length) f.warn('workload selector specified without labels', ...rel);
}
