/**
 * The files a container sees from its pod's volumes, as the kubelet projects them (kubernetes
 * pkg/volume/configmap, secret, downwardapi and projected): every key of the object as a file
 * named after it under the mountPath, or only the listed `items` at their `path`; a `subPath` mount
 * is that one file at the mountPath. Secret data is base64 in the object and plain in the file.
 * Downward API files hold the pod's metadata; a projected volume puts its sources side by side,
 * with a bound service account token (the kube-api-access-* volume every pod mounts).
 */
import type { ApiClient } from '../api/client';
import { extractFieldPathAsString, type PodMeta } from '../api/fieldpath';
import { isRecord, type KubeObject } from '../api/types';
import { sha256 } from '../pki/hash';

export interface VolumeSources {
  configMap(name: string): Record<string, string> | undefined;
  /** The Secret's data, still base64-encoded as the API stores it. */
  secret(name: string): Record<string, string> | undefined;
  /** A service account token for a projected serviceAccountToken source (none: the file is left out). */
  token?(audience: string | undefined, expirationSeconds: number): string;
}

function downwardItems(items: unknown, meta: PodMeta): [string, string][] {
  const out: [string, string][] = [];
  for (const i of Array.isArray(items) ? items.filter(isRecord) : []) {
    const value = isRecord(i.fieldRef) ? extractFieldPathAsString(meta, String(i.fieldRef.fieldPath ?? '')) : undefined;
    if (value !== undefined && typeof i.path === 'string') out.push([i.path, value]);
  }
  return out;
}

/** An object's keys as files: all of them, or only the listed items at their paths. */
function keyFiles(data: Record<string, string>, items: unknown): [string, string][] {
  const listed = Array.isArray(items) ? items.filter(isRecord) : undefined;
  return listed
    ? listed.filter((i) => typeof i.key === 'string' && data[i.key as string] !== undefined).map((i) => [typeof i.path === 'string' ? i.path : String(i.key), data[i.key as string]])
    : Object.entries(data);
}

const decodeAll = (raw: Record<string, string> | undefined): Record<string, string> | undefined => raw && Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, decodeBase64(v)]));

/**
 * The files of a projected volume (pkg/volume/projected): each source's files side by side; a
 * serviceAccountToken source writes the token at its path.
 */
function projectedFiles(projected: Record<string, unknown>, sources: VolumeSources, meta: PodMeta): [string, string][] {
  const out: [string, string][] = [];
  for (const src of Array.isArray(projected.sources) ? projected.sources.filter(isRecord) : []) {
    if (isRecord(src.configMap)) {
      const data = sources.configMap(String(src.configMap.name ?? ''));
      if (data) out.push(...keyFiles(data, src.configMap.items));
    } else if (isRecord(src.secret)) {
      const data = decodeAll(sources.secret(String(src.secret.name ?? '')));
      if (data) out.push(...keyFiles(data, src.secret.items));
    } else if (isRecord(src.downwardAPI)) out.push(...downwardItems(src.downwardAPI.items, meta));
    else if (isRecord(src.serviceAccountToken) && sources.token && typeof src.serviceAccountToken.path === 'string') {
      const t = src.serviceAccountToken;
      out.push([String(t.path), sources.token(typeof t.audience === 'string' ? t.audience : undefined, Number(t.expirationSeconds ?? 3600))]);
    }
  }
  return out;
}

function decodeBase64(v: string): string {
  try {
    return atob(v);
  } catch {
    return '';
  }
}

/** The container's projected files by absolute path, and its mount points (a mount hides the image's files below it). */
export interface Mounted {
  files: Record<string, string>;
  mountPaths: string[];
}

export function mountedFiles(podSpec: Record<string, unknown>, containerName: string, sources: VolumeSources, meta: PodMeta = {}): Mounted {
  const volumes = (Array.isArray(podSpec.volumes) ? podSpec.volumes : []).filter(isRecord);
  const containers = [...(Array.isArray(podSpec.containers) ? podSpec.containers : []), ...(Array.isArray(podSpec.initContainers) ? podSpec.initContainers : [])].filter(isRecord);
  const container = containers.find((c) => c.name === containerName);
  const mounts = (Array.isArray(container?.volumeMounts) ? container.volumeMounts : []).filter(isRecord);
  const files: Record<string, string> = {};
  const mountPaths: string[] = [];
  for (const m of mounts) {
    const vol = volumes.find((v) => v.name === m.name);
    if (!vol || typeof m.mountPath !== 'string') continue;
    mountPaths.push(m.mountPath.replace(/\/+$/, ''));
    let entries: [string, string][] | undefined;
    if (isRecord(vol.configMap) && typeof vol.configMap.name === 'string') {
      const data = sources.configMap(vol.configMap.name);
      entries = data && keyFiles(data, vol.configMap.items);
    } else if (isRecord(vol.secret) && typeof vol.secret.secretName === 'string') {
      const data = decodeAll(sources.secret(vol.secret.secretName));
      entries = data && keyFiles(data, vol.secret.items);
    } else if (isRecord(vol.downwardAPI)) entries = downwardItems(vol.downwardAPI.items, meta);
    else if (isRecord(vol.projected)) entries = projectedFiles(vol.projected, sources, meta);
    if (!entries) continue;
    const dir = m.mountPath.replace(/\/+$/, '');
    if (typeof m.subPath === 'string' && m.subPath) {
      const hit = entries.find(([path]) => path === m.subPath);
      if (hit) files[dir] = hit[1];
      continue;
    }
    for (const [path, content] of entries) files[`${dir}/${path}`] = content;
  }
  return { files, mountPaths };
}

const b64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const textBytes = (t: string): Uint8Array => new TextEncoder().encode(t);

/** The cluster's apiserver, the issuer and default audience of its tokens (kubeadm's --service-account-issuer). */
const API_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * A bound service account token as the kubelet gets it from TokenRequest (kubernetes
 * pkg/serviceaccount/claims.go): an RS256 JWT naming the pod, its node and its service account,
 * with `warnafter` for the 3607 s token of kube-api-access. The signature is not a real one: no
 * one in the sandbox verifies it.
 */
export function boundToken(pod: KubeObject, account: KubeObject | undefined, audience: string | undefined, expirationSeconds: number, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const seed = sha256(textBytes(`${pod.metadata.uid ?? ''}/${audience ?? ''}/${iat}`));
  const hex = Array.from(seed, (b) => b.toString(16).padStart(2, '0')).join('');
  const claims = {
    aud: [audience ?? API_ISSUER],
    exp: iat + expirationSeconds,
    iat,
    iss: API_ISSUER,
    jti: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
    'kubernetes.io': {
      namespace: pod.metadata.namespace ?? 'default',
      node: { name: String(spec.nodeName ?? ''), uid: `${hex.slice(32, 40)}-${hex.slice(40, 44)}-4${hex.slice(45, 48)}-b${hex.slice(49, 52)}-${hex.slice(52, 64)}` },
      pod: { name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
      serviceaccount: { name: String(spec.serviceAccountName ?? 'default'), uid: account?.metadata.uid ?? '' },
      ...(expirationSeconds === 3607 ? { warnafter: iat + 3600 } : {}),
    },
    nbf: iat,
    sub: `system:serviceaccount:${pod.metadata.namespace ?? 'default'}:${String(spec.serviceAccountName ?? 'default')}`,
  };
  const header = { alg: 'RS256', kid: b64url(sha256(textBytes(API_ISSUER))).slice(0, 43) };
  const signature = new Uint8Array(256);
  for (let i = 0; i < 8; i++) signature.set(sha256(textBytes(`${hex}${i}`)), i * 32);
  return `${b64url(textBytes(JSON.stringify(header)))}.${b64url(textBytes(JSON.stringify(claims)))}.${b64url(signature)}`;
}

/** The sources of a pod's volumes in its namespace on the cluster: its ConfigMaps, Secrets and tokens. */
export function clusterVolumeSources(client: ApiClient, pod: KubeObject, nowMs: () => number): VolumeSources {
  const namespace = pod.metadata.namespace ?? 'default';
  const find = (kind: string, name: string): KubeObject | undefined => {
    const list = client.cached(client.kind(kind));
    return (list.ok ? list.value : []).find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
  };
  const data = (kind: string, name: string): Record<string, string> | undefined => {
    const obj = find(kind, name);
    return obj && isRecord(obj.data) ? (obj.data as Record<string, string>) : obj ? {} : undefined;
  };
  const spec = isRecord(pod.spec) ? pod.spec : {};
  return {
    configMap: (name) => data('ConfigMap', name),
    secret: (name) => data('Secret', name),
    token: (audience, expirationSeconds) => boundToken(pod, find('ServiceAccount', String(spec.serviceAccountName ?? 'default')), audience, expirationSeconds, nowMs()),
  };
}
