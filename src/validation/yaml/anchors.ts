/**
 * Anchors whose value contains an alias to themselves (`a: &a [*a]`). go-yaml v2, kubectl's YAML
 * reader, refuses such a document while decoding it: "anchor 'a' value contains itself"
 * (gopkg.in/yaml.v2 decode.go, (*decoder).alias). The yaml package instead builds a cyclic value,
 * which every later walk over it would follow forever (or, through two aliases, in exponential time).
 */
import { isAlias, isMap, isPair, isSeq, type Document, type Node as YamlNode } from 'yaml';

/**
 * The first alias (in document order) that points at one of its own ancestors, with that anchor's
 * name, or undefined. An anchor is registered when its node starts, before its children, as
 * go-yaml's parser does; a later anchor of the same name replaces it. The walk is iterative: block
 * nesting is not bounded by the flow nesting check.
 */
export function selfContainingAnchor(doc: Document.Parsed): { anchor: string; alias: YamlNode } | undefined {
  const anchors = new Map<string, unknown>();
  const open = new Set<unknown>();
  const stack: { node: unknown; leave?: boolean }[] = [{ node: doc.contents }];
  while (stack.length) {
    const { node, leave } = stack.pop()!;
    if (leave) {
      open.delete(node);
    } else if (isAlias(node)) {
      if (open.has(anchors.get(node.source))) return { anchor: node.source, alias: node };
    } else if (isPair(node)) {
      stack.push({ node: node.value }, { node: node.key });
    } else if (isMap(node) || isSeq(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      open.add(node);
      stack.push({ node, leave: true });
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i] });
    } else if (node && typeof node === 'object' && 'anchor' in node && typeof node.anchor === 'string') {
      anchors.set(node.anchor, node); // an anchored scalar
    }
  }
  return undefined;
}
