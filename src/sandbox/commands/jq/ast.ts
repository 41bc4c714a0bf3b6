/** jq's abstract syntax tree, as the parser builds it and the evaluator walks it; compile errors. */
import type { Json } from './json';

export class JqCompileError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export type Node =
  | { t: 'identity' }
  | { t: 'recurse' }
  | { t: 'index'; target: Node; index: Node }
  | { t: 'slice'; target: Node; from?: Node; to?: Node }
  | { t: 'iterate'; target: Node }
  | { t: 'try'; body: Node; handler?: Node }
  | { t: 'literal'; value: Json }
  | { t: 'string'; parts: (string | Node)[]; format?: string }
  | { t: 'format'; name: string }
  | { t: 'array'; body?: Node }
  | { t: 'object'; entries: { key: Node; value: Node }[] }
  | { t: 'pipe' | 'comma' | 'alt' | 'and' | 'or'; left: Node; right: Node }
  | { t: 'binop'; op: string; left: Node; right: Node }
  | { t: 'assign'; op: string; left: Node; right: Node }
  | { t: 'neg'; body: Node }
  | { t: 'call'; name: string; args: Node[] }
  | { t: 'var'; name: string }
  | { t: 'as'; source: Node; name: string; body: Node }
  | { t: 'if'; cond: Node; then: Node; otherwise?: Node }
  | { t: 'reduce'; source: Node; name: string; init: Node; update: Node }
  | { t: 'foreach'; source: Node; name: string; init: Node; update: Node; extract?: Node }
  | { t: 'def'; name: string; params: string[]; body: Node; rest: Node };
