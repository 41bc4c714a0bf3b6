/**
 * The registry of the lessons' scenarios. Each lesson with a terminal keeps its start state,
 * steps and checks beside its manifests, in examples/<lesson>/scenario.ts (built from
 * ./scenarioKit); this module collects them for the worker host (setup), the lesson components
 * (steps, checks) and the tests. To add a lesson: write its scenario.ts and list it below.
 */
import type { Scenario } from './scenarioKit';
import { scenario as ingressServiceA } from '../../examples/ingress-service-a/scenario';
import { scenario as serviceAServiceB } from '../../examples/service-a-service-b/scenario';
import { scenario as trafficSplit } from '../../examples/traffic-split/scenario';
import { scenario as egress } from '../../examples/egress/scenario';
import { scenario as resilience } from '../../examples/resilience/scenario';
import { scenario as mtls } from '../../examples/mtls/scenario';
import { scenario as authorization } from '../../examples/authorization/scenario';
import { scenario as rateLimit } from '../../examples/rate-limit/scenario';
import { scenario as tlsIngress } from '../../examples/tls-ingress/scenario';
import { scenario as observability } from '../../examples/observability/scenario';
import { scenario as tlsEgress } from '../../examples/tls-egress/scenario';
import { scenario as architecture } from '../../examples/architecture/scenario';
import { scenario as gateway } from '../../examples/gateway/scenario';
import { scenario as virtualService } from '../../examples/virtual-service/scenario';
import { scenario as destinationRule } from '../../examples/destination-rule/scenario';
import { scenario as serviceEntry } from '../../examples/service-entry/scenario';
import { scenario as commands } from '../../examples/commands/scenario';

export type { Scenario, Step } from './scenarioKit';

const ALL: Scenario[] = [ingressServiceA, serviceAServiceB, trafficSplit, egress, resilience, mtls, authorization, tlsIngress, tlsEgress, rateLimit, observability, architecture, gateway, virtualService, destinationRule, serviceEntry, commands];

export const SCENARIOS: Record<string, Scenario> = Object.fromEntries(ALL.map((s) => [s.id, s]));

export function scenarioById(id: string): Scenario | undefined {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, id) ? SCENARIOS[id] : undefined;
}
