// Host matching lives in src/istio/hosts.ts (shared with src/validation); re-exported for istiod's modules.
export * from '../../../istio/hosts';
