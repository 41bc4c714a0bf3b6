/**
 * The container registry of the sandbox: which image references can be pulled and what
 * runs when they start. An unknown repository or tag ends in ErrImagePull/ImagePullBackOff.
 */
import { FakeService } from './fakeService';
import { createBookinfo, type BookinfoRole } from './bookinfo';
import { FortioServer, HelloWorld, TcpEcho } from './helloworld';
import { Httpbin } from './httpbin';
import { Nginx } from './nginx';
import type { Mounted } from './volumes';
import type { ContainerSpecLite, Workload } from './types';

export interface ImageRef {
  registry: string;
  repository: string;
  tag: string;
}

export function parseImage(image: string): ImageRef {
  let rest = image;
  let registry = 'docker.io';
  const first = rest.split('/')[0];
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(first.length + 1);
  }
  let tag = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    tag = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  if (registry === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  return { registry, repository: rest, tag };
}

/** A kind of program an image contains. */
export type ImageKind = 'fake-service' | 'httpbin' | 'curl' | 'proxyv2' | 'pilot' | 'pause' | 'nginx' | 'sleep' | 'bookinfo' | 'helloworld' | 'tcp-echo' | 'fortio';

interface KnownImage {
  kind: ImageKind;
  tags: (tag: string) => boolean;
}

const anyTag = (): boolean => true;

/** Istio's sample images (samples/bookinfo, helloworld, tcp-echo), pushed to both registries. */
const ISTIO_SAMPLES: Record<string, KnownImage> = {};
for (const registry of ['docker.io/istio', 'registry.istio.io/release']) {
  for (const name of ['productpage-v1', 'details-v1', 'details-v2', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'ratings-v1', 'ratings-v2', 'mongodb', 'mysqldb'])
    ISTIO_SAMPLES[`${registry}/examples-bookinfo-${name}`] = { kind: name === 'mongodb' || name === 'mysqldb' ? 'pause' : 'bookinfo', tags: (t) => /^1\.\d+\.\d+$/.test(t) };
  for (const v of ['v1', 'v2']) ISTIO_SAMPLES[`${registry}/examples-helloworld-${v}`] = { kind: 'helloworld', tags: (t) => t === '1.0' || t === 'latest' };
  ISTIO_SAMPLES[`${registry}/tcp-echo-server`] = { kind: 'tcp-echo', tags: (t) => /^1\.\d+$/.test(t) || t === 'latest' };
}

const KNOWN: Record<string, KnownImage> = {
  ...ISTIO_SAMPLES,
  'docker.io/nicholasjackson/fake-service': { kind: 'fake-service', tags: (t) => /^v0\.(\d+)\.\d+$/.test(t) && Number(t.split('.')[1]) <= 26 },
  'docker.io/kennethreitz/httpbin': { kind: 'httpbin', tags: (t) => t === 'latest' },
  'docker.io/mccutchen/go-httpbin': { kind: 'httpbin', tags: anyTag },
  'docker.io/curlimages/curl': { kind: 'curl', tags: (t) => t === 'latest' || /^[78]\.\d+\.\d+$/.test(t) },
  'docker.io/istio/proxyv2': { kind: 'proxyv2', tags: anyTag },
  'docker.io/istio/pilot': { kind: 'pilot', tags: anyTag },
  'docker.io/fortio/fortio': { kind: 'fortio', tags: anyTag },
  'docker.io/library/nginx': { kind: 'nginx', tags: anyTag },
  'docker.io/library/busybox': { kind: 'sleep', tags: anyTag },
  'docker.io/library/alpine': { kind: 'sleep', tags: anyTag },
  'registry.k8s.io/coredns/coredns': { kind: 'pause', tags: anyTag },
  'registry.k8s.io/pause': { kind: 'pause', tags: anyTag },
  'registry.k8s.io/etcd': { kind: 'pause', tags: anyTag },
  'registry.k8s.io/kube-apiserver': { kind: 'pause', tags: anyTag },
  'registry.k8s.io/kube-controller-manager': { kind: 'pause', tags: anyTag },
  'registry.k8s.io/kube-scheduler': { kind: 'pause', tags: anyTag },
  'registry.k8s.io/kube-proxy': { kind: 'pause', tags: anyTag },
  'docker.io/kindest/kindnetd': { kind: 'pause', tags: anyTag },
  'docker.io/kindest/local-path-provisioner': { kind: 'pause', tags: anyTag },
};

export function lookupImage(image: string): KnownImage | undefined {
  const r = parseImage(image);
  const k = KNOWN[`${r.registry}/${r.repository}`];
  return k && k.tags(r.tag) ? k : undefined;
}

/** Why a pull fails, worded like the kubelet's event. */
export function pullError(image: string): string {
  const r = parseImage(image);
  const known = KNOWN[`${r.registry}/${r.repository}`];
  return known
    ? `failed to pull and unpack image "${r.registry}/${r.repository}:${r.tag}": failed to resolve reference "${r.registry}/${r.repository}:${r.tag}": ${r.registry}/${r.repository}:${r.tag}: not found`
    : `failed to pull and unpack image "${r.registry}/${r.repository}:${r.tag}": failed to resolve reference "${r.registry}/${r.repository}:${r.tag}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
}

/** Whether the container's main process keeps running (curl without `sleep` exits at once). */
export function keepsRunning(c: ContainerSpecLite): boolean {
  const k = lookupImage(c.image);
  if (!k) return false;
  if (k.kind === 'curl' || k.kind === 'sleep') return (c.command?.length ?? 0) > 0 || (c.args?.length ?? 0) > 0;
  return true;
}

/** `mounted`: the container's files from its pod's configMap and secret volumes (nginx reads its config there). */
export function createWorkload(c: ContainerSpecLite, mounted?: Mounted): Workload | undefined {
  const k = lookupImage(c.image);
  if (!k) return undefined;
  switch (k.kind) {
    case 'fake-service':
      return new FakeService(c.env);
    case 'httpbin': {
      const port = c.ports[0]?.containerPort ?? (parseImage(c.image).repository.includes('go-httpbin') ? 8080 : 80);
      return new Httpbin(port, parseImage(c.image).repository.includes('go-httpbin'));
    }
    case 'bookinfo': {
      // examples-bookinfo-<service>-<version>
      const m = parseImage(c.image).repository.match(/examples-bookinfo-([a-z]+)-(v\d)$/);
      return m ? createBookinfo(m[1] as BookinfoRole, m[2]) : undefined;
    }
    case 'helloworld':
      return new HelloWorld(parseImage(c.image).repository.endsWith('-v2') ? 'v2' : 'v1');
    case 'tcp-echo':
      return new TcpEcho([...(c.command ?? []).slice(1), ...(c.args ?? [])]);
    case 'fortio':
      return new FortioServer();
    case 'nginx':
      return new Nginx(mounted?.files ?? {}, mounted?.mountPaths ?? []);
    default:
      return undefined;
  }
}
