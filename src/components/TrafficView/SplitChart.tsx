/**
 * Split charts: for each weighted rule, the shares its latest batch of requests got per
 * destination, the configured weight (a tick) and the range chance allows (a band), from the
 * same binomialRange the lesson's step check uses.
 */
import React, { useMemo } from 'react';
import clsx from 'clsx';
import type { RequestTrace } from '@site/src/sandbox/network/traffic';
import { splitCharts, SPLIT_CONFIDENCE } from '@site/src/traffic/split';
import { percent, requestsWord } from './text';
import styles from './styles.module.css';

export default function SplitCharts({ traces }: { traces: RequestTrace[] }): React.JSX.Element {
  const charts = useMemo(() => splitCharts(traces), [traces]);
  if (!charts.length)
    return (
      <p className={styles.hint}>
        Здесь появится диаграмма долей, когда запросы пройдут через правило VirtualService с несколькими весами (<code>weight</code>): например, серия
        curl после <code>virtual-service-90-10.yaml</code> в уроке о разделении трафика.
      </p>
    );
  return (
    <div className={styles.splits}>
      <p className={styles.hint}>
        Полоса — доля запросов, которую получил каждый получатель в последней серии; риска — заданный вес; светлая зона — диапазон, в который при таких
        весах попадает {percent(SPLIT_CONFIDENCE)} серий такого размера (точный биномиальный интервал). Выход за зону — повод проверить конфигурацию.
      </p>
      {charts.map((c) => (
        <figure key={`${c.proxy}|${c.virtualService}|${c.rule}`} className={styles.split} data-testid="split-chart">
          <figcaption>
            VirtualService <code>{c.virtualService}</code>, правило <code>http[{c.rule}]</code> в прокси <code>{c.proxy}</code>: {requestsWord(c.total)}
          </figcaption>
          {c.rows.map((r) => (
            <div key={r.cluster} className={styles.splitRow}>
              <span className={styles.splitLabel} title={r.cluster}>
                {r.label}
              </span>
              <span
                className={styles.splitTrack}
                role="img"
                aria-label={`${r.label}: ${r.observed} из ${c.total} (${percent(r.share)}), вес ${percent(r.weight)}, ожидаемо от ${r.expected.low} до ${r.expected.high}`}>
                <span className={styles.splitBand} style={{ left: `${(r.expected.low / Math.max(1, c.total)) * 100}%`, width: `${((r.expected.high - r.expected.low) / Math.max(1, c.total)) * 100}%` }} />
                <span className={clsx(styles.splitBar, !r.within && styles.splitOut)} style={{ width: `${r.share * 100}%` }} />
                <span className={styles.splitWeight} style={{ left: `${r.weight * 100}%` }} />
              </span>
              <span className={styles.splitNumbers} data-testid="split-numbers">
                {r.observed} из {c.total} ({percent(r.share)}) · вес {percent(r.weight)} · ожидаемо {r.expected.low}–{r.expected.high}
                {r.within ? '' : ' · вне диапазона'}
              </span>
            </div>
          ))}
        </figure>
      ))}
    </div>
  );
}
