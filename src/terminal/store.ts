/**
 * The page-level link between lesson elements (run buttons, step checks) and the terminal.
 * Tiny and free of xterm: it is in the lesson's initial bundle, the terminal is not.
 */
import type { Probe, ProbeResult } from './protocol';

/** What the loaded terminal offers to the rest of the page. */
export interface TerminalController {
  runCommands(text: string): void;
  check(probes: Probe[]): Promise<ProbeResult[]>;
  reset(): Promise<void>;
  focus(): void;
}

export type DockState = 'closed' | 'open' | 'fullscreen';

export interface TerminalSnapshot {
  scenario: string | undefined;
  dock: DockState;
  /** Bumped when step progress changes (checks, reset). */
  progress: number;
}

type Listener = () => void;

/** How long other work waits for a terminal that was warmed up but not opened. */
const START_WAIT_CAP_MS = 2_500;

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
    if (dock !== 'closed' && this.snapshot.dock === 'closed' && !this.controller) this.starting();
    if (dock === 'closed') this.started();
    this.set({ dock });
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
   * «Применить в песочнице» for an edited manifest: `kubectl apply -f -` with the text as a
   * here-document, typed into the terminal like any other command.
   */
  applyManifest(yaml: string): Promise<void> {
    return this.run(applyCommand(yaml));
  }
}

/** The command line that applies a manifest's text (the delimiter never occurs in the text). */
export function applyCommand(yaml: string): string {
  let tag = 'EOF';
  for (let i = 1; yaml.split('\n').some((l) => l.trim() === tag); i++) tag = `EOF${i}`;
  return `kubectl apply -f - <<'${tag}'\n${yaml.replace(/\n?$/, '\n')}${tag}`;
}

export const terminalStore = new TerminalStore();
