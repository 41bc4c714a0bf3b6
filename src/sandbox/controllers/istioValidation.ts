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
      const { errors } = validateIstioObject(req.object as unknown as Record<string, unknown>, req.object.metadata.namespace);
      return errors.length ? `configuration is invalid: ${formatErrors(errors)}` : undefined;
    },
  };
}
