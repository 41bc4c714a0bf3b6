/**
 * YAML and JSON as kubectl prints them. kubectl's YAML printer is sigs.k8s.io/yaml: the object
 * is marshalled to JSON, read back by go-yaml v2 and emitted by its libyaml port
 * (gopkg.in/yaml.v2 encode.go, emitterc.go, resolve.go). This module reproduces that emitter
 * for JSON values: keys in go-yaml's order, sequences not indented under their key, strings
 * that would read back as another type double-quoted ("2024-01-01T00:00:00Z", "yes", "1"),
 * single quotes where a plain scalar is not allowed, literal blocks for multi-line strings,
 * long lines folded at a space after column 80 (best_width).
 *
 * The JSON printer is Go's json.MarshalIndent with four spaces (printers/json.go): keys sorted
 * for unstructured objects, HTML characters escaped.
 */
import { isRecord } from '../../api/types';

const BEST_WIDTH = 80;
const INDENT = 2;

// ---- resolve.go: what a plain scalar would read back as ----------------------------------

const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
// parseTimestamp's layouts: 2006-1-2T15:4:5.999999999Z07:00, with "t" or " ", or a date alone
const TIMESTAMP = /^\d{4}-(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])(?:[Tt]([01]?\d|2[0-3]):[0-5]?\d:[0-5]?\d(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})| ([01]?\d|2[0-3]):[0-5]?\d:[0-5]?\d(?:\.\d+)?)?$/;

/** Go's strconv.ParseInt/ParseUint with base 0 (0x, 0o, 0b, leading-0 octal, sign). */
function goParsesAsInt(s: string): boolean {
  return /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.test(s);
}

/** True when a plain scalar `s` would be read as a string (resolve(): yaml_STR_TAG) and is no base-60 float. */
function resolvesToString(s: string): boolean {
  if (RESOLVE_MAP.has(s)) return false;
  const c = s[0];
  // hint '.': strconv.ParseFloat
  if (c === '.') return !/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (TIMESTAMP.test(s)) return false;
    const plain = s.replace(/_/g, '');
    if (goParsesAsInt(plain)) return false;
    if (YAML_STYLE_FLOAT.test(plain)) return false;
    if (/^-?0b[01]+$/.test(plain)) return false;
  }
  return !BASE60_FLOAT.test(s);
}

// ---- emitterc.go: yaml_emitter_analyze_scalar --------------------------------------------

const isBreak = (ch: string): boolean => ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
const isSpace = (ch: string): boolean => ch === ' ';
const isBlankz = (ch: string | undefined): boolean => ch === undefined || ch === ' ' || ch === '\t' || isBreak(ch);

function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || c >= 0x10000;
}

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyze(value: string): Analysis {
  if (value === '') return { multiline: false, blockPlainAllowed: false, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) {
    if (isBlankz(value[3])) blockIndicators = true;
  }
  const chars = [...value];
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const first = i === 0;
    const last = i === chars.length - 1;
    const followedByWhitespace = isBlankz(chars[i + 1]);
    if (first) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ((ch === '?' || ch === ':') && followedByWhitespace) blockIndicators = true;
      if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(ch)) specialCharacters = true;
    if (isBreak(ch)) lineBreaks = true;
    if (isSpace(ch)) {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(ch);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || specialCharacters) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false;
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

type Style = 'plain' | 'single' | 'double' | 'literal';

/** encode.go stringv + yaml_emitter_select_scalar_style. `key`: a simple key (no breaks, no blocks). */
function styleOf(s: string, key: boolean): Style {
  const a = analyze(s);
  let style: Style;
  if (s.includes('\n')) style = 'literal';
  else if (resolvesToString(s) && !BASE60_FLOAT.test(s)) style = 'plain';
  else style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (s === '' && key) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || key)) style = 'double';
  return style;
}

// ---- writers (yaml_emitter_write_*_scalar) -------------------------------------------------

class Out {
  text = '';
  column = 0;
  put(s: string): void {
    this.text += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + [...s].length : [...s.slice(nl + 1)].length;
  }
  newline(indent: number): void {
    while (this.text.endsWith(' ')) this.text = this.text.slice(0, -1);
    this.text += `\n${' '.repeat(indent)}`;
    this.column = indent;
  }
}

function writePlain(o: Out, s: string, indent: number, allowBreaks: boolean): void {
  const chars = [...s];
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === ' ') {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && chars[i + 1] !== ' ') o.newline(indent);
      else o.put(' ');
      spaces = true;
    } else {
      o.put(ch);
      spaces = false;
    }
  }
}

function writeSingle(o: Out, s: string, indent: number, allowBreaks: boolean): void {
  const chars = [...s];
  o.put("'");
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === ' ') {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') o.newline(indent);
      else o.put(' ');
      spaces = true;
    } else {
      o.put(ch === "'" ? "''" : ch);
      spaces = false;
    }
  }
  o.put("'");
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\x0b': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e', '"': '"', '\\': '\\',
  '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P',
};

function writeDouble(o: Out, s: string, indent: number, allowBreaks: boolean): void {
  const chars = [...s];
  o.put('"');
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const c = ch.codePointAt(0)!;
    if (!isPrintable(ch) || c === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
      const e = ESCAPES[ch];
      if (e) o.put(`\\${e}`);
      else if (c <= 0xff) o.put(`\\x${c.toString(16).toUpperCase().padStart(2, '0')}`);
      else if (c <= 0xffff) o.put(`\\u${c.toString(16).toUpperCase().padStart(4, '0')}`);
      else o.put(`\\U${c.toString(16).toUpperCase().padStart(8, '0')}`);
      spaces = false;
    } else if (ch === ' ') {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        o.newline(indent);
        if (chars[i + 1] === ' ') o.put('\\');
      } else o.put(' ');
      spaces = true;
    } else {
      o.put(ch);
      spaces = false;
    }
  }
  o.put('"');
}

function writeLiteral(o: Out, s: string, indent: number): void {
  let hints = '';
  if (s[0] === ' ' || isBreak(s[0])) hints += String(INDENT);
  if (!isBreak(s[s.length - 1])) hints += '-';
  else if (s.length === 1 || isBreak(s[s.length - 2])) hints += '+';
  o.put(`|${hints}`);
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  for (const line of body.split('\n')) {
    o.text += '\n';
    o.column = 0;
    if (line !== '') o.put(`${' '.repeat(indent)}${line}`);
  }
}

function writeString(o: Out, s: string, indent: number, key: boolean): void {
  const style = styleOf(s, key);
  if (style === 'plain') writePlain(o, s, indent, !key);
  else if (style === 'single') writeSingle(o, s, indent, !key);
  else if (style === 'double') writeDouble(o, s, indent, !key);
  else writeLiteral(o, s, indent);
}

/** encode.go floatv: strconv.FormatFloat(f, 'g', -1, 64). */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = n.toExponential().split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    return `${m}e${sign}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  return String(n);
}

function scalar(o: Out, v: unknown, indent: number): void {
  if (v === null || v === undefined) o.put('null');
  else if (typeof v === 'boolean') o.put(String(v));
  else if (typeof v === 'number') o.put(goFloat(v));
  else writeString(o, String(v), indent, false);
}

/** go-yaml v2's key order (sorter.go keyList.Less): letters by code point, digit runs by value, other characters before letters. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--)
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m)
    .filter((k) => m[k] !== undefined)
    .sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
}

function isEmptyCollection(v: unknown): string | undefined {
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (isRecord(v) && sortedKeys(v).length === 0) return '{}';
  return undefined;
}

/** A block mapping whose keys start at `indent`; the first key continues the current line. */
function mapping(o: Out, m: Record<string, unknown>, indent: number, firstInline: boolean): void {
  sortedKeys(m).forEach((k, i) => {
    if (i > 0 || !firstInline) o.newline(indent);
    writeString(o, k, indent, true);
    o.put(':');
    value(o, m[k], indent, true);
  });
}

/** A block sequence whose dashes are at `indent` (indentless under a mapping key). */
function sequence(o: Out, items: unknown[], indent: number, firstInline: boolean): void {
  items.forEach((item, i) => {
    if (i > 0 || !firstInline) o.newline(indent);
    o.put('- ');
    const empty = isEmptyCollection(item);
    if (empty) o.put(empty);
    else if (isRecord(item)) mapping(o, item, indent + INDENT, true);
    else if (Array.isArray(item)) sequence(o, item, indent + INDENT, true);
    else scalar(o, item, indent + INDENT);
  });
}

/** The value after "key:" of a mapping at `indent`. */
function value(o: Out, v: unknown, indent: number, inMapping: boolean): void {
  const empty = isEmptyCollection(v);
  if (empty) o.put(` ${empty}`);
  else if (isRecord(v)) mapping(o, v, indent + INDENT, false);
  else if (Array.isArray(v)) sequence(o, v, inMapping ? indent : indent + INDENT, false);
  else {
    o.put(' ');
    scalar(o, v, indent + INDENT);
  }
}

/** sigs.k8s.io/yaml.Marshal of a JSON value. */
export function goYaml(v: unknown): string {
  const o = new Out();
  const empty = isEmptyCollection(v);
  if (empty) o.put(empty);
  else if (isRecord(v)) mapping(o, v, 0, true);
  else if (Array.isArray(v)) sequence(o, v, 0, true);
  else scalar(o, v, 0);
  return `${o.text.replace(/ +$/gm, '')}\n`;
}

/** Go's json.Marshal of a map: compact, sorted keys, HTML characters escaped. */
export function goJsonCompact(v: unknown): string {
  return escapeHtml(JSON.stringify(ordered(v, false)));
}

function ordered(x: unknown, keepOrder: boolean): unknown {
  if (Array.isArray(x)) return x.map((y) => ordered(y, keepOrder));
  if (!isRecord(x)) return x;
  const keys = Object.keys(x).filter((k) => x[k] !== undefined);
  if (!keepOrder) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = ordered(x[k], keepOrder);
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Go's encoding/json with MarshalIndent("", "    "): sorted keys unless `keepOrder` (a typed struct's field order). */
export function goJson(v: unknown, keepOrder = false): string {
  return `${escapeHtml(JSON.stringify(ordered(v, keepOrder), null, 4))}\n`;
}
