/**
 * What the problem list shows for the engine's diagnostics: Russian wording of severities and
 * counts, the place in the text, the lesson a diagnostic links to. Pure functions.
 */
import type {Diagnostic, Severity} from '../../validation/types';
import {lessons} from '../../course';
import {isSuppressible} from './rules';
import {plural} from './plural';

export {plural};

export type Counts = Record<Severity, number>;

export const SEVERITY_LABEL: Record<Severity, string> = {
  error: 'Ошибка',
  warning: 'Предупреждение',
  info: 'Замечание',
};

export function countOf(diagnostics: readonly Diagnostic[]): Counts {
  const counts: Counts = {error: 0, warning: 0, info: 0};
  for (const d of diagnostics) counts[d.severity] += 1;
  return counts;
}

const NOUNS: Record<Severity, [string, string, string]> = {
  error: ['ошибка', 'ошибки', 'ошибок'],
  warning: ['предупреждение', 'предупреждения', 'предупреждений'],
  info: ['замечание', 'замечания', 'замечаний'],
};

/** "Проблем не найдено" or "2 ошибки, 1 предупреждение и 3 замечания". */
export function summaryText(counts: Counts): string {
  const parts = (['error', 'warning', 'info'] as const)
    .filter((severity) => counts[severity] > 0)
    .map((severity) => `${counts[severity]} ${plural(counts[severity], ...NOUNS[severity])}`);
  if (!parts.length) return 'Проблем не найдено';
  if (parts.length === 1) return parts[0];
  return `${parts.slice(0, -1).join(', ')} и ${parts[parts.length - 1]}`;
}

/** "строка 12, столбец 7". */
export function placeText(d: Pick<Diagnostic, 'range'>): string {
  if (!d.range) return 'весь манифест';
  return `строка ${d.range.start.line}, столбец ${d.range.start.column}`;
}

/** The course's name for a lesson link ("/docs/virtual-service" → "VirtualService"). */
export function lessonTitle(link: string): string | undefined {
  const id = link.replace(/^\/docs\//, '').replace(/[#?].*$/, '').replace(/\/$/, '');
  return lessons.find((lesson) => lesson.id === id)?.label;
}

export interface ProblemView {
  /** Stable within one result: React key and test hook. */
  key: string;
  code: string;
  /** Istio's code as `istioctl analyze` prints it, when it differs (IST0106 for schema errors). */
  istioCode?: string;
  severity: Severity;
  severityLabel: string;
  message: string;
  explanation?: string;
  place: string;
  line: number;
  column: number;
  link?: string;
  linkLabel?: string;
  documentIndex?: number;
  suppressible: boolean;
}

export function toProblemViews(diagnostics: readonly Diagnostic[]): ProblemView[] {
  return diagnostics.map((d, index) => {
    const linkTitle = d.link ? lessonTitle(d.link) : undefined;
    return {
      key: `${index}:${d.code}:${d.range?.start.offset ?? -1}`,
      code: d.code,
      istioCode: d.istioCode && d.istioCode !== d.code ? d.istioCode : undefined,
      severity: d.severity,
      severityLabel: SEVERITY_LABEL[d.severity],
      message: d.message,
      explanation: d.explanation,
      place: placeText(d),
      line: d.range?.start.line ?? 1,
      column: d.range?.start.column ?? 1,
      link: d.link,
      linkLabel: d.link ? `Урок «${linkTitle ?? d.link}»` : undefined,
      documentIndex: d.documentIndex,
      suppressible: isSuppressible(d) && d.documentIndex !== undefined,
    };
  });
}
