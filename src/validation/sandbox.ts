/**
 * The validation engine as the sandbox uses it: schema validation in the apiserver's admission
 * (`kubectl apply` rejected the way the real apiserver rejects it) and the analyzers behind
 * `istioctl analyze`. One place for the CLI, the browser worker and the tests.
 */
import type { AnalyzedFile, OpenApiDocuments } from '../sandbox/commands/types';
import { openApiDocument } from '../sandbox/http/openapi';
import { analyzeObjects, formatIstioctl, schemaValidator, validateText, type Diagnostic, type FieldError, type KubeObjectLike } from './index';

export interface SandboxValidation {
  validator: (obj: KubeObjectLike) => FieldError[];
  analyzer: (objects: KubeObjectLike[], namespace: string | undefined, files: AnalyzedFile[]) => string[];
  /** kubectl explain reads the OpenAPI v3 documents the HTTP API serves, built from the same schemas. */
  openApi: OpenApiDocuments;
}

/** Only Istio's own analyzers (IST…): the course's PRK hints belong to the editor, a real `istioctl analyze` never prints them. */
const isIstios = (d: Diagnostic): boolean => (d.istioCode ?? d.code).startsWith('IST');

/**
 * istioctl analyze -n NS reports on the resources of NS only: a Namespace finding (IST0102) only
 * for NS itself, cluster-scoped others always (istio/istio istioctl/pkg/analyze: the analyzed
 * namespace filters the messages by their resource's namespace, a Namespace's own name for it).
 */
const inNamespace =
  (namespace: string | undefined) =>
  (d: Diagnostic): boolean => {
    if (namespace === undefined || !d.resource) return true;
    if (d.resource.kind === 'Namespace') return d.resource.name === namespace;
    return d.resource.namespace === undefined || d.resource.namespace === namespace;
  };

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

const refKey = (o: KubeObjectLike, namespace: string | undefined): string => {
  const meta = (o.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return `${text(o.kind)}/${text(meta.namespace ?? namespace ?? 'default')}/${text(meta.name)}`;
};

/**
 * istioctl analyze over the cluster's objects and the files given: the files' objects take the
 * place of cluster objects of the same name, and their findings name the file and line, as
 * istioctl does (`(VirtualService web.demo web.yaml:12)`).
 */
function analyze(objects: KubeObjectLike[], namespace: string | undefined, files: AnalyzedFile[]): string[] {
  const keep = (d: Diagnostic): boolean => isIstios(d) && inNamespace(namespace)(d);
  const objectsOf = (text: string): KubeObjectLike[] => validateText(text, { analysis: false }).documents.flatMap((doc) => (doc.object ? [doc.object] : []));
  const perFile = files.map((f) => objectsOf(f.text));
  const fileObjects = perFile.flat();
  const replaced = new Set(fileObjects.map((o) => refKey(o, namespace)));
  const cluster = objects.filter((o) => !replaced.has(refKey(o, undefined)));
  // each file is read with the cluster and the other files around it
  const fromFiles = files.flatMap((file, i) =>
    validateText(file.text, { context: [...cluster, ...perFile.filter((_, j) => j !== i).flat()], baseline: 'none', defaultNamespace: namespace })
      .diagnostics.filter(keep)
      .map((d) => formatIstioctl(d, d.range ? `${file.name}:${d.range.start.line}` : file.name)),
  );
  const fromCluster = analyzeObjects([...cluster, ...fileObjects.map((object) => ({ object, context: true }))]).filter(keep).map((d) => formatIstioctl(d));
  return [...fromCluster, ...fromFiles];
}

export const sandboxValidation: SandboxValidation = {
  validator: schemaValidator,
  analyzer: analyze,
  openApi: openApiDocument,
};
