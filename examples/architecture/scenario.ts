/**
 * The terminal of the lesson «Архитектура Istio»: nothing to build, only to look at. The sandbox
 * starts where the scenarios Ingress → ServiceA and ServiceA → ServiceB end, the state the
 * lesson's sample output was taken from.
 */
import type { Scenario } from '../../src/terminal/scenarioKit';
import { finalState as serviceAServiceB } from '../service-a-service-b/scenario';

export const scenario: Scenario = {
  id: 'architecture',
  title: 'Архитектура Istio',
  lesson: 'docs/architecture.mdx',
  setup: [...serviceAServiceB],
  steps: [],
};
