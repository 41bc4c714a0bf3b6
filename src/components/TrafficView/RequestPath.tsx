/**
 * The path of a request: the recent requests of the sandbox (newest first) and, for the chosen
 * one, each hop in the order the request met it — the gateway's listener and route (which
 * VirtualService rule matched, and on what), the cluster and endpoint, the sidecars, the
 * application — with timings, retries, faults, response codes and flags, mTLS and the contour.
 */
import React, { useEffect, useState } from 'react';
import clsx from 'clsx';
import { MAX_TRACES, type Hop, type ProxyHop, type RequestTrace } from '@site/src/sandbox/network/traffic';
import { clusterLabel } from '@site/src/traffic/split';
import { inPathOrder } from '@site/src/traffic/path';
import { CONTOUR, DIRECTION, FLAG, ms, partyName } from './text';
import styles from './styles.module.css';

const MAX_LISTED = 50;

function flagsOf(t: RequestTrace): string[] {
  const out = new Set<string>();
  for (const h of t.hops) if (h.type === 'proxy') for (const f of h.flags) out.add(f);
  return [...out];
}

function resultText(code: number | undefined, error: string | undefined): string {
  if (error) return `ошибка: ${error}`;
  return code === 0 ? 'без ответа' : String(code);
}

function routeText(h: ProxyHop): React.ReactNode {
  const r = h.route;
  if (!r) return h.code === 404 && h.flags.includes('NR') ? 'маршрут не найден: ни одно правило не подошло к Host и пути' : 'без HTTP-маршрута (TCP)';
  if (!r.virtualService) return `маршрут Istio по умолчанию${r.name ? ` «${r.name}»` : ''} (VirtualService для этого хоста нет), match: ${r.match || 'любой путь'}`;
  return (
    <>
      VirtualService <code>{r.virtualService}</code>, правило <code>http[{r.rule ?? 0}]</code>
      {r.name && r.name !== 'default' ? ` («${r.name}»)` : ''}: {r.match ? <>сработал match <code>{r.match}</code></> : 'match не задан, правило берёт любой запрос'}
    </>
  );
}

function ProxyStep({ h }: { h: ProxyHop }): React.JSX.Element {
  const f = h.route?.fault;
  const weights = h.route && h.route.weights.length > 1 ? h.route.weights.map((w) => `${clusterLabel(w.cluster)} — ${w.weight}`).join(', ') : '';
  return (
    <>
      <strong>
        {DIRECTION[h.direction]}: {partyName(h.proxy)}
      </strong>
      <ul>
        <li>listener {h.listener}{h.direction !== 'inbound' ? `, ${h.method} ${h.authority}${h.path}` : ''}</li>
        {h.direction !== 'inbound' && <li data-testid="path-route">маршрут: {routeText(h)}</li>}
        {weights && <li>веса: {weights}</li>}
        {f && (
          <li>
            fault:{f.abortStatus !== undefined ? ` abort ${f.abortStatus} для ${f.abortPercent} % запросов` : ''}
            {f.delayMs !== undefined ? ` delay ${ms(f.delayMs)} для ${f.delayPercent} % запросов` : ''}
          </li>
        )}
        {h.cluster && <li>cluster {h.cluster}</li>}
        {h.endpoint && h.direction !== 'inbound' && (
          <li>
            endpoint {h.endpoint} — {partyName(h.upstream)}
            {h.mtls ? ', mTLS' : ''}
          </li>
        )}
        {h.direction === 'inbound' && <li>{h.mtls ? 'соединение пришло по mTLS' : 'соединение пришло без mTLS'}</li>}
        {h.retries > 0 && <li>повторов: {h.retries}</li>}
        <li data-testid="path-response">
          ответ {resultText(h.code, undefined)}
          {h.flags.length ? (
            <>
              , флаги <code>{h.flags.join(',')}</code> — {h.flags.map((x) => FLAG[x] ?? x).join('; ')}
            </>
          ) : (
            ''
          )}
          {h.details ? <>, details <code>{h.details}</code></> : ''}, за {ms(h.durationMs)}
          {h.upstreamServiceTimeMs !== undefined ? ` (из них upstream ${ms(h.upstreamServiceTimeMs)})` : ''}
        </li>
      </ul>
    </>
  );
}

function Step({ h }: { h: Hop }): React.JSX.Element {
  if (h.type === 'proxy') return <ProxyStep h={h} />;
  if (h.type === 'wire')
    return (
      <>
        <strong>
          Сеть: {partyName(h.from)} → {partyName(h.to)}, порт {h.port}
        </strong>
        <ul>
          <li>{CONTOUR[h.contour]}</li>
          <li>{h.mtls ? 'mTLS (сертификаты mesh)' : h.tls ? 'TLS клиента, mesh его не расшифровывает' : 'без шифрования'}</li>
          <li>
            результат {resultText(h.code, h.error)}, {ms(h.durationMs)}
          </li>
        </ul>
      </>
    );
  return (
    <>
      <strong>Приложение: {partyName(h.pod)}</strong>
      <ul>
        <li>
          контейнер {h.container}, порт {h.port} — {CONTOUR.pod}
        </li>
        <li>
          ответ {resultText(h.code, h.error)} за {ms(h.durationMs)}
        </li>
      </ul>
    </>
  );
}

export default function RequestPath({ traces, request }: { traces: RequestTrace[]; request?: { id: number; seq: number } }): React.JSX.Element {
  const recent = traces.slice(-MAX_LISTED).reverse();
  const [chosen, setChosen] = useState<number | undefined>(request?.id);
  const newest = recent[0]?.id;
  // follow the newest request until the learner picks one (in the list, or by a marker in the terminal)
  const [pinned, setPinned] = useState(request !== undefined);
  useEffect(() => {
    if (!pinned) setChosen(newest);
  }, [newest, pinned]);
  useEffect(() => {
    if (!request) return;
    setChosen(request.id);
    setPinned(true);
  }, [request]);
  const t = traces.find((x) => x.id === chosen);
  if (pinned && chosen !== undefined && !t && traces.length && traces[0].id > chosen)
    return (
      <p className={styles.hint}>
        Этого запроса уже нет: вид хранит последние {MAX_TRACES} запросов.{' '}
        <button type="button" className={styles.linkButton} onClick={() => setPinned(false)}>
          Следить за новыми запросами
        </button>
      </p>
    );
  if (!recent.length) return <p className={styles.hint}>Запросов пока не было. Выполните curl в терминале — здесь появится его путь по mesh.</p>;
  return (
    <div className={styles.paths}>
      <ol className={styles.requestList} aria-label="Последние запросы, новые сверху">
        {recent.map((r) => {
          const flags = flagsOf(r);
          return (
            <li key={r.id}>
              <button
                type="button"
                className={clsx(styles.request, r.id === chosen && styles.requestChosen, (r.error || (r.code ?? 0) >= 500) && styles.requestFailed)}
                aria-current={r.id === chosen ? 'true' : undefined}
                data-testid="traffic-request"
                onClick={() => {
                  setChosen(r.id);
                  setPinned(true);
                }}>
                <span className={styles.requestCode}>{r.error ? 'сбой' : resultText(r.code, undefined)}</span> {r.method} {r.url}
                {flags.length ? <span className={styles.requestFlags}> {flags.join(',')}</span> : null}
              </button>
            </li>
          );
        })}
      </ol>
      {t && (
        <section className={styles.path} aria-label={`Путь запроса ${t.method} ${t.url}`} data-testid="request-path">
          <p>
            <strong>
              {t.method} {t.url}
            </strong>{' '}
            от {partyName(t.from)}: {resultText(t.code, t.error)} за {ms(t.durationMs)}.{' '}
            {pinned && (
              <button type="button" className={styles.linkButton} onClick={() => setPinned(false)}>
                Следить за новыми запросами
              </button>
            )}
          </p>
          <ol className={styles.hops}>
            {inPathOrder(t.hops).map((h, i) => (
              <li key={i} className={clsx(styles.hop, styles[`hop_${h.type}`])}>
                <Step h={h} />
              </li>
            ))}
            <li className={styles.hop}>
              <strong>Обратно к клиенту</strong>: ответ проходит те же прокси в обратном порядке — {resultText(t.code, t.error)}.
            </li>
          </ol>
        </section>
      )}
    </div>
  );
}
