/**
 * Where the mesh graph's nodes go: columns by how far from the caller a node is (the learner's
 * node, then gateways, then the services they call…), rows grouped by namespace. Pure, so the
 * drawing stays stable between polls as long as the graph is the same.
 */
import type { GraphNode, MeshGraph } from '@site/src/traffic/graph';

export const NODE_W = 172;
export const NODE_H = 48;
const COL_GAP = 112;
const ROW_GAP = 22;
const PAD = 16;

export interface Placed {
  node: GraphNode;
  x: number;
  y: number;
}

const DEFAULT_COLUMN: Record<GraphNode['kind'], number> = { client: 0, gateway: 1, workload: 2, service: 2, outside: 3 };

export function layout(g: MeshGraph): { placed: Map<string, Placed>; width: number; height: number } {
  // column = shortest distance along edges from a node nobody calls; unconnected nodes by their kind
  const incoming = new Set(g.edges.map((e) => e.to));
  const column = new Map<string, number>();
  const queue: string[] = [];
  for (const n of g.nodes)
    if (!incoming.has(n.id) && g.edges.some((e) => e.from === n.id)) {
      column.set(n.id, n.kind === 'client' ? 0 : DEFAULT_COLUMN[n.kind]);
      queue.push(n.id);
    }
  for (let i = 0; i < queue.length && i < 1000; i++) {
    const id = queue[i];
    for (const e of g.edges)
      if (e.from === id && !column.has(e.to)) {
        column.set(e.to, column.get(id)! + 1);
        queue.push(e.to);
      }
  }
  for (const n of g.nodes) if (!column.has(n.id)) column.set(n.id, DEFAULT_COLUMN[n.kind]);
  const columns = new Map<number, GraphNode[]>();
  for (const n of g.nodes) {
    const c = column.get(n.id)!;
    columns.set(c, [...(columns.get(c) ?? []), n]);
  }
  const order = [...columns.keys()].sort((a, b) => a - b);
  const placed = new Map<string, Placed>();
  let height = 0;
  order.forEach((c, ci) => {
    const nodes = columns.get(c)!.sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.label.localeCompare(b.label));
    nodes.forEach((node, ri) => placed.set(node.id, { node, x: PAD + ci * (NODE_W + COL_GAP), y: PAD + ri * (NODE_H + ROW_GAP) }));
    height = Math.max(height, PAD * 2 + nodes.length * (NODE_H + ROW_GAP) - ROW_GAP);
  });
  const width = PAD * 2 + order.length * (NODE_W + COL_GAP) - COL_GAP;
  return { placed, width: Math.max(width, NODE_W + PAD * 2), height: Math.max(height, NODE_H + PAD * 2) };
}
