/**
 * What a lesson's scenario is made of, and the probes the lessons share. Each lesson with a
 * terminal keeps its scenario beside its manifests, in examples/<lesson>/scenario.ts, built from
 * these pieces; src/terminal/scenarios.ts is the registry that collects them.
 */
import type { Probe } from './protocol';
import { binomialRange, SPLIT_CONFIDENCE } from '../traffic/split';

export type { Probe };

export interface Step {
  /** The id a lesson names in `<StepCheck step="…" />`. */
  id: string;
  title: string;
  /** Every probe must pass for the step to count as done (they run in a fork of the sandbox). */
  probes: Probe[];
  /**
   * For a break-and-fix challenge (`<Challenge step="…">` in the lesson): the commands that
   * repair what the lesson broke. The lesson does not show them (its hints lead there); the tests
   * run them, in the CLI and in the browser, to prove that the challenge is broken until it is
   * solved and passes once it is.
   */
  solution?: string[];
}

export interface Scenario {
  /** The id a lesson names in `<SandboxTerminal scenario="…" />`. */
  id: string;
  title: string;
  /** The lesson's MDX file, from the repository root: its bash blocks are what the tests run. */
  lesson: string;
  /** Commands run (silently, on fast-forwarded time) before the learner gets the prompt. */
  setup: string[];
  steps: Step[];
}

/** The ingress gateway's external address, computed inside a probe (no reliance on $INGRESS_HOST). */
export const GW = "$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')";
export const EXPORT_INGRESS = `export INGRESS_HOST=${GW}`;
export const ACCESS_LOG = 'istioctl install -y --set meshConfig.accessLogFile=/dev/stdout';

/**
 * A weighted split came out as configured: `command` sends `n` requests and prints one line per
 * response that matches `expect`; the count must lie in the range the «Трафик» view's split chart
 * draws for that weight (the same binomialRange, at SPLIT_CONFIDENCE).
 */
export function splitProbe(command: string, n: number, expect: string, weightPercent: number, missing: (low: number, high: number) => string): Probe {
  const { low, high } = binomialRange(n, weightPercent / 100);
  return { command, expect, atLeast: low, atMost: high, missing: missing(low, high) };
}

export { SPLIT_CONFIDENCE };

/** A probe that passes when the object exists. */
export const exists = (kind: string, name: string, ns: string, missing: string): Probe => ({ command: `kubectl get ${kind} ${name} -n ${ns} -o name`, missing });

/** A pod is up; right after an apply it is still starting, so the hint says to wait and check again. */
export const running = (ns: string, app: string, ready: string, missing: string): Probe => ({
  command: `kubectl get pods -n ${ns} -l app=${app}`,
  expect: `${ready.replace('/', '\\/')}\\s+Running`,
  missing: `${missing} Если манифест уже применён, под ещё запускается: подождите несколько секунд (kubectl get pods -n ${ns}) и проверьте снова.`,
});
