/**
 * ValidateTelemetry, ValidateWasmPlugin, ValidateWorkloadGroup and ValidateProxyConfig, worded as
 * istio/istio pkg/config/validation/validation.go words them (the stored copy with targetRefs and
 * ServiceEntry IP auto-allocation v2, i.e. Istio 1.23 or later; these four functions have kept this
 * shape since). Not modelled: the Telemetry accessLogging filter's CEL parse
 * (validation_istiod.go validateTelemetryFilter returns cel-go's own parser message, which the
 * sandbox cannot reproduce word for word), and WasmPlugin URL parse failures (Go's net/url errors).
 */
import { arr, isRecord, num, portProblem, str, validateLabels } from './common';
import { Findings, formatErrors } from './errors';
import { selectorOrTargets } from './security';

type R = Record<string, unknown>;

/** validateTelemetryProviders: the first provider without a name, once per list. */
function providers(f: Findings, list: unknown, ...rel: Array<string | number>): void {
  const i = arr(list).findIndex((p) => !isRecord(p) || str(p.name) === '');
  if (i >= 0) f.error('providers.name may not be empty', ...rel, 'providers', i);
}

export function validateTelemetry(f: Findings, spec: R): void {
  selectorOrTargets(f, spec);
  // validateTelemetryMetrics
  arr(spec.metrics).forEach((m, i) => {
    if (!isRecord(m)) return;
    providers(f, m.providers, 'spec', 'metrics', i);
    arr(m.overrides).forEach((o, j) => {
      const at = ['spec', 'metrics', i, 'overrides', j];
      if (!isRecord(o)) return f.error('tagOverrides may not be null', ...at);
      for (const [tag, to] of Object.entries(isRecord(o.tagOverrides) ? o.tagOverrides : {})) {
        if (tag === '') f.warn('tagOverrides.name may not be empty', ...at, 'tagOverrides');
        if (!isRecord(to)) {
          f.error('tagOverrides may not be null', ...at, 'tagOverrides', tag);
          continue;
        }
        const op = str(to.operation) || 'UPSERT';
        if (op === 'UPSERT' && str(to.value) === '') f.error('tagOverrides.value must be set when operation is UPSERT', ...at, 'tagOverrides', tag);
        if (op === 'REMOVE' && str(to.value) !== '') f.error('tagOverrides.value may only be set when operation is UPSERT', ...at, 'tagOverrides', tag, 'value');
      }
      if (isRecord(o.match) && 'customMetric' in o.match && str(o.match.customMetric) === '') f.error('customMetric may not be empty', ...at, 'match', 'customMetric');
    });
  });
  // validateTelemetryTracing
  const tracing = arr(spec.tracing);
  if (tracing.length > 1) f.warn('multiple tracing is not currently supported', 'spec', 'tracing');
  tracing.forEach((t, i) => {
    if (!isRecord(t)) return;
    const at = ['spec', 'tracing', i];
    if (arr(t.providers).length > 1) f.warn('multiple providers is not currently supported', ...at, 'providers');
    providers(f, t.providers, ...at);
    const pct = num(t.randomSamplingPercentage);
    if (pct < 0 || pct > 100) f.error('randomSamplingPercentage must be in range [0.0, 100.0]', ...at, 'randomSamplingPercentage');
    for (const [name, tag] of Object.entries(isRecord(t.customTags) ? t.customTags : {})) {
      if (name === '') f.error('tag name may not be empty', ...at, 'customTags');
      if (!isRecord(tag)) {
        f.error(`tag '${name}' may not have a nil value`, ...at, 'customTags', name);
        continue;
      }
      const field = (k: string, sub: string): string => (isRecord(tag[k]) ? str((tag[k] as R)[sub]) : '');
      if ('literal' in tag && field('literal', 'value') === '') f.error('literal tag value may not be empty', ...at, 'customTags', name, 'literal');
      else if ('header' in tag && field('header', 'name') === '') f.error('header tag name may not be empty', ...at, 'customTags', name, 'header');
      else if ('environment' in tag && field('environment', 'name') === '') f.error('environment tag name may not be empty', ...at, 'customTags', name, 'environment');
    }
  });
  // validateTelemetryAccessLogging (the filter's CEL parse is not modelled, see above)
  arr(spec.accessLogging).forEach((l, i) => {
    if (isRecord(l)) providers(f, l.providers, 'spec', 'accessLogging', i);
  });
}

/**
 * Go's url.Parse getScheme: a letter, then letters, digits, + - . up to ":"; no scheme otherwise
 * (strictParseURL then retries with "http://" in front, so a bare "ghcr.io/x:1" is http).
 */
function urlScheme(u: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(u);
  if (!m) return 'http';
  // ParseRequestURI of "host:port/path" reads "host" as the scheme (an opaque URL)
  return m[1].toLowerCase();
}

export function validateWasmPlugin(f: Findings, spec: R): void {
  selectorOrTargets(f, spec);
  // validateWasmPluginURL
  const url = str(spec.url);
  if (url === '') f.error('url field needs to be set', 'spec', 'url');
  else {
    const scheme = urlScheme(url);
    if (!['', 'file', 'http', 'https', 'oci'].includes(scheme)) f.error(`url contains unsupported scheme: ${scheme}`, 'spec', 'url');
  }
  // validateWasmPluginSHA
  const sha = str(spec.sha256);
  if (sha !== '' && sha.length !== 64) f.error('sha256 field must be 64 characters long', 'spec', 'sha256');
  else if (sha !== '' && !/^[a-f0-9]{64}$/.test(sha)) f.error('sha256 field must match [a-f0-9]{64} pattern', 'spec', 'sha256');
  if (str(spec.imagePullSecret).length > 253) f.error('imagePullSecret field must be less than 253 characters long', 'spec', 'imagePullSecret');
  if (str(spec.pluginName).length > 256) f.error('pluginName field must be less than 255 characters long', 'spec', 'pluginName');
  // validateWasmPluginVMConfig: the first problem only
  const env = isRecord(spec.vmConfig) ? arr(spec.vmConfig.env) : [];
  const seen = new Set<string>();
  for (const [i, e] of env.entries()) {
    if (!isRecord(e)) continue;
    const name = str(e.name);
    const at = ['spec', 'vmConfig', 'env', i];
    const problem =
      name === ''
        ? 'spec.vmConfig.env invalid'
        : name.length > 256
          ? 'env.name field must be less than 255 characters long'
          : seen.has(name)
            ? 'duplicate env'
            : (str(e.valueFrom) || 'INLINE') !== 'INLINE' && str(e.value) !== ''
              ? 'value may only be set when valueFrom is INLINE'
              : undefined;
    seen.add(name);
    if (problem) {
      f.error(problem, ...at);
      break;
    }
  }
  // validateWasmPluginMatch: the first problem only
  outer: for (const [i, sel] of arr(spec.match).entries()) {
    if (!isRecord(sel)) {
      f.error(`spec.Match[${i}] is nil`, 'spec', 'match', i);
      break;
    }
    for (const [j, port] of arr(sel.ports).entries()) {
      const n = isRecord(port) ? num(port.number) : 0;
      if (!isRecord(port)) f.error(`spec.Match[${i}].Ports[${j}] is nil`, 'spec', 'match', i, 'ports', j);
      else if (n <= 0 || n > 65535) f.error(`spec.Match[${i}].Ports[${j}] is out of range: ${n}`, 'spec', 'match', i, 'ports', j, 'number');
      else continue;
      break outer;
    }
  }
}

/**
 * ValidateWorkloadGroup: a template is required (validateWorkloadEntry is not run on it: its address
 * is filled in at registration); metadata labels; the readiness probe (validateReadinessProbe).
 * Each check returns at once, so at most one problem (the probe's may be a list).
 */
export function validateWorkloadGroup(f: Findings, spec: R): void {
  if (spec.template === undefined || spec.template === null) return f.error('template is required', 'spec');
  const meta = isRecord(spec.metadata) ? spec.metadata : undefined;
  if (meta) {
    const labels = new Findings();
    validateLabels(labels, meta.labels);
    if (labels.errors.length) return f.error(`invalid labels: ${formatErrors(labels.errors)}`, 'spec', 'metadata', 'labels');
  }
  const probe = spec.probe;
  if (!isRecord(probe)) return;
  const at = ['spec', 'probe'];
  const problems: [string, string][] = [];
  for (const field of ['periodSeconds', 'initialDelaySeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'])
    if (num(probe[field]) < 0) problems.push([`${field} must be non-negative`, field]);
  if (isRecord(probe.httpGet)) {
    const h = probe.httpGet;
    const p = portProblem(num(h.port));
    if (p) problems.push([p, 'httpGet']);
    const scheme = str(h.scheme);
    if (scheme !== '' && scheme !== 'HTTPS' && scheme !== 'HTTP') problems.push(['httpGet.scheme must be one of "HTTPS", "HTTP"', 'httpGet']);
    for (const header of arr(h.httpHeaders)) {
      if (!isRecord(header)) problems.push(['invalid nil header', 'httpGet']);
      else {
        const n = str(header.name);
        // ValidateProbeHeaderName (validProbeHeaderNameRegex ^[-A-Za-z0-9]+$, as Kubernetes checks probe headers)
        if (n === '') problems.push(['header name cannot be empty', 'httpGet']);
        else if (!/^[-A-Za-z0-9]+$/.test(n)) problems.push([`header name ${n} is not a valid header name`, 'httpGet']);
      }
    }
  } else if (isRecord(probe.tcpSocket)) {
    const p = portProblem(num(probe.tcpSocket.port));
    if (p) problems.push([p, 'tcpSocket']);
  } else if (isRecord(probe.exec)) {
    if (!arr(probe.exec.command).length) problems.push(['exec.command is required', 'exec']);
  } else problems.push(['unknown health check method <nil>', '']);
  // appendErrors: one error reads as itself, several as go-multierror's list, all in one finding
  if (problems.length === 1) f.error(problems[0][0], ...at, ...(problems[0][1] ? [problems[0][1]] : []));
  else if (problems.length) f.error(formatErrors(problems.map(([message]) => ({ path: at, message }))), ...at);
}

/** ValidateProxyConfig (the CR, not MeshConfig's field): the workload selector and a non-negative concurrency. */
export function validateProxyConfig(f: Findings, spec: R): void {
  selectorOrTargets(f, { selector: spec.selector });
  if (num(spec.concurrency) < 0) f.error('concurrency must be greater than or equal to 0', 'spec', 'concurrency');
}
