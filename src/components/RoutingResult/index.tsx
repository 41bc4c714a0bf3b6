/**
 * Shows, for a live code block, which VirtualService rule a request matches and where it
 * goes (destination, subset, share), as computed by the sandbox's routing functions.
 */
import React from 'react';
import type { DestinationRuleSpec, VirtualServiceSpec } from '@site/src/sandbox/controllers/istiod/istioTypes';
import { explainRouting, type PlaygroundRequest } from '@site/src/playground/routing';
import styles from './styles.module.css';

export interface RoutingResultProps {
  virtualService: VirtualServiceSpec;
  destinationRule?: DestinationRuleSpec;
  request: PlaygroundRequest;
  namespace?: string;
}

export default function RoutingResult({ virtualService, destinationRule, request, namespace }: RoutingResultProps): React.JSX.Element {
  let result;
  try {
    result = explainRouting(virtualService, request, { destinationRule, namespace });
  } catch (e) {
    return <p className={styles.error}>Не удалось разобрать конфигурацию: {e instanceof Error ? e.message : String(e)}</p>;
  }
  return (
    <div className={styles.result} data-testid="routing-result" data-rule={result.ruleIndex} data-subset={result.chosen?.subset ?? ''}>
      <p className={styles.request}>
        <code>
          {request.method ?? 'GET'} {request.path ?? '/'}
        </code>{' '}
        на <code>{request.host}</code>
        {Object.entries(request.headers ?? {}).map(([k, v]) => (
          <span key={k}>
            {' '}
            · <code>{`${k}: ${v}`}</code>
          </span>
        ))}
      </p>
      {result.destinations.length > 0 && (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>Доля</th>
              <th>Хост</th>
              <th>Subset</th>
              <th>Кластер Envoy</th>
            </tr>
          </thead>
          <tbody>
            {result.destinations.map((d) => (
              <tr key={d.cluster}>
                <td>{d.percent} %</td>
                <td>
                  <code>{d.host}</code>
                </td>
                <td>{d.subset ?? '—'}</td>
                <td>
                  <code>{d.cluster}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ul className={styles.explanation}>
        {result.explanation.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
