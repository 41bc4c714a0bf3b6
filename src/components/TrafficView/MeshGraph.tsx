/**
 * The live mesh graph: workloads and gateways by namespace (with their versions), the learner's
 * node and outside hosts; an arrow per caller → callee with the requests of the last minute.
 * Every node and arrow is a button (Tab, Enter) whose details appear under the drawing.
 */
import React, { useMemo, useState } from 'react';
import clsx from 'clsx';
import type { RequestTrace, Party } from '@site/src/sandbox/network/traffic';
import { buildGraph, codeClass, type GraphEdge, type GraphNode, type MeshGraph as Graph } from '@site/src/traffic/graph';
import { layout, NODE_H, NODE_W } from './layout';
import { FLAG, requestsWord } from './text';
import styles from './styles.module.css';

const KIND: Record<GraphNode['kind'], string> = {
  client: 'клиент',
  gateway: 'шлюз',
  workload: 'workload',
  service: 'сервис, до пода запрос не дошёл',
  outside: 'внешний хост',
};

function nodeText(n: GraphNode): string {
  const v = n.versions.length ? `, версии: ${n.versions.join(', ')}` : '';
  const ns = n.namespace ? `, namespace ${n.namespace}` : '';
  const side = n.kind === 'workload' ? (n.sidecar ? ', с sidecar' : ', без sidecar') : '';
  return `${n.label}: ${KIND[n.kind]}${ns}${v}${side}`;
}

function codesText(e: GraphEdge): string {
  return Object.entries(e.codes)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c === '0' ? (e.tcp ? 'TCP' : 'без ответа') : c} × ${n}`)
    .join(', ');
}

function edgeText(e: GraphEdge, g: Graph, nodes: Map<string, GraphNode>): string {
  const flags = Object.entries(e.flags)
    .map(([f, n]) => `${f} × ${n} (${FLAG[f] ?? f})`)
    .join(', ');
  const mtls = e.mtls === e.requests ? 'все по mTLS' : e.mtls === 0 ? 'без mTLS' : `по mTLS ${e.mtls} из ${e.requests}`;
  const rate = e.rate >= 0.1 ? `${e.rate.toFixed(1).replace('.', ',')} в секунду` : `${e.requests} за ${g.windowMs / 1000} с`;
  return `${nodes.get(e.from)?.label ?? e.from} → ${nodes.get(e.to)?.label ?? e.to}: ${requestsWord(e.requests)} (${rate}); коды: ${codesText(e)}; ${mtls}${flags ? `; флаги: ${flags}` : ''}`;
}

function edgeClass(e: GraphEdge): string {
  if (e.errors > 0) return styles.edgeError;
  if (Object.keys(e.codes).some((c) => codeClass(c) === '4xx')) return styles.edgeWarn;
  return styles.edgeOk;
}

export default function MeshGraph({ traces, workloads }: { traces: RequestTrace[]; workloads: Party[] }): React.JSX.Element {
  const graph = useMemo(() => buildGraph({ traces, workloads, latest: 0 }), [traces, workloads]);
  const { placed, width, height } = useMemo(() => layout(graph), [graph]);
  const nodes = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const [selected, setSelected] = useState<string>();
  const detail = selected && (nodes.get(selected) ? nodeText(nodes.get(selected)!) : graph.edges.find((e) => e.id === selected) && edgeText(graph.edges.find((e) => e.id === selected)!, graph, nodes));
  const activate = (id: string) => ({
    tabIndex: 0,
    role: 'button',
    'aria-pressed': selected === id,
    onClick: () => setSelected(id),
    onKeyDown: (ev: React.KeyboardEvent) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      ev.preventDefault();
      setSelected(id);
    },
  });
  return (
    <div className={styles.graph}>
      <p className={styles.hint}>
        Запросы за последние {graph.windowMs / 1000} с (время песочницы): у стрелки число запросов, коды ответов и mTLS. Сплошная стрелка — mTLS,
        пунктир — без шифрования mesh; красная — были ошибки 5xx или ответа не было. Выберите узел или стрелку (Tab, Enter), чтобы увидеть подробности.
      </p>
      <div className={styles.canvas}>
        <svg width="100%" style={{ maxWidth: width }} viewBox={`0 0 ${width} ${height}`} role="group" aria-label="Граф mesh" data-testid="mesh-graph">
          <defs>
            <marker id="traffic-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className={styles.arrowHead} />
            </marker>
          </defs>
          {graph.edges.map((e) => {
            const a = placed.get(e.from);
            const b = placed.get(e.to);
            if (!a || !b) return null;
            const x1 = a.x + NODE_W;
            const y1 = a.y + NODE_H / 2;
            const x2 = b.x;
            const y2 = b.y + NODE_H / 2;
            const back = x2 <= x1;
            const d = back ? `M${a.x + NODE_W / 2},${a.y + NODE_H} C${a.x + NODE_W / 2},${a.y + NODE_H + 40} ${b.x + NODE_W / 2},${b.y + NODE_H + 40} ${b.x + NODE_W / 2},${b.y + NODE_H}` : `M${x1},${y1} C${x1 + 40},${y1} ${x2 - 40},${y2} ${x2 - 2},${y2}`;
            const label = `${e.requests} · ${Object.keys(e.codes).sort().map((c) => (c === '0' ? (e.tcp ? 'TCP' : 'сбой') : c)).join('/')}${e.mtls > 0 ? ' · mTLS' : ''}`;
            return (
              <g key={e.id} className={clsx(styles.edge, edgeClass(e), selected === e.id && styles.selected)} aria-label={edgeText(e, graph, nodes)} data-testid="graph-edge" data-from={e.from} data-to={e.to} {...activate(e.id)}>
                <path d={d} className={clsx(styles.edgeLine, e.mtls === 0 && styles.plain)} markerEnd="url(#traffic-arrow)" />
                <text x={back ? (a.x + b.x + NODE_W) / 2 : (x1 + x2) / 2} y={back ? Math.max(a.y, b.y) + NODE_H + 34 : (y1 + y2) / 2 - 7} textAnchor="middle" className={styles.edgeLabel}>
                  {label}
                </text>
              </g>
            );
          })}
          {[...placed.values()].map(({ node, x, y }) => (
            <g key={node.id} className={clsx(styles.node, styles[`node_${node.kind}`], selected === node.id && styles.selected)} aria-label={nodeText(node)} data-testid="graph-node" data-node={node.id} {...activate(node.id)}>
              <rect x={x} y={y} width={NODE_W} height={NODE_H} rx={6} />
              <text x={x + 8} y={y + 20} className={styles.nodeTitle}>
                {node.label.length > 18 ? `${node.label.slice(0, 17)}…` : node.label}
              </text>
              <text x={x + 8} y={y + 39} className={styles.nodeSub}>
                {[node.namespace, node.versions.join(' '), node.kind === 'gateway' ? 'шлюз' : node.kind === 'outside' ? 'внешний хост' : node.kind === 'service' ? 'сервис' : ''].filter(Boolean).join(' · ')}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <p className={styles.detail} aria-live="polite" data-testid="graph-detail">
        {detail || (graph.edges.length ? '' : 'Запросов пока не было: отправьте curl в терминале, и здесь появятся стрелки.')}
      </p>
    </div>
  );
}
