/** All of a lesson's manifests as one multi-document YAML («Все манифесты урока»). */
import type {NamedManifest} from './download';

/** A manifest's documents without a leading `---` and surrounding blank lines. */
function body(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/^(?:\s*\n)*---[ \t]*\n/, '')
    .replace(/\s+$/, '');
}

interface Document {
  file: string;
  text: string;
  /** group/kind/namespace/name, or null when the document does not parse (kept as is). */
  key: string | null;
  kind: string;
  name: string;
}

/** A top-level or first-level scalar as written in block YAML, without quotes and trailing comment. */
function scalar(raw: string): string {
  return raw.replace(/\s+#.*$/, '').trim().replace(/^(['"])(.*)\1$/, '$2');
}

/**
 * A document's identity as the API server sees it: apiVersion group, kind, namespace, name.
 * Read from block YAML lines (the course's manifests are all block style) rather than with a
 * YAML parser, which would be ~100 KB more on every lesson page; null when not found.
 */
function identify(text: string): Pick<Document, 'key' | 'kind' | 'name'> {
  const top = (field: string): string | undefined => {
    const m = new RegExp(`^${field}:[ \\t]*(\\S.*)$`, 'm').exec(text);
    return m ? scalar(m[1]) : undefined;
  };
  const metadata = /^metadata:[ \t]*\n((?:(?:[ \t]+.*|[ \t]*#.*)?\n?)*)/m.exec(text)?.[1] ?? '';
  const indent = /^([ \t]+)\S/m.exec(metadata)?.[1] ?? '  ';
  const field = (name: string): string | undefined => {
    const m = new RegExp(`^${indent}${name}:[ \\t]*(\\S.*)$`, 'm').exec(metadata);
    return m ? scalar(m[1]) : undefined;
  };
  const apiVersion = top('apiVersion');
  const kind = top('kind');
  const name = field('name');
  if (!kind || !name) return {key: null, kind: kind ?? '', name: ''};
  const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : '';
  return {key: `${group}/${kind}/${field('namespace') ?? ''}/${name}`, kind, name};
}

/** A manifest's documents, split on `---` lines, without empty ones. */
function documents(m: NamedManifest): Document[] {
  return body(m.text)
    .split(/^---[ \t]*(?:#.*)?$/m)
    .map((d) => d.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, ''))
    .filter((d) => d !== '')
    .map((text) => ({file: m.file, text, ...identify(text)}));
}

/**
 * All manifests in one text for one `kubectl apply -f` on a fresh cluster: Namespaces first,
 * then the rest in page order. A later document naming the same object (group, kind,
 * namespace, name) as an earlier one is an alternative variant (the lesson offers it as a
 * replacement): it is left out and named in a comment at the top, since applying both would
 * leave only the last one. Each part is introduced by `---` and a comment naming its file.
 */
export function joinManifests(manifests: readonly NamedManifest[]): string {
  const seen = new Set<string>();
  const kept: Document[] = [];
  const alternatives: Document[] = [];
  for (const doc of manifests.flatMap(documents)) {
    if (doc.key !== null && seen.has(doc.key)) {
      alternatives.push(doc);
      continue;
    }
    if (doc.key !== null) seen.add(doc.key);
    kept.push(doc);
  }
  const ordered = [...kept.filter((d) => d.kind === 'Namespace'), ...kept.filter((d) => d.kind !== 'Namespace')];
  const header = alternatives
    .map((d) => `# Альтернативный вариант ${d.kind} ${d.name} (examples/${d.file}) не включён: скачайте его отдельно\n`)
    .join('');
  let previous = '';
  const parts = ordered.map((d) => {
    const comment = d.file === previous ? '' : `# examples/${d.file}\n`;
    previous = d.file;
    return `---\n${comment}${d.text}\n`;
  });
  return header + parts.join('');
}
