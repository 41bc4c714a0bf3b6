/**
 * Label selectors: the string form kubectl takes with -l (`app=a,version!=v2,tier in (web,api),!canary`)
 * and the object form of spec.selector (matchLabels + matchExpressions). Both compile to Requirement[].
 */
import type { Labels } from './types';
import { isRecord } from './types';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export class SelectorParseError extends Error {}

export function matches(labels: Labels | undefined, reqs: readonly Requirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'In':
        return has && r.values.includes(l[r.key]);
      case 'NotIn':
        return !has || !r.values.includes(l[r.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}

/** Parses the -l syntax. Throws SelectorParseError with kubectl-like wording. */
export function parseSelector(s: string): Requirement[] {
  const out: Requirement[] = [];
  const text = s.trim();
  if (text === '') return out;
  // split on commas that are not inside parentheses
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^!\s*([\w./-]+)$/))) out.push({ key: m[1], operator: 'DoesNotExist', values: [] });
    else if ((m = p.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/)))
      out.push({
        key: m[1],
        operator: m[2] === 'in' ? 'In' : 'NotIn',
        values: m[3].split(',').map((v) => v.trim()).filter((v) => v !== ''),
      });
    else if ((m = p.match(/^([\w./-]+)\s*!=\s*([\w.-]*)$/))) out.push({ key: m[1], operator: 'NotIn', values: [m[2]] });
    else if ((m = p.match(/^([\w./-]+)\s*==?\s*([\w.-]*)$/))) out.push({ key: m[1], operator: 'In', values: [m[2]] });
    else if ((m = p.match(/^([\w./-]+)$/))) out.push({ key: m[1], operator: 'Exists', values: [] });
    else throw new SelectorParseError(`unable to parse requirement: ${p === '' ? 'empty requirement' : `found '${p}', expected: identifier`}`);
  }
  return out;
}

/** A field's value as text whatever its type (String() throws on a mapping with a `toString` key). */
export function plainString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return String(v);
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** metav1.LabelSelector → requirements. An empty selector object matches everything. */
export function fromLabelSelector(sel: unknown): Requirement[] {
  if (!isRecord(sel)) return [];
  const out: Requirement[] = [];
  const ml = sel.matchLabels;
  if (isRecord(ml)) for (const [k, v] of Object.entries(ml)) out.push({ key: k, operator: 'In', values: [plainString(v)] });
  const me = sel.matchExpressions;
  if (Array.isArray(me))
    for (const e of me) {
      if (!isRecord(e)) continue;
      out.push({
        key: String(e.key),
        operator: e.operator as Operator,
        values: Array.isArray(e.values) ? e.values.map(String) : [],
      });
    }
  return out;
}

/** A map selector (Service spec.selector, Istio workloadSelector/subset labels). */
export function fromMap(m: Labels | undefined): Requirement[] {
  return Object.entries(m ?? {}).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] }));
}

export function formatLabels(labels: Labels | undefined): string {
  const e = Object.entries(labels ?? {});
  return e.length === 0 ? '<none>' : e.map(([k, v]) => `${k}=${v}`).join(',');
}
