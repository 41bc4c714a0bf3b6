/**
 * A readline-like line editor, independent of xterm: it turns the bytes a terminal sends
 * (keys, pastes, IME text) into edits of the current line and returns the escape sequences
 * that redraw it. History (↑/↓), reverse search (Ctrl-R), word and line kills, and
 * code-point-aware cursor movement (Cyrillic is one column per letter).
 */

export type Effect =
  | { kind: 'submit'; line: string }
  | { kind: 'interrupt' }
  | { kind: 'clearScreen' }
  | { kind: 'complete'; line: string; cursor: number }
  | { kind: 'paste'; lines: string[] };

export interface FeedResult {
  /** Escape sequences to write to the terminal. */
  write: string;
  effects: Effect[];
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function visibleWidth(s: string): number {
  return Array.from(s.replace(ANSI, '')).length;
}

/**
 * Whole escape sequences as ECMA-48 frames them: control strings (DCS, OSC, SOS, PM, APC) up to
 * their terminator, CSI with any parameter bytes (0x30–0x3F, so `>`, `=`, `<` too), SS3, and
 * two-byte escapes. A reply a terminal sends (`ESC[>0;276;0c`, `ESC P1$r0m ESC \`) goes whole.
 */
const ESCAPE_SEQUENCE = /\x1b[P\]X^_][\s\S]*?(?:\x1b\\|\x07|$)|\x1b\[[0-?]*[ -/]*[@-~]?|\x1bO.?|\x1b[ -/]*[0-~]?/g;

/** Drops control characters (and unknown escape sequences) from typed or pasted text. */
export function sanitize(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(/[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]/g, '').replace(/\t/g, '  ');
}

interface Search {
  query: string;
  /** Index in history of the current match, or -1. */
  index: number;
}

export class LineEditor {
  private buf: string[] = [];
  private pos = 0;
  private history: string[] = [];
  private histIndex = 0;
  private draft = '';
  private search: Search | undefined;
  private drawnRow = 0;
  prompt = '$ ';

  constructor(public cols = 80) {}

  get line(): string {
    return this.buf.join('');
  }

  get cursor(): number {
    // cursor as a UTF-16 offset (what completion expects)
    return this.buf.slice(0, this.pos).join('').length;
  }

  setHistory(lines: string[]): void {
    this.history = lines.filter((l) => l.trim() !== '');
    this.histIndex = this.history.length;
  }

  getHistory(): string[] {
    return [...this.history];
  }

  addHistory(line: string): void {
    if (line.trim() && this.history[this.history.length - 1] !== line) this.history.push(line);
    if (this.history.length > 1000) this.history.splice(0, this.history.length - 1000);
    this.histIndex = this.history.length;
  }

  /** Starts a fresh prompt on the current (empty) row. */
  begin(prompt: string): string {
    this.prompt = prompt;
    this.buf = [];
    this.pos = 0;
    this.search = undefined;
    this.histIndex = this.history.length;
    this.draft = '';
    this.drawnRow = 0;
    return this.render();
  }

  /** Replaces the line (run buttons, completion). */
  setLine(text: string, cursor?: number): string {
    this.buf = Array.from(text);
    this.pos = cursor === undefined ? this.buf.length : Array.from(text.slice(0, cursor)).length;
    return this.render();
  }

  /** Redraws after the prompt was overwritten (output of completion lists, Ctrl-L). */
  redrawFresh(): string {
    this.drawnRow = 0;
    return this.render();
  }

  resize(cols: number): string {
    this.cols = Math.max(10, cols);
    return '';
  }

  feed(data: string): FeedResult {
    if (this.search) return this.feedSearch(data);
    switch (data) {
      case '\r':
      case '\n':
        return this.submit();
      case '\x7f':
      case '\b':
        if (this.pos > 0) {
          this.buf.splice(this.pos - 1, 1);
          this.pos--;
        }
        return this.out();
      case '\x1b[3~':
      case '\x04':
        if (this.pos < this.buf.length) this.buf.splice(this.pos, 1);
        return this.out();
      case '\x1b[D':
      case '\x02':
        this.pos = Math.max(0, this.pos - 1);
        return this.out();
      case '\x1b[C':
      case '\x06':
        this.pos = Math.min(this.buf.length, this.pos + 1);
        return this.out();
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
      case '\x01':
        this.pos = 0;
        return this.out();
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
      case '\x05':
        this.pos = this.buf.length;
        return this.out();
      case '\x1b[1;5D':
      case '\x1bb':
        this.pos = this.wordStart();
        return this.out();
      case '\x1b[1;5C':
      case '\x1bf':
        this.pos = this.wordEnd();
        return this.out();
      case '\x1b[A':
      case '\x10':
        return this.historyMove(-1);
      case '\x1b[B':
      case '\x0e':
        return this.historyMove(1);
      case '\x0b':
        this.buf.splice(this.pos);
        return this.out();
      case '\x15':
        this.buf.splice(0, this.pos);
        this.pos = 0;
        return this.out();
      case '\x17': {
        const s = this.wordStart();
        this.buf.splice(s, this.pos - s);
        this.pos = s;
        return this.out();
      }
      case '\x03':
        return { write: '^C\r\n', effects: [{ kind: 'interrupt' }] };
      case '\x0c':
        return { write: '', effects: [{ kind: 'clearScreen' }] };
      case '\t':
        return { write: '', effects: [{ kind: 'complete', line: this.line, cursor: this.cursor }] };
      case '\x12':
        this.search = { query: '', index: -1 };
        return this.out();
    }
    if (/[\r\n]/.test(data) && data.length > 1) return this.paste(data);
    const text = sanitize(data);
    if (!text) return { write: '', effects: [] };
    return this.insert(text);
  }

  /** Text typed or pasted without line breaks goes into the line at the cursor. */
  insert(text: string): FeedResult {
    const chars = Array.from(sanitize(text));
    this.buf.splice(this.pos, 0, ...chars);
    this.pos += chars.length;
    return this.out();
  }

  private paste(data: string): FeedResult {
    const lines = data.replace(/\r\n?/g, '\n').split('\n');
    const last = lines.pop() ?? '';
    // the first pasted line continues what was already typed
    const first = this.line.slice(0, this.cursor) + (lines.shift() ?? '') + this.line.slice(this.cursor);
    const all = [first, ...lines].map(sanitize);
    this.buf = Array.from(sanitize(last));
    this.pos = this.buf.length;
    return { write: '', effects: [{ kind: 'paste', lines: all }] };
  }

  private submit(): FeedResult {
    const line = this.line;
    this.pos = this.buf.length;
    const write = this.render() + '\r\n';
    this.addHistory(line);
    this.buf = [];
    this.pos = 0;
    this.drawnRow = 0;
    return { write, effects: [{ kind: 'submit', line }] };
  }

  private historyMove(dir: -1 | 1): FeedResult {
    const next = this.histIndex + dir;
    if (next < 0 || next > this.history.length) return { write: '', effects: [] };
    if (this.histIndex === this.history.length) this.draft = this.line;
    this.histIndex = next;
    const text = next === this.history.length ? this.draft : this.history[next];
    this.buf = Array.from(text);
    this.pos = this.buf.length;
    return this.out();
  }

  private feedSearch(data: string): FeedResult {
    const s = this.search as Search;
    const accept = (): void => {
      if (s.index >= 0) {
        this.buf = Array.from(this.history[s.index]);
        this.pos = this.buf.length;
      }
      this.search = undefined;
    };
    switch (data) {
      case '\x12':
        this.findMatch(s, s.index < 0 ? this.history.length - 1 : s.index - 1);
        return this.out();
      case '\x7f':
      case '\b':
        s.query = Array.from(s.query).slice(0, -1).join('');
        this.findMatch(s, this.history.length - 1);
        return this.out();
      case '\x03':
      case '\x07':
        this.search = undefined;
        return this.out();
      case '\r':
      case '\n':
        accept();
        return this.submit();
    }
    if (data.startsWith('\x1b') || data.length === 1 && data.charCodeAt(0) < 0x20) {
      accept();
      const r = this.out();
      return data === '\x1b' ? r : { write: r.write + this.feed(data).write, effects: [] };
    }
    s.query += sanitize(data);
    this.findMatch(s, this.history.length - 1);
    return this.out();
  }

  private findMatch(s: Search, from: number): void {
    for (let i = Math.min(from, this.history.length - 1); i >= 0; i--)
      if (s.query && this.history[i].includes(s.query)) {
        s.index = i;
        return;
      }
    if (!s.query) s.index = -1;
  }

  private wordStart(): number {
    let i = this.pos;
    while (i > 0 && /\s/.test(this.buf[i - 1])) i--;
    while (i > 0 && !/\s/.test(this.buf[i - 1])) i--;
    return i;
  }

  private wordEnd(): number {
    let i = this.pos;
    while (i < this.buf.length && /\s/.test(this.buf[i])) i++;
    while (i < this.buf.length && !/\s/.test(this.buf[i])) i++;
    return i;
  }

  private out(): FeedResult {
    return { write: this.render(), effects: [] };
  }

  /** Escape sequences that redraw prompt + line and put the cursor in place. */
  render(): string {
    let prompt = this.prompt;
    let text = this.line;
    let cursorChars = this.pos;
    if (this.search) {
      const s = this.search;
      const match = s.index >= 0 ? this.history[s.index] : '';
      prompt = `(поиск в истории)'${s.query}': `;
      text = match;
      cursorChars = Array.from(match).length;
    }
    const cols = Math.max(10, this.cols);
    const pw = visibleWidth(prompt);
    const end = pw + Array.from(text).length;
    const target = pw + cursorChars;
    let s = this.drawnRow > 0 ? `\x1b[${this.drawnRow}A` : '';
    s += '\r\x1b[J' + prompt + text;
    let endRow = Math.floor(end / cols);
    if (end > 0 && end % cols === 0) s += ' \r'; // leave xterm's pending-wrap state
    else if (end === 0) endRow = 0;
    const tRow = Math.floor(target / cols);
    const tCol = target % cols;
    if (endRow > tRow) s += `\x1b[${endRow - tRow}A`;
    s += '\r' + (tCol > 0 ? `\x1b[${tCol}C` : '');
    this.drawnRow = tRow;
    return s;
  }
}
