/**
 * istiod's validating admission webhook (validation.istio.io): Istio's config rules from
 * src/istio/validation run on every create and update of an Istio resource while istiod is
 * installed, and a denial reaches kubectl as `Error from server: error when creating "x.yaml":
 * admission webhook "validation.istio.io" denied the request: configuration is invalid: …`.
 */
import type { ValidatingWebhook } from '../api/admission';
import { formatErrors, validateIstioObject, WEBHOOK_GROUPS } from '../../istio/validation';

export function istioValidationWebhook(enabled: () => boolean): ValidatingWebhook {
  return {
    name: 'validation.istio.io',
    groups: WEBHOOK_GROUPS,
    review(req) {
      if (!enabled()) return undefined;
      const { errors, warnings } = validateIstioObject(req.object as unknown as Record<string, unknown>, req.object.metadata.namespace);
      // istio/istio pkg/webhooks/validation/server/server.go: a denial carries only the error; an
      // allowed object carries each warning of the multierror (toKubeWarnings)
      if (errors.length) return { denied: `configuration is invalid: ${formatErrors(errors)}` };
      return { warnings: warnings.map((w) => w.message) };
    },
  };
}
