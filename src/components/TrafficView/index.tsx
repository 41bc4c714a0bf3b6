/**
 * «Трафик» beside the lesson's terminal: the live mesh graph, the split charts and the path of
 * each request, drawn from the traces the sandbox records (src/sandbox/network/traffic.ts).
 * Loaded only when the learner opens it, so lesson pages do not carry it.
 */
import React, { useEffect, useState } from 'react';
import clsx from 'clsx';
import MeshGraph from './MeshGraph';
import RequestPath from './RequestPath';
import SplitCharts from './SplitChart';
import { useTraffic } from './useTraffic';
import styles from './styles.module.css';

const TABS = [
  { id: 'graph', label: 'Граф' },
  { id: 'split', label: 'Доли' },
  { id: 'path', label: 'Путь запроса' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export interface TrafficViewProps {
  /** A request whose path to show (from the marker after a command's output); a new `seq` shows it again. */
  request?: { id: number; seq: number };
}

export default function TrafficView({ request }: TrafficViewProps): React.JSX.Element {
  const { traces, workloads, loaded } = useTraffic();
  const [tab, setTab] = useState<TabId>(request ? 'path' : 'graph');
  useEffect(() => {
    if (request) setTab('path');
  }, [request]);
  const onKeyDown = (e: React.KeyboardEvent, i: number): void => {
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    setTab(TABS[next].id);
    document.getElementById(`traffic-tab-${TABS[next].id}`)?.focus();
  };
  return (
    <section className={styles.view} id="traffic-view" aria-label="Трафик песочницы" data-testid="traffic-view">
      <div role="tablist" aria-label="Вид трафика" className={styles.tabs}>
        {TABS.map((t, i) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`traffic-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`traffic-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={clsx(styles.tab, tab === t.id && styles.tabActive)}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onKeyDown(e, i)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`traffic-panel-${tab}`} aria-labelledby={`traffic-tab-${tab}`} className={styles.body} tabIndex={0}>
        {!loaded ? (
          <p className={styles.hint}>Подключаемся к песочнице…</p>
        ) : tab === 'graph' ? (
          <MeshGraph traces={traces} workloads={workloads} />
        ) : tab === 'split' ? (
          <SplitCharts traces={traces} />
        ) : (
          <RequestPath traces={traces} request={request} />
        )}
      </div>
    </section>
  );
}
