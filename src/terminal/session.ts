/**
 * A terminal session: the glue between a screen (xterm.js, or a fake in tests), the line
 * editor and a sandbox connection. Owns the prompt, the queue of lines to run (typed,
 * pasted or sent by run buttons), persistence, and the hard interrupt: when Ctrl-C gets no
 * answer (the worker is stuck), the worker is replaced and the state replayed.
 */
import { SandboxConnection, SessionChannel, type ShellLink, type Transport } from './connection';
import { LineEditor, type Effect } from './lineEditor';
import { clearLessonState, inspectLessonState, loadLessonState, saveLessonState } from './persistence';
import { isSafePath, type Probe, type ProbeResult, type PromptInfo, type ReplayEntry, type SandboxFile, type TraceRange, type TrafficReport } from './protocol';
import { appendJournal } from './replay';
import { splitCommands } from './splitCommands';

export interface Screen {
  write(data: string): void;
  clear(): void;
  readonly cols: number;
  /**
   * Marks, after a line's output, the requests it sent (the «Трафик» view's trace ids): the
   * screen puts a blank line there with a marker that opens their path. Terminal UI, not output:
   * nothing of it reaches the command's pipes, and a copy of the screen has only the blank line.
   */
  markRequests?(requests: TraceRange): void;
  /** The sandbox starts afresh (reset, a replaced worker): its trace ids begin again, the markers so far lead nowhere. */
  forgetRequests?(): void;
}

export type SessionState = 'starting' | 'ready' | 'busy';

/** A line to run: typed (already on screen) or sent by a button / paste (echoed when it starts). */
interface QueuedLine {
  line: string;
  echo: boolean;
  /** Data the line reads, written into the sandbox first (an edited manifest). */
  files?: SandboxFile[];
}

export const PASTE_MAX_LINES = 300;
/** Keys typed ahead while the sandbox starts or a command runs, kept up to this many characters (as a tty's input queue is bounded). */
export const TYPE_AHEAD_MAX_CHARS = 4096;
export const PASTE_MAX_CHARS = 30_000;
const HARD_INTERRUPT_MS = 1_500;

const C = { reset: '\x1b[0m', red: '\x1b[31m', green: '\x1b[32m', blue: '\x1b[34m', cyan: '\x1b[36m', dim: '\x1b[2m', yellow: '\x1b[33m' };

export function formatPrompt(p: PromptInfo): string {
  if (p.ps1 !== undefined) return p.ps1;
  return `${C.cyan}(${p.namespace})${C.reset} ${C.blue}${p.cwd}${C.reset} $ `;
}

export interface SessionOptions {
  scenario: string;
  screen: Screen;
  /** A new transport; one with `prestarted` equal to the scenario is already starting it. */
  makeTransport: () => Transport & { prestarted?: string };
  onState?: (s: SessionState) => void;
  /** Called after each command line finishes, with the count so far (tests wait on it). */
  onRun?: (count: number) => void;
  /** The lesson's saved progress was discarded (an unreadable snapshot): step marks are gone. */
  onProgressReset?: () => void;
  seed?: number;
  /**
   * A further terminal on the sandbox of `primary` (the lesson's first terminal): its own shell
   * session `id` (cwd, variables, history, running command, Ctrl-C) over the primary's
   * connection. The primary starts, restarts and resets the sandbox; this one follows.
   */
  attach?: { id: string; primary: TerminalSession };
}

export class TerminalSession {
  readonly editor = new LineEditor();
  /** The connection to the sandbox (the primary's own; a further terminal's is its primary's). */
  private conn!: SandboxConnection;
  /** This terminal's shell session: the connection itself (first terminal) or a channel on it. */
  private link!: ShellLink;
  /** Further terminals on this (primary) terminal's sandbox. */
  private readonly followers = new Set<TerminalSession>();
  private queue: QueuedLine[] = [];
  /** Keys typed while no prompt is shown, delivered in order at the next prompt (Ctrl-C drops them). */
  private typeAhead: string[] = [];
  private running = false;
  private state: SessionState = 'starting';
  private atLineStart = true;
  private hardTimer: ReturnType<typeof setTimeout> | undefined;
  private journal: ReplayEntry[];
  /** Part of the saved lesson state was unreadable and was dropped (told once the terminal starts). */
  private readonly damaged: boolean;
  private disposed = false;
  /** Bumped by reset: a drain loop of an older generation stops quietly. */
  private gen = 0;
  private runs = 0;

  constructor(private readonly opts: SessionOptions) {
    const { state: saved, damaged } = opts.attach ? { state: loadLessonState(opts.scenario), damaged: false } : inspectLessonState(opts.scenario);
    this.damaged = damaged;
    this.journal = saved.journal;
    // a further terminal starts with an empty history of its own, as a new shell does
    this.editor.setHistory(opts.attach ? [] : saved.history);
    this.editor.cols = opts.screen.cols;
  }

  private get primary(): TerminalSession | undefined {
    return this.opts.attach?.primary;
  }

  get status(): SessionState {
    return this.state;
  }

  private setState(s: SessionState): void {
    this.state = s;
    this.opts.onState?.(s);
  }

  /** Connects and prepares the lesson's sandbox (setup + the learner's replayed commands). */
  async start(): Promise<void> {
    const primary = this.primary;
    if (primary) {
      primary.followers.add(this);
      this.follow(primary.conn);
      await this.conn.whenReady();
      if (this.disposed) return;
      this.info('Ещё одна сессия оболочки в той же песочнице: у неё свой рабочий каталог, свои переменные и история команд, а кластер общий.');
      this.atLineStart = true;
      this.setState('ready');
      this.startQueued();
      return;
    }
    if (this.damaged) this.notice('Часть сохранённого в браузере состояния урока была повреждена и отброшена; всё, что удалось прочитать, сохранено.');
    this.info(this.journal.length ? 'Восстанавливаем песочницу урока…' : 'Запускаем песочницу урока…');
    const transport = this.connect();
    // a worker warmed up for this lesson is already preparing it (see workerPool.ts)
    if (transport.prestarted === this.opts.scenario && this.opts.seed === undefined) await this.conn.adopt(this.opts.scenario);
    else await this.conn.start(this.opts.scenario, { seed: this.opts.seed, replay: this.journal });
    if (this.disposed) return;
    this.opts.screen.write(`${C.green}Песочница готова.${C.reset} ${C.dim}Команда help покажет, что здесь есть; манифесты урока лежат в ~/examples.${C.reset}\r\n`);
    this.atLineStart = true;
    this.setState('ready');
    this.startQueued();
  }

  /** Shows the prompt, or runs what run buttons queued while the sandbox was starting. */
  private startQueued(): void {
    if (this.queue.length) {
      this.opts.screen.write('\r\x1b[J');
      void this.drain();
    } else {
      this.showPrompt();
      this.deliverTypeAhead();
    }
  }

  private connect(): Transport & { prestarted?: string } {
    const transport = this.opts.makeTransport();
    this.conn = new SandboxConnection(transport, {
      ready: (_prompt, _history, discarded) => {
        if (discarded) this.discardProgress();
      },
      output: (data, stream) => this.output(data, stream),
      // through the output stream, so it lands in order with the output before and after it
      // (what `clear` writes on xterm: home, erase the screen, erase the scrollback)
      clear: () => this.opts.screen.write('\x1b[H\x1b[2J\x1b[3J'),
      progress: (m) => this.info(m),
      error: (m) => this.opts.screen.write(`${C.red}${m}${C.reset}\r\n`),
    });
    this.link = this.conn;
    for (const f of this.followers) f.follow(this.conn);
    return transport;
  }

  /** A further terminal: its shell session on the primary's (possibly new) connection. */
  private follow(conn: SandboxConnection): void {
    const old = this.link;
    this.conn = conn;
    this.link = conn.channel(this.opts.attach?.id ?? '', {
      output: (data, stream) => this.output(data, stream),
      clear: () => this.opts.screen.write('\x1b[H\x1b[2J\x1b[3J'),
    });
    old?.abandonRuns();
  }

  /** The primary is starting the sandbox afresh (reset, or a replaced worker): what this terminal had queued goes. */
  private suspend(): void {
    this.opts.screen.forgetRequests?.();
    this.gen++;
    this.queue = [];
    this.queueTail = '';
    this.typeAhead = [];
    this.running = false;
    this.clearHardTimer();
    this.setState('starting');
  }

  /** The sandbox is back: a new shell session in this terminal. */
  private resume(): void {
    if (this.disposed) return;
    this.opts.screen.write('\r\n');
    this.notice('Песочница запущена заново: в этом терминале новая сессия оболочки (каталог ~).');
    this.atLineStart = true;
    this.setState('ready');
    this.startQueued();
  }

  private info(m: string): void {
    this.opts.screen.write(`${C.dim}${m}${C.reset}\r\n`);
  }

  private notice(m: string): void {
    this.opts.screen.write(`${C.yellow}${m}${C.reset}\r\n`);
  }

  /** The host found the saved sandbox unreadable and started the lesson afresh: the journal and step marks go with it. */
  private discardProgress(): void {
    this.journal = [];
    saveLessonState(this.opts.scenario, { journal: [], passed: [] });
    this.notice('Сохранённая песочница урока повреждена и отброшена: урок начат заново. Правки в манифестах и история команд сохранены.');
    this.opts.onProgressReset?.();
  }

  /**
   * A command's output as a terminal shows it: stdout and stderr look the same (a real terminal
   * does not colour stderr; the tools colour what they colour themselves, e.g. istioctl's success
   * line goes to stderr uncoloured).
   */
  private output(data: string, _stream: 'stdout' | 'stderr'): void {
    if (!data) return;
    this.opts.screen.write(data);
    this.atLineStart = data.endsWith('\n');
  }

  private markRequests(requests: TraceRange | undefined): void {
    const { screen } = this.opts;
    if (!requests || !screen.markRequests) return;
    if (!this.atLineStart) screen.write(`${C.dim}⏎${C.reset}\r\n`);
    this.atLineStart = true;
    screen.markRequests(requests);
  }

  private showPrompt(): void {
    if (!this.atLineStart) this.opts.screen.write(`${C.dim}⏎${C.reset}\r\n`);
    this.atLineStart = true;
    this.opts.screen.write(this.editor.begin(formatPrompt(this.link.prompt)));
  }

  resize(cols: number, rows: number): void {
    this.editor.resize(cols);
    if (!this.primary) this.conn?.resize(cols, rows);
  }

  /**
   * Keys, IME text and pastes from the screen. While the sandbox starts or a command runs they
   * are kept and delivered in order at the next prompt, as a tty's input queue is read by the
   * shell once the command is done; Ctrl-C discards them (and interrupts the command).
   */
  input(data: string): void {
    if (this.state === 'starting' || this.running) {
      if (data === '\x03') {
        this.typeAhead = [];
        if (this.running) this.interrupt();
        return;
      }
      const kept = this.typeAhead.reduce((n, d) => n + d.length, 0);
      if (kept + data.length <= TYPE_AHEAD_MAX_CHARS) this.typeAhead.push(data);
      else this.opts.screen.write('\x07');
      return;
    }
    this.feed(data);
  }

  private feed(data: string): void {
    const r = this.editor.feed(data);
    if (r.write) this.opts.screen.write(r.write);
    for (const e of r.effects) this.effect(e);
  }

  private effect(e: Effect): void {
    switch (e.kind) {
      case 'submit':
        this.persistHistory();
        this.atLineStart = true;
        if (e.line.trim()) this.enqueue([{ line: e.line, echo: false }]);
        else this.showPrompt();
        return;
      case 'interrupt':
        this.queue = [];
        this.showPrompt();
        return;
      case 'clearScreen':
        // Ctrl-L as readline does it: clear the screen (not the scrollback), redraw the line
        this.opts.screen.write('\x1b[H\x1b[2J' + this.editor.redrawFresh());
        return;
      case 'complete':
        void this.complete(e.line, e.cursor);
        return;
      case 'paste':
        this.paste(e.lines);
        return;
    }
  }

  private paste(lines: string[]): void {
    const text = lines.join('\n');
    const pending = this.editor.line;
    if (lines.length > PASTE_MAX_LINES || text.length > PASTE_MAX_CHARS) {
      this.editor.setLine('');
      this.opts.screen.write(
        `\r\n${C.yellow}Вставка слишком большая: ${lines.length} строк, ${text.length} символов. Терминал принимает за раз до ${PASTE_MAX_LINES} строк и ${PASTE_MAX_CHARS} символов — вставьте текст частями.${C.reset}\r\n`,
      );
      this.atLineStart = true;
      this.showPrompt();
      return;
    }
    this.opts.screen.write('\r\x1b[J');
    this.enqueue(splitCommands(text).map((line) => ({ line, echo: true })));
    if (pending) this.queueTail = pending;
  }

  /** What was left on the last pasted line (typed back in once the pasted lines have run). */
  private queueTail = '';

  /** Run buttons: the commands of a code block, one after another, as if typed. */
  runCommands(text: string): void {
    this.send(splitCommands(text).map((line) => ({ line, echo: true })));
  }

  /**
   * «Применить в песочнице»: the editor's text goes to the sandbox as a file (data, never part
   * of a command line: a share link's text cannot run anything), then `kubectl apply -f` on it.
   * `file` is the block's path under examples/; the edit lands under ~/edited/ with that path.
   */
  applyManifest(file: string, text: string): void {
    const path = editedPath(file);
    this.send([{ line: `kubectl apply -f ~/${path}`, echo: true, files: [{ path, content: text }] }]);
  }

  private send(items: QueuedLine[]): void {
    if (!items.length) return;
    if (this.state === 'starting') {
      // the sandbox is still being prepared: run them once it is ready
      this.queue.push(...items);
      return;
    }
    if (!this.running) this.opts.screen.write('\r\x1b[J');
    this.enqueue(items);
  }

  private enqueue(items: QueuedLine[]): void {
    this.queue.push(...items);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    const gen = this.gen;
    this.running = true;
    this.setState('busy');
    while (this.queue.length && !this.disposed) {
      const { line, echo, files } = this.queue.shift() as QueuedLine;
      if (echo) {
        this.opts.screen.write(formatPrompt(this.link.prompt) + line.replace(/\n/g, '\r\n> ') + '\r\n');
        this.editor.addHistory(line);
        this.persistHistory();
      }
      this.atLineStart = true;
      const inPod = this.link.prompt.ps1 !== undefined;
      const code = await this.link.run(line, files);
      await this.link.whenReady(); // after a hard interrupt, the new sandbox first
      if (gen !== this.gen) return;
      this.clearHardTimer();
      this.markRequests(this.link.lastRequests);
      // one journal per lesson, kept by the first terminal for all of them
      const owner = this.primary ?? this;
      // a pod's shell (kubectl exec -it) is not replayed: neither entering it nor what ran in it
      const podShell = inPod || this.link.prompt.ps1 !== undefined;
      if (code !== 130 && !podShell) owner.journal = appendJournal(owner.journal, files ? { line, files } : line);
      saveLessonState(this.opts.scenario, { journal: owner.journal });
      this.opts.onRun?.(++this.runs);
    }
    this.running = false;
    if (this.disposed) return;
    this.setState('ready');
    this.showPrompt();
    if (this.queueTail) {
      this.opts.screen.write(this.editor.setLine(this.queueTail));
      this.queueTail = '';
    }
    this.deliverTypeAhead();
  }

  /** Feeds keys typed ahead to the prompt, in order, until one of them starts a command again. */
  private deliverTypeAhead(): void {
    while (this.typeAhead.length && !this.running && this.state === 'ready' && !this.disposed) this.feed(this.typeAhead.shift() as string);
  }

  interrupt(): void {
    this.queue = [];
    this.queueTail = '';
    this.typeAhead = [];
    this.link.interrupt();
    this.clearHardTimer();
    this.hardTimer = setTimeout(() => void this.hardInterrupt(), HARD_INTERRUPT_MS);
  }

  private clearHardTimer(): void {
    if (this.hardTimer) clearTimeout(this.hardTimer);
    this.hardTimer = undefined;
  }

  /** The sandbox did not answer Ctrl-C: replace it and rebuild the state from the journal. */
  private async hardInterrupt(): Promise<void> {
    this.hardTimer = undefined;
    if (!this.running) return;
    this.opts.screen.write(`\r\n${C.yellow}^C: песочница не ответила, перезапускаем её и восстанавливаем состояние…${C.reset}\r\n`);
    // the worker is shared: the primary replaces it for every terminal
    await (this.primary ?? this).replaceSandbox();
  }

  /** Primary: a new worker, restored from the last snapshot (or the journal); further terminals reopen on it. */
  private async replaceSandbox(): Promise<void> {
    const old = this.conn;
    for (const f of this.followers) f.suspend();
    this.opts.screen.forgetRequests?.();
    old.abandonRuns();
    old.close();
    this.setState('starting');
    this.connect();
    await this.conn.start(this.opts.scenario, { seed: this.opts.seed, replay: this.journal });
    this.setState(this.running ? 'busy' : 'ready');
    for (const f of this.followers) f.resume();
  }

  private async complete(line: string, cursor: number): Promise<void> {
    const { start, end, candidates } = await this.link.complete(line, cursor);
    if (this.running || this.editor.line !== line) return;
    if (!candidates.length) {
      this.opts.screen.write('\x07');
      return;
    }
    const common = candidates.reduce((a, b) => {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      return a.slice(0, i);
    });
    const current = line.slice(start, end);
    if (candidates.length === 1) {
      const add = candidates[0].endsWith('/') ? '' : ' ';
      this.opts.screen.write(this.editor.setLine(line.slice(0, start) + candidates[0] + add + line.slice(end), start + candidates[0].length + add.length));
      return;
    }
    if (common.length > current.length) {
      this.opts.screen.write(this.editor.setLine(line.slice(0, start) + common + line.slice(end), start + common.length));
      return;
    }
    const shown = candidates.slice(0, 60).map((c) => c.replace(/^.*\/(?=.)/, ''));
    this.opts.screen.write(`\r\n${shown.join('  ')}${candidates.length > 60 ? '  …' : ''}\r\n`);
    this.opts.screen.write(this.editor.redrawFresh());
  }

  check(probes: Probe[]): Promise<ProbeResult[]> {
    return this.conn.check(probes);
  }

  traffic(since?: number): Promise<TrafficReport> {
    return this.conn.traffic(since);
  }

  /** «Сбросить урок»: the lesson's start state, empty journal, history and progress. */
  async reset(): Promise<void> {
    if (this.primary) return this.primary.reset();
    for (const f of this.followers) f.suspend();
    this.queue = [];
    this.typeAhead = [];
    this.journal = [];
    this.gen++;
    clearLessonState(this.opts.scenario);
    this.editor.setHistory([]);
    if (this.running) {
      this.conn.abandonRuns();
      this.conn.close();
      this.connect();
      this.running = false;
    }
    this.setState('starting');
    this.opts.screen.forgetRequests?.();
    this.opts.screen.clear();
    this.opts.screen.write('\x1b[2J\x1b[H');
    this.info('Урок сброшен: песочница возвращается к началу урока…');
    await this.conn.start(this.opts.scenario, { seed: this.opts.seed, fresh: true });
    this.setState('ready');
    this.atLineStart = true;
    this.startQueued();
    for (const f of this.followers) {
      f.editor.setHistory([]);
      f.resume();
    }
  }

  private persistHistory(): void {
    // the first terminal's history is the lesson's (kept across reloads); a further terminal's is its own
    if (!this.primary) saveLessonState(this.opts.scenario, { history: this.editor.getHistory() });
  }

  dispose(): void {
    this.disposed = true;
    this.clearHardTimer();
    const primary = this.primary;
    if (primary) {
      primary.followers.delete(this);
      if (this.link instanceof SessionChannel) this.link.close();
      return;
    }
    this.conn?.close();
  }
}

/** Where an edited manifest of examples/<file> is written in the sandbox (relative to home). */
export function editedPath(file: string): string {
  const path = `edited/${file.replace(/^\/+/, '')}`;
  return isSafePath(path) ? path : 'edited/manifest.yaml';
}
