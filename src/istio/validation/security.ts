/**
 * ValidatePeerAuthentication, ValidateAuthorizationPolicy and ValidateRequestAuthentication
 * (istio/istio pkg/config/validation/validation.go), worded as Istio words them.
 */
import { arr, headerNameProblem, ipSubnetProblem, isRecord, num, str, validateWorkloadSelector, durationFieldProblem } from './common';
import { Findings } from './errors';

type R = Record<string, unknown>;

/** validateOneOfSelectorType, validateWorkloadSelector, validatePolicyTargetReference(s), as every policy kind runs them. */
export function selectorOrTargets(f: Findings, spec: R): void {
  const set = (spec.selector !== undefined ? 1 : 0) + (spec.targetRef !== undefined ? 1 : 0) + (arr(spec.targetRefs).length ? 1 : 0);
  if (set > 1) f.error('only one of targetRefs or workloadSelector can be set', 'spec');
  validateWorkloadSelector(f, spec.selector, 'spec', 'selector');
  const refs = [...(isRecord(spec.targetRef) ? [['targetRef', spec.targetRef] as const] : []), ...arr(spec.targetRefs).map((r, i) => [`targetRefs.${i}`, r] as const)];
  for (const [where, r] of refs) {
    if (!isRecord(r)) continue;
    const path = where.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (str(r.name) === '') f.error('targetRef name must be set', 'spec', ...path);
    if (str(r.namespace) !== '') f.error('targetRef namespace must not be set; cross namespace referencing is not supported', 'spec', ...path);
    const group = str(r.group) || 'core';
    const ok = (group === 'core' && r.kind === 'Service') || (group === 'networking.istio.io' && r.kind === 'ServiceEntry') || (group === 'gateway.networking.k8s.io' && r.kind === 'Gateway');
    if (!ok)
      f.error(
        `targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway] but was ${str(r.group)}/${str(r.kind)}`,
        'spec',
        ...path,
      );
  }
}

export function validatePeerAuthentication(f: Findings, spec: R): void {
  const sel = isRecord(spec.selector) ? spec.selector : undefined;
  const emptySelector = !sel || !isRecord(sel.matchLabels) || Object.keys(sel.matchLabels).length === 0;
  const plm = spec.portLevelMtls;
  if (emptySelector && isRecord(plm) && Object.keys(plm).length) f.error('mesh/namespace peer authentication cannot have port level mTLS', 'spec', 'portLevelMtls');
  if (isRecord(plm) && !Object.keys(plm).length) f.error('port level mTLS, if defined, must have at least one element', 'spec', 'portLevelMtls');
  for (const port of Object.keys(isRecord(plm) ? plm : {})) {
    const n = Number(port);
    if (!(n > 0 && n <= 65535)) f.error('port must be in range 1..65535', 'spec', 'portLevelMtls', port);
  }
  validateWorkloadSelector(f, spec.selector, 'spec', 'selector');
}

const SOURCE_FIELDS = ['principals', 'requestPrincipals', 'namespaces', 'ipBlocks', 'remoteIpBlocks', 'notPrincipals', 'notRequestPrincipals', 'notNamespaces', 'notIpBlocks', 'notRemoteIpBlocks'];
const SOURCE_NAMES: Record<string, string> = {
  principals: 'Principals', requestPrincipals: 'RequestPrincipals', namespaces: 'Namespaces', ipBlocks: 'IpBlocks', remoteIpBlocks: 'RemoteIpBlocks',
  notPrincipals: 'NotPrincipals', notRequestPrincipals: 'NotRequestPrincipals', notNamespaces: 'NotNamespaces', notIpBlocks: 'NotIpBlocks', notRemoteIpBlocks: 'NotRemoteIpBlocks',
};
const OP_FIELDS = ['ports', 'methods', 'paths', 'hosts', 'notPorts', 'notMethods', 'notPaths', 'notHosts'];
const OP_NAMES: Record<string, string> = { ports: 'Ports', methods: 'Methods', paths: 'Paths', hosts: 'Hosts', notPorts: 'NotPorts', notMethods: 'NotMethods', notPaths: 'NotPaths', notHosts: 'NotHosts' };

/** ValidateAuthorizationPolicy: errors carry the prefix `invalid policy <name>.<namespace>:` (multierror.Prefix). */
export function validateAuthorizationPolicy(f: Findings, spec: R, name: string, namespace: string): void {
  const p = new Findings();
  selectorOrTargets(p, spec);
  const action = str(spec.action) || 'ALLOW';
  const rules = spec.rules;
  if (action === 'CUSTOM') {
    if (rules === undefined)
      p.error('CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request', 'spec');
    else if (!isRecord(spec.provider) || str(spec.provider.name) === '') p.error('`provider.name` must not be empty', 'spec', 'provider');
  }
  if (spec.provider !== undefined && action !== 'CUSTOM') p.error(`\`provider\` must not be with non CUSTOM action, found ${action}`, 'spec', 'provider');
  if (action === 'DENY' && rules === undefined)
    p.error('DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request', 'spec');
  arr(rules).forEach((rule, i) => {
    const at = (...rel: Array<string | number>): Array<string | number> => ['spec', 'rules', i, ...rel];
    if (!isRecord(rule)) return p.error(`\`rule\` must not be nil, found at rule ${i}`, ...at());
    if (Array.isArray(rule.from) && !rule.from.length) p.error(`\`from\` must not be empty, found at rule ${i}`, ...at('from'));
    arr(rule.from).forEach((from, j) => {
      if (!isRecord(from)) return p.error(`\`from\` must not be nil, found at rule ${i}`, ...at('from', j));
      if (!isRecord(from.source)) return p.error(`\`from.source\` must not be nil, found at rule ${i}`, ...at('from', j));
      const src = from.source;
      if (!SOURCE_FIELDS.some((k) => arr(src[k]).length)) p.error(`\`from.source\` must not be empty, found at rule ${i}`, ...at('from', j, 'source'));
      for (const k of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'])
        arr(src[k]).forEach((ip, n) => {
          const prob = ipSubnetProblem(str(ip));
          if (prob) p.error(`invalid IP address: ${str(ip)}`, ...at('from', j, 'source', k, n));
        });
      for (const k of SOURCE_FIELDS) if (arr(src[k]).some((v) => str(v) === '')) p.error(`empty value not allowed, found in ${SOURCE_NAMES[k]}`, ...at('from', j, 'source', k));
    });
    if (Array.isArray(rule.to) && !rule.to.length) p.error(`\`to\` must not be empty, found at rule ${i}`, ...at('to'));
    arr(rule.to).forEach((to, j) => {
      if (!isRecord(to)) return p.error(`\`to\` must not be nil, found at rule ${i}`, ...at('to', j));
      if (!isRecord(to.operation)) return p.error(`\`to.operation\` must not be nil, found at rule ${i}`, ...at('to', j));
      const op = to.operation;
      if (!OP_FIELDS.some((k) => arr(op[k]).length)) p.error(`\`to.operation\` must not be empty, found at rule ${i}`, ...at('to', j, 'operation'));
      for (const k of ['ports', 'notPorts'])
        arr(op[k]).forEach((port, n) => {
          const v = Number(str(port));
          if (!/^\d+$/.test(str(port)) || v < 0 || v > 65535) p.error(`invalid port: ${str(port)}`, ...at('to', j, 'operation', k, n));
        });
      for (const k of OP_FIELDS) if (arr(op[k]).some((v) => str(v) === '')) p.error(`empty value not allowed, found in ${OP_NAMES[k]}`, ...at('to', j, 'operation', k));
    });
    arr(rule.when).forEach((c, j) => {
      if (!isRecord(c)) return;
      const key = str(c.key);
      if (key === '') p.error('`key` must not be empty', ...at('when', j));
      else if (!arr(c.values).length && !arr(c.notValues).length) p.error(`at least one of \`values\` or \`notValues\` must be set for key ${key}`, ...at('when', j));
    });
  });
  const prefix = `invalid policy ${name}.${namespace}:`;
  for (const e of p.errors) f.errors.push({ ...e, message: `${prefix} ${e.message}` });
  f.warnings.push(...p.warnings);
}

export function validateRequestAuthentication(f: Findings, spec: R): void {
  selectorOrTargets(f, spec);
  arr(spec.jwtRules).forEach((r, i) => {
    if (!isRecord(r)) return;
    const at = (...rel: Array<string | number>): Array<string | number> => ['spec', 'jwtRules', i, ...rel];
    if (str(r.issuer) === '') f.listError('issuer must be set', ...at());
    arr(r.audiences).forEach((a, j) => {
      if (str(a) === '') f.listError('audience must be non-empty string', ...at('audiences', j));
    });
    if (str(r.jwksUri) !== '') {
      let u: URL | undefined;
      try {
        u = new URL(str(r.jwksUri));
      } catch {
        u = undefined;
      }
      if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) f.listError(`invalid jwks_uri: ${str(r.jwksUri)}`, ...at('jwksUri'));
    }
    if (str(r.jwks) !== '') {
      try {
        JSON.parse(str(r.jwks));
      } catch (e) {
        f.listError(`jwks parse error: ${e instanceof Error ? e.message : String(e)}`, ...at('jwks'));
      }
    }
    arr(r.fromHeaders).forEach((h, j) => {
      if (!isRecord(h)) return f.listError('location header name must be non-null', ...at('fromHeaders', j));
      if (str(h.name) === '') f.listError('location header name must be non-empty string', ...at('fromHeaders', j));
    });
    arr(r.fromParams).forEach((q, j) => {
      if (str(q) === '') f.listError('location query must be non-empty string', ...at('fromParams', j));
    });
    arr(r.fromCookies).forEach((c, j) => {
      if (str(c) === '') f.listError('cookie name must be non-empty string', ...at('fromCookies', j));
    });
    arr(r.outputClaimToHeaders).forEach((c, j) => {
      if (!isRecord(c)) return f.listError('outputClaimToHeaders must not be null', ...at('outputClaimToHeaders', j));
      if (str(c.claim) === '' || str(c.header) === '') return f.listError('outputClaimToHeaders header and claim value must be non-empty string', ...at('outputClaimToHeaders', j));
      const h = headerNameProblem(str(c.header));
      if (h) f.listError(h, ...at('outputClaimToHeaders', j, 'header'));
    });
    if (r.timeout !== undefined) {
      const d = durationFieldProblem(r.timeout);
      if (d) f.listError(d, ...at('timeout'));
    }
  });
  void num;
}
