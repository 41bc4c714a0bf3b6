/**
 * Remark plugin: fills `<Manifest file="dir/name.yaml" />` with the text of `examples/dir/name.yaml`
 * at build time, so each manifest lives once in examples/ and a missing file fails the build.
 */
import fs from 'node:fs';
import path from 'node:path';

interface JsxAttribute {
  type: 'mdxJsxAttribute';
  name: string;
  value?: unknown;
}

interface MdastNode {
  type: string;
  name?: string | null;
  attributes?: JsxAttribute[];
  children?: MdastNode[];
}

export interface ManifestSourceOptions {
  examplesDir: string;
}

export const MANIFEST_COMPONENT = 'Manifest';

/** Resolves a `file` attribute to an absolute path inside examplesDir, or throws with a clear message. */
export function resolveManifestPath(examplesDir: string, file: string): string {
  const resolved = path.resolve(examplesDir, file);
  if (!resolved.startsWith(path.resolve(examplesDir) + path.sep)) {
    throw new Error(`<Manifest file="${file}">: the path leaves examples/`);
  }
  if (!fs.existsSync(resolved)) {
    throw new Error(`<Manifest file="${file}">: examples/${file} does not exist`);
  }
  return resolved;
}

function isManifestElement(node: MdastNode): boolean {
  return (
    (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name === MANIFEST_COMPONENT
  );
}

function fillSource(node: MdastNode, examplesDir: string, where: string): void {
  const attributes = node.attributes ?? [];
  const file = attributes.find((attribute) => attribute.name === 'file')?.value;
  if (typeof file !== 'string') {
    throw new Error(`${where}: <Manifest> needs a literal file="…" attribute`);
  }
  const source = fs.readFileSync(resolveManifestPath(examplesDir, file), 'utf8');
  node.attributes = [
    ...attributes.filter((attribute) => attribute.name !== 'source'),
    {type: 'mdxJsxAttribute', name: 'source', value: source},
  ];
}

function walk(node: MdastNode, visit: (node: MdastNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

export default function manifestSource(options: ManifestSourceOptions) {
  return (tree: MdastNode, file: {path?: string}) => {
    walk(tree, (node) => {
      if (isManifestElement(node)) fillSource(node, options.examplesDir, file.path ?? 'MDX');
    });
  };
}
