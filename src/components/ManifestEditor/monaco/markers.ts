/** The engine's diagnostics as Monaco marker data (plain objects; no Monaco import). */
import type {Diagnostic, Severity} from '../../../validation/types';

export const MARKER_OWNER = 'istio-practicum';

export interface MarkerData {
  severity: number;
  message: string;
  code: string;
  source: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/**
 * One marker per diagnostic. An empty range (a problem at a point, such as "text too large" at
 * 1:1) is widened to one character so Monaco draws a squiggle under it. `lineLength` clamps
 * columns to the model (the text may have changed since it was validated).
 */
export function toMarkers(
  diagnostics: readonly Diagnostic[],
  severities: Record<Severity, number>,
  lineCount: number,
  lineLength: (line: number) => number,
): MarkerData[] {
  const out: MarkerData[] = [];
  for (const d of diagnostics) {
    const start = d.range?.start ?? {line: 1, column: 1};
    const end = d.range?.end ?? start;
    const startLine = Math.min(Math.max(1, start.line), Math.max(1, lineCount));
    const endLine = Math.min(Math.max(startLine, end.line), Math.max(1, lineCount));
    const startColumn = Math.min(Math.max(1, start.column), lineLength(startLine) + 1);
    let endColumn = Math.min(Math.max(1, end.column), lineLength(endLine) + 1);
    if (endLine === startLine && endColumn <= startColumn) endColumn = startColumn + 1;
    out.push({
      severity: severities[d.severity],
      message: d.message,
      code: d.code,
      source: 'Istio-практикум',
      startLineNumber: startLine,
      startColumn,
      endLineNumber: endLine,
      endColumn,
    });
  }
  return out;
}
