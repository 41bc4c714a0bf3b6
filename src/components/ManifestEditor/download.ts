/**
 * Downloads: one manifest, or all of a lesson's manifests as one multi-document YAML (joined by
 * joinManifests.ts, loaded on the click).
 */

export interface NamedManifest {
  /** Path under examples/, e.g. "ingress-service-a/gateway.yaml". */
  file: string;
  text: string;
}

/** "docs/scenarios/ingress-service-a" → "ingress-service-a-manifests.yaml". */
export function lessonBundleName(lessonPath: string): string {
  const last = lessonPath.replace(/\/+$/, '').split('/').filter(Boolean).pop() ?? 'lesson';
  return `${last}-manifests.yaml`;
}

export function fileName(file: string): string {
  return file.split('/').pop() ?? file;
}

/** The data: URL a download link carries before any script runs (small vetted manifests). */
export function dataHref(text: string): string {
  return `data:application/yaml;charset=utf-8,${encodeURIComponent(text)}`;
}

/** Saves `text` as a file through a temporary object URL (no size limit of data: URLs). */
export function saveAsFile(text: string, name: string): void {
  const blob = new Blob([text], {type: 'application/yaml;charset=utf-8'});
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
