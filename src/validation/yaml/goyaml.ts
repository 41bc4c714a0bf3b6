/**
 * The yaml package's syntax errors in go-yaml v2's words, as kubectl prints them after
 * "error converting YAML to JSON: " (sigs.k8s.io/yaml → go-yaml v2).
 *
 * Where go-yaml puts the line (go-yaml/yaml v2 decode.go, parser.fail): the problem mark's line,
 * which is 0-based; a scanner error adds one ("Scanner errors don't iterate line before
 * returning error"), and a line of 0 prints no "line N: " at all — a scanner error on the
 * first line reads "yaml: <problem>" (go-yaml's own tests: `value: -` gives
 * "yaml: block sequence entries are not allowed in this context").
 */
import type { LineCounter, YAMLError } from 'yaml';

interface GoYamlError {
  problem: string;
  /** 1-based line of the scanner's mark. */
  line: number;
}

/** go-yaml's scanner problem (go-yaml/yaml v2 scannerc.go) for a yaml-package error, or undefined when there is no clear counterpart. */
function scannerProblem(e: YAMLError, text: string, lines: LineCounter): GoYamlError | undefined {
  const at = lines.linePos(e.pos[0]).line;
  // `key: -`: yaml_parser_fetch_block_entry — after a simple key's ':' no block entry may start
  if (e.code === 'UNEXPECTED_TOKEN' && e.message.startsWith('Unexpected block-seq-ind on same line with key'))
    return { problem: 'block sequence entries are not allowed in this context', line: at };
  // `a: b: c`, a key continued on the next line, a mis-indented key: yaml_parser_fetch_value —
  // "mapping values are not allowed in this context"
  // (an unclosed flow collection is a parser error in go-yaml, "did not find expected ',' or ']'",
  // at a mark this mapping cannot place: it keeps the yaml package's words)
  // a line of a block mapping without its ':' (`kind Namespace`): the scanner holds it as a key
  // the mapping requires and gives up at the next token, on a later line —
  // yaml_parser_stale_simple_keys: "could not find expected ':'"
  if (e.code === 'MULTILINE_IMPLICIT_KEY' || e.message.includes('Implicit map keys')) {
    const missing = missingColon(text, e.pos[0]);
    if (missing !== undefined) return { problem: "could not find expected ':'", line: lines.linePos(missing).line };
  }
  // go-yaml stops at the ':' it cannot take (the yaml package points at the key before it)
  const multiline = e.code === 'MULTILINE_IMPLICIT_KEY' && !/^[ \t]*-/.test(text.slice(text.lastIndexOf('\n', e.pos[0] - 1) + 1, e.pos[0] + 1));
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || multiline || e.message.includes('Implicit map keys'))
    return { problem: 'mapping values are not allowed in this context', line: lines.linePos(colonAfter(text, e.pos[0])).line };
  if (e.code === 'BAD_INDENT' && !e.message.startsWith('Flow ')) return { problem: 'mapping values are not allowed in this context', line: at };
  // an unclosed quote: yaml_parser_scan_flow_scalar reads to the end of the stream —
  // "found unexpected end of stream", at the end of the text
  if (e.code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(e.message))
    return { problem: 'found unexpected end of stream', line: lines.linePos(text.length).line };
  if (e.code === 'MISSING_CHAR') return { problem: 'mapping values are not allowed in this context', line: at };
  // a tab as indentation, or a value starting with @ ` %: yaml_parser_fetch_next_token —
  // "found character that cannot start any token"
  if (e.code === 'TAB_AS_INDENT' || e.code === 'BAD_SCALAR_START') return { problem: 'found character that cannot start any token', line: at };
  return undefined;
}

/**
 * When the line at `at` is a plain scalar alone — no ':' indicator, not a sequence entry, a
 * comment, a quoted or flow value — the offset of the next token after it (the next line with
 * something other than blanks or a comment, or the end of the text), where go-yaml notices the
 * missing ':'; otherwise undefined.
 */
function missingColon(text: string, at: number): number | undefined {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const raw = text.slice(start, end < 0 ? text.length : end);
  const line = raw.trim();
  if (line === '' || /^[-#?'"[{|>&*!%@`]/.test(line) || /:(?:[ \t]|$)/.test(line) || / #/.test(line)) return undefined;
  // only where a block mapping's key is due: the nearest line above at this indentation or less
  // is a key of the same mapping (at the top of a document, or under its parent's key, the line
  // is a plain scalar that continues on the next line instead)
  const indent = raw.length - raw.trimStart().length;
  let above = start - 1;
  for (;;) {
    if (above < 0) return undefined;
    const from = text.lastIndexOf('\n', above - 1) + 1;
    const prev = text.slice(from, above);
    above = from - 1;
    const content = prev.trim();
    if (content === '' || content.startsWith('#')) continue;
    const prevIndent = prev.length - prev.trimStart().length;
    if (prevIndent > indent) continue;
    if (prevIndent < indent || !/^[^\s#-][^:]*:(?:[ \t]|$)/.test(content)) return undefined;
    break;
  }
  const next = /^[ \t]*[^ \t\r\n#]/gm;
  next.lastIndex = end < 0 ? text.length : end + 1;
  const m = end < 0 ? null : next.exec(text);
  return m ? m.index + m[0].length - 1 : text.length;
}

/** The offset of the first mapping-value indicator (':' before a space, a line end or the end) at or after `from`. */
function colonAfter(text: string, from: number): number {
  const re = /:(?=[ \t\r\n]|$)/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : from;
}

/** go-yaml's words for a yaml-package syntax error ("yaml: line N: …"), when it has a clear counterpart. */
export function goYamlCounterpart(e: YAMLError, text: string, lines: LineCounter): string | undefined {
  const scanner = scannerProblem(e, text, lines);
  if (!scanner) return undefined;
  return scanner.line > 1 ? `yaml: line ${scanner.line}: ${scanner.problem}` : `yaml: ${scanner.problem}`;
}

/** What follows "error converting YAML to JSON: " for a document's first syntax error. */
export function goYamlSyntaxError(e: YAMLError, text: string, lines: LineCounter): string {
  // no counterpart known: the yaml package's own words, at its line
  return goYamlCounterpart(e, text, lines) ?? `yaml: line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '')}`;
}
