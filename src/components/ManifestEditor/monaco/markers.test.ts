import {describe, expect, it} from 'vitest';
import type {Diagnostic} from '../../../validation/types';
import {toMarkers} from './markers';

const severities = {error: 8, warning: 4, info: 2};
const lines = ['apiVersion: v1', 'kind: Service', ''];
const lineLength = (line: number) => lines[line - 1]?.length ?? 0;
const at = (line: number, column: number, endLine: number, endColumn: number): Diagnostic['range'] => ({
  start: {line, column, offset: 0},
  end: {line: endLine, column: endColumn, offset: 0},
});

describe('diagnostics as Monaco markers', () => {
  it('keeps ranges, severity, message and code', () => {
    const d: Diagnostic = {code: 'K8S003', severity: 'error', source: 'schema', message: 'Неизвестное поле', range: at(2, 1, 2, 5)};
    expect(toMarkers([d], severities, 3, lineLength)).toEqual([
      {severity: 8, message: 'Неизвестное поле', code: 'K8S003', source: 'Istio-практикум', startLineNumber: 2, startColumn: 1, endLineNumber: 2, endColumn: 5},
    ]);
  });

  it('widens empty ranges to one character and clamps to the current text', () => {
    const point: Diagnostic = {code: 'YAML006', severity: 'error', source: 'syntax', message: 'big', range: at(1, 1, 1, 1)};
    const stale: Diagnostic = {code: 'IST0101', severity: 'warning', source: 'analysis', message: 'x', range: at(9, 40, 12, 3)};
    const nowhere: Diagnostic = {code: 'PRK004', severity: 'info', source: 'analysis', message: 'y'};
    const [a, b, c] = toMarkers([point, stale, nowhere], severities, 3, lineLength);
    expect([a.startColumn, a.endColumn]).toEqual([1, 2]);
    expect([b.startLineNumber, b.endLineNumber, b.startColumn, b.endColumn]).toEqual([3, 3, 1, 2]);
    expect([c.startLineNumber, c.severity]).toEqual([1, 2]);
  });
});
