/**
 * The page-level link between lesson elements (run buttons, step checks) and the terminal.
 * Tiny and free of xterm: it is in the lesson's initial bundle, the terminal is not.
 */
import type { Probe, ProbeResult, TrafficReport } from './protocol';

/** What the loaded terminal offers to the rest of the page. */
export interface TerminalController {
  runCommands(text: string): void;
  /** Applies an edited manifest: its text goes to the sandbox as a file, never as part of a command line. */
  applyManifest(file: string, text: string): void;
  check(probes: Probe[]): Promise<ProbeResult[]>;
  /** The requests the sandbox recorded after trace `since` and its running workloads (the «Трафик» view). */
  traffic(since?: number): Promise<TrafficReport>;
  reset(): Promise<void>;
  focus(): void;
}

export type DockState = 'closed' | 'open' | 'fullscreen';

export interface TerminalSnapshot {
  scenario: string | undefined;
  dock: DockState;
  /** Bumped when step progress changes (checks, reset). */
  progress: number;
  /** The request whose path the «Трафик» view shows (a marker after a command's output was activated); `seq` tells repeats apart. */
  shownRequest?: { id: number; seq: number };
}

type Listener = () => void;

/** How long other work waits for a terminal that was warmed up but not opened. */
const START_WAIT_CAP_MS = 2_500;
/** How long keys typed before the terminal's screen is up are kept for it. */
const EARLY_INPUT_MS = 15_000;

class TerminalStore {
  private snapshot: TerminalSnapshot = { scenario: undefined, dock: 'closed', progress: 0 };
  private listeners = new Set<Listener>();
  private controller: TerminalController | undefined;
  private waiters: ((c: TerminalController) => void)[] = [];
  private startingSince: number | undefined;
  private quietWaiters: (() => void)[] = [];

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): TerminalSnapshot => this.snapshot;

  private set(patch: Partial<TerminalSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of [...this.listeners]) l();
  }

  register(scenario: string): () => void {
    this.set({ scenario });
    return () => {
      if (this.snapshot.scenario === scenario) this.set({ scenario: undefined, dock: 'closed' });
    };
  }

  setDock(dock: DockState): void {
    if (dock !== 'closed' && this.snapshot.dock === 'closed' && !this.controller) {
      this.starting();
      this.collectEarlyInput();
    }
    if (dock === 'closed') {
      this.started();
      this.stopEarlyInput();
    }
    this.set({ dock });
  }

  /** Keys typed after «Запустить терминал» while the terminal's screen is still loading. */
  private earlyInput: string[] = [];
  private stopEarlyInput: () => void = () => undefined;

  /**
   * Until the terminal's screen takes the focus, keys typed on the page (not into a field) are
   * kept for it, as a tty keeps type-ahead: a learner who clicks «Запустить терминал» and types
   * at once loses nothing.
   */
  private collectEarlyInput(): void {
    if (typeof document === 'undefined') return;
    this.stopEarlyInput();
    const onKey = (e: KeyboardEvent): void => {
      const data = keyData(e);
      if (data === undefined || isEditable(document.activeElement)) return;
      e.preventDefault();
      if (this.earlyInput.reduce((n, d) => n + d.length, 0) < 4096) this.earlyInput.push(data);
    };
    document.addEventListener('keydown', onKey, true);
    // a screen that never comes (its code failed to load) must not keep the page's keys
    const timer = setTimeout(() => this.stopEarlyInput(), EARLY_INPUT_MS);
    this.stopEarlyInput = () => {
      clearTimeout(timer);
      document.removeEventListener('keydown', onKey, true);
      this.stopEarlyInput = () => undefined;
    };
  }

  /** The terminal's screen is up: it takes the keys typed so far and the focus from here on. */
  takeEarlyInput(): string[] {
    this.stopEarlyInput();
    return this.earlyInput.splice(0);
  }

  private checkListeners = new Set<(step: string, passed: boolean) => void>();

  /** Listens to step checks as they finish (a workshop room reports them to the instructor). */
  onCheck(l: (step: string, passed: boolean) => void): () => void {
    this.checkListeners.add(l);
    return () => this.checkListeners.delete(l);
  }

  /** A step check finished (its verdict is already saved with the lesson's state). */
  checked(step: string, passed: boolean): void {
    for (const l of [...this.checkListeners]) l(step, passed);
  }

  bumpProgress(): void {
    this.set({ progress: this.snapshot.progress + 1 });
  }

  /**
   * The learner is opening the terminal (intent on its button, or the dock opened): until its
   * prompt is ready, work the page can postpone (drawing diagrams) waits, see `quiet()`.
   */
  starting(): void {
    this.startingSince ??= Date.now();
  }

  /** The terminal's prompt is ready (or it was closed). */
  started(): void {
    this.startingSince = undefined;
    for (const w of this.quietWaiters.splice(0)) w();
  }

  /** Resolves when no terminal is starting (at most START_WAIT_CAP_MS after the start began). */
  quiet(): Promise<void> {
    if (this.startingSince === undefined) return Promise.resolve();
    const left = this.startingSince + START_WAIT_CAP_MS - Date.now();
    if (left <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.quietWaiters.push(resolve);
      setTimeout(resolve, left);
    });
  }

  attach(c: TerminalController | undefined): void {
    this.controller = c;
    if (c) for (const w of this.waiters.splice(0)) w(c);
  }

  /** A terminal went away: forget it if it was the one run buttons went to. */
  detach(c: TerminalController): void {
    if (this.controller === c) this.controller = undefined;
  }

  /**
   * A further terminal is opening («+»): keys typed until its screen takes the focus are kept
   * for it, as for the first one.
   */
  openingTerminal(): void {
    this.collectEarlyInput();
  }

  /** Opens the «Трафик» view on the path of request (trace) `id`. */
  showRequest(id: number): void {
    this.set({ shownRequest: { id, seq: (this.snapshot.shownRequest?.seq ?? 0) + 1 } });
  }

  /** Opens the terminal (loading it if needed) and resolves once it is ready. */
  ready(): Promise<TerminalController> {
    if (this.snapshot.dock === 'closed') this.setDock('open');
    if (this.controller) return Promise.resolve(this.controller);
    return new Promise((r) => this.waiters.push(r));
  }

  async run(text: string): Promise<void> {
    const c = await this.ready();
    c.runCommands(text);
    c.focus();
  }

  /**
   * «Применить в песочнице» for an edited manifest (`file`: its path under examples/): the text
   * is written into the sandbox as ~/edited/<file> and applied with `kubectl apply -f`.
   */
  async applyManifest(file: string, yaml: string): Promise<void> {
    const c = await this.ready();
    c.applyManifest(file, yaml);
    c.focus();
  }
}

/** What a terminal receives for a key press (the keys a learner types before the screen is up). */
export function keyData(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): string | undefined {
  if (e.metaKey || e.altKey) return undefined;
  if (e.ctrlKey) return e.key.toLowerCase() === 'c' ? '\x03' : undefined;
  if (e.key.length === 1) return e.key;
  return ({ Enter: '\r', Backspace: '\x7f', Tab: '\t' } as Record<string, string>)[e.key];
}

function isEditable(el: Element | null): boolean {
  return el instanceof HTMLElement && (el.isContentEditable || el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement);
}

export const terminalStore = new TerminalStore();
