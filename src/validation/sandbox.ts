/**
 * The validation engine as the sandbox uses it: schema validation in the apiserver's admission
 * (`kubectl apply` rejected the way the real apiserver rejects it) and the analyzers behind
 * `istioctl analyze`. One place for the CLI, the browser worker and the tests.
 */
import { analyzeObjects, formatIstioctl, schemaValidator, type FieldError, type KubeObjectLike } from './index';

export interface SandboxValidation {
  validator: (obj: KubeObjectLike) => FieldError[];
  analyzer: (objects: KubeObjectLike[], namespace: string | undefined) => string[];
}

export const sandboxValidation: SandboxValidation = {
  validator: schemaValidator,
  // Only Istio's own analyzers (IST…): the course's PRK hints belong to the editor, a real
  // `istioctl analyze` never prints them.
  analyzer: (objects, namespace) =>
    analyzeObjects(objects)
      .filter((d) => d.code.startsWith('IST'))
      .filter((d) => namespace === undefined || d.resource?.namespace === undefined || d.resource.namespace === namespace || (d.resource.kind === 'Namespace' && d.resource.name === namespace))
      .map(formatIstioctl),
};
