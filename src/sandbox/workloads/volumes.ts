/**
 * The files a container sees from its pod's configMap and secret volumes, as the kubelet projects
 * them (kubernetes pkg/volume/configmap and pkg/volume/secret): every key of the object as a file
 * named after it under the mountPath, or only the listed `items` at their `path`; a `subPath` mount
 * is that one file at the mountPath. Secret data is base64 in the object and plain in the file.
 */
import { isRecord } from '../api/types';

export interface VolumeSources {
  configMap(name: string): Record<string, string> | undefined;
  /** The Secret's data, still base64-encoded as the API stores it. */
  secret(name: string): Record<string, string> | undefined;
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

export function mountedFiles(podSpec: Record<string, unknown>, containerName: string, sources: VolumeSources): Mounted {
  const volumes = (Array.isArray(podSpec.volumes) ? podSpec.volumes : []).filter(isRecord);
  const containers = (Array.isArray(podSpec.containers) ? podSpec.containers : []).filter(isRecord);
  const container = containers.find((c) => c.name === containerName);
  const mounts = (Array.isArray(container?.volumeMounts) ? container.volumeMounts : []).filter(isRecord);
  const files: Record<string, string> = {};
  const mountPaths: string[] = [];
  for (const m of mounts) {
    const vol = volumes.find((v) => v.name === m.name);
    if (!vol || typeof m.mountPath !== 'string') continue;
    mountPaths.push(m.mountPath.replace(/\/+$/, ''));
    let data: Record<string, string> | undefined;
    let items: unknown;
    if (isRecord(vol.configMap) && typeof vol.configMap.name === 'string') {
      data = sources.configMap(vol.configMap.name);
      items = vol.configMap.items;
    } else if (isRecord(vol.secret) && typeof vol.secret.secretName === 'string') {
      const raw = sources.secret(vol.secret.secretName);
      data = raw && Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, decodeBase64(v)]));
      items = vol.secret.items;
    }
    if (!data) continue;
    const listed = Array.isArray(items) ? items.filter(isRecord) : undefined;
    const entries: [string, string][] = listed
      ? listed.filter((i) => typeof i.key === 'string' && data![i.key as string] !== undefined).map((i) => [typeof i.path === 'string' ? i.path : String(i.key), data![i.key as string]])
      : Object.entries(data);
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
