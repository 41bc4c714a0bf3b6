/**
 * Istio's validating admission webhook (validation.istio.io, served by istiod): the rules of
 * istio/istio pkg/config/validation for each kind, on top of what the CRD schema checks. One
 * implementation for the sandbox's admission (kubectl apply is denied with Istio's words), the
 * editor's markers, the validation CLI and `istioctl analyze` (IST0106).
 */
import { isRecord, str } from './common';
import { Findings, type IstioValidation } from './errors';
import { validateDestinationRule, validateGateway, validateServiceEntry, validateSidecar, workloadEntry } from './networking';
import { validateAuthorizationPolicy, validatePeerAuthentication, validateRequestAuthentication } from './security';
import { validateVirtualService } from './virtualService';
import { validateEnvoyFilter } from './envoyFilter';
import { validateProxyConfig, validateTelemetry, validateWasmPlugin, validateWorkloadGroup } from './telemetry';

export type { FieldPath, IstioIssue, IstioValidation } from './errors';
export { formatErrors, webhookDenialMessage } from './errors';

/** The API groups istiod's ValidatingWebhookConfiguration covers (istiod-default-validator rules). */
export const WEBHOOK_GROUPS = new Set(['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io']);

export function validateIstioObject(obj: Record<string, unknown>, defaultNamespace = 'default'): IstioValidation {
  const f = new Findings();
  const apiVersion = str(obj.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (!WEBHOOK_GROUPS.has(group)) return f.result();
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = str(meta.name);
  const namespace = str(meta.namespace) || defaultNamespace;
  const annotations = isRecord(meta.annotations) ? meta.annotations : {};
  // validateMetadata: istio.io/dry-run only on AuthorizationPolicy; the always-reject annotation
  if ('istio.io/dry-run' in annotations && obj.kind !== 'AuthorizationPolicy') {
    f.error(`${namespace}/${name} has unsupported annotation istio.io/dry-run, please remove the annotation`, 'metadata', 'annotations', 'istio.io/dry-run');
    return f.result();
  }
  if ('istio.io/alwaysReject' in annotations) {
    f.error('"istio.io/alwaysReject" annotation found, rejecting', 'metadata', 'annotations', 'istio.io/alwaysReject');
    return f.result();
  }
  const spec = isRecord(obj.spec) ? obj.spec : {};
  switch (`${group}/${str(obj.kind)}`) {
    case 'networking.istio.io/VirtualService':
      validateVirtualService(f, spec);
      break;
    case 'networking.istio.io/Gateway':
      validateGateway(f, spec, name);
      break;
    case 'networking.istio.io/DestinationRule':
      validateDestinationRule(f, spec);
      break;
    case 'networking.istio.io/ServiceEntry':
      validateServiceEntry(f, spec);
      break;
    case 'networking.istio.io/Sidecar':
      validateSidecar(f, spec, namespace);
      break;
    case 'networking.istio.io/WorkloadEntry':
      workloadEntry(f.at('spec'), spec, undefined, true);
      break;
    case 'networking.istio.io/EnvoyFilter':
      validateEnvoyFilter(f, spec);
      break;
    case 'security.istio.io/PeerAuthentication':
      validatePeerAuthentication(f, spec);
      break;
    case 'security.istio.io/AuthorizationPolicy':
      validateAuthorizationPolicy(f, spec, name, namespace);
      break;
    case 'security.istio.io/RequestAuthentication':
      validateRequestAuthentication(f, spec);
      break;
    case 'networking.istio.io/WorkloadGroup':
      validateWorkloadGroup(f, spec);
      break;
    case 'networking.istio.io/ProxyConfig':
      validateProxyConfig(f, spec);
      break;
    case 'telemetry.istio.io/Telemetry':
      validateTelemetry(f, spec);
      break;
    case 'extensions.istio.io/WasmPlugin':
      validateWasmPlugin(f, spec);
      break;
  }
  return f.result();
}
