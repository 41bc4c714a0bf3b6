/**
 * The lesson's terminal in a cluster room (`npm run workshop -- --cluster …`): the same xterm
 * screen as the sandbox terminal (src/components/Terminal/XtermView.tsx), wired to the
 * participant's PTY on the workshop server instead of the in-browser sandbox. Keys go as
 * `pty-input`, the screen's size as `pty-resize`, the PTY's output comes back as `pty-output`
 * (numbered: the room's socket replays what a reconnect missed, see client.ts). The real bash
 * and kubectl do the editing and the work; this only maps the lesson's run buttons to the
 * participant's namespace (namespaceMap.ts) and says plainly what only the sandbox can do.
 * Browser-safe: no Node imports.
 */
import type { Probe, ProbeResult, TrafficReport } from '../terminal/protocol';
import { splitCommands } from '../terminal/splitCommands';
import { scenarioOfLesson } from './lessonScenarios';
import { mapCommand, mapManifest, type NamespaceMapping } from './namespaceMap';
import type { ClusterSeat } from './protocol';

/** The room's socket as the PTY terminal uses it (RoomLink implements it). */
export interface PtyLink {
  input(data: string): void;
  resize(cols: number, rows: number): void;
  /** Output from now on; the output kept from earlier in this page visit is delivered first. */
  output(listener: (data: string) => void): () => void;
  /** The participant's namespace and the lessons' mappings, once the server has said them. */
  seat(): Promise<ClusterSeat>;
}

export interface PtyScreen {
  write(data: string): void;
  readonly cols: number;
  readonly rows: number;
}

export const CHECKS_ONLY_IN_SANDBOX =
  'в комнате на реальном кластере проверки шагов не выполняются: они работают только в песочнице урока в браузере. Сверьте вывод команд с примерами в тексте урока.';
export const TRAFFIC_ONLY_IN_SANDBOX = 'вид «Трафик» показывает запросы только в песочнице урока в браузере: в комнате на реальном кластере их не записывают.';
const RESET_BY_INSTRUCTOR = 'В комнате на реальном кластере урок сбрасывает ведущий: он может вернуть ваш namespace к началу.';

/** The mapping of a lesson (by its scenario) for the participant, from what the server sent (undefined: the lesson names no namespace of its own). */
export function seatMapping(seat: ClusterSeat, scenario: string): NamespaceMapping | undefined {
  const lesson = Object.keys(seat.lessons).find((l) => scenarioOfLesson(l) === scenario);
  const m = lesson ? seat.lessons[lesson] : undefined;
  return m && { from: m.from, to: seat.namespace, ...(m.extra?.length && { extra: m.extra }), namespaceOnlyFiles: new Set(m.namespaceOnlyFiles) };
}

/**
 * What a run button types into the participant's shell: each command of the block with the
 * lesson's namespace mapped, ended by Enter (a here-document's body goes line by line, as typed).
 */
export function ptyCommandInput(text: string, mapping: NamespaceMapping | undefined): string {
  return splitCommands(text)
    .map((unit) => `${unit.split('\n').map((line) => (mapping ? mapCommand(line, mapping) : line)).join('\r')}\r`)
    .join('');
}

/**
 * «Применить» of an edited manifest: `kubectl apply -f -` with the text as a here-document whose
 * quoted delimiter appears nowhere in it (nothing in the text is expanded or run), control
 * characters removed (the tty would act on them) and tabs made spaces (bash's line editing
 * would complete on them; YAML does not indent with tabs).
 */
export function ptyApplyInput(text: string, mapping: NamespaceMapping | undefined, nonce: string): string {
  const body = (mapping ? mapManifest(text, mapping) : text)
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '');
  let delimiter = `MANIFEST_${nonce}`;
  while (body.includes(delimiter)) delimiter += '_';
  const lines = body.replace(/\n+$/, '').split('\n');
  return [`kubectl apply -f - <<'${delimiter}'`, ...lines, delimiter].join('\r') + '\r';
}

export type PtyState = 'starting' | 'ready';

export class PtySession {
  private stopOutput: (() => void) | undefined;
  private disposed = false;
  private mapping: NamespaceMapping | undefined;
  private seatKnown: Promise<void> | undefined;

  constructor(
    private readonly opts: {
      link: PtyLink;
      screen: PtyScreen;
      /** The lesson's scenario (e.g. "resilience"), for its namespace mapping. */
      scenario: string;
      onState?: (s: PtyState) => void;
    },
  ) {}

  /** Shows the earlier output, then opens the PTY at the screen's size (the server starts the shell on the first frame). */
  async start(): Promise<void> {
    const { link, screen } = this.opts;
    this.stopOutput = link.output((d) => screen.write(d));
    this.seatKnown = link.seat().then((seat) => {
      this.mapping = seatMapping(seat, this.opts.scenario);
    });
    await this.seatKnown;
    if (this.disposed) return;
    link.resize(screen.cols, screen.rows);
    this.opts.onState?.('ready');
  }

  input(data: string): void {
    this.opts.link.input(data);
  }

  resize(cols: number, rows: number): void {
    this.opts.link.resize(cols, rows);
  }

  runCommands(text: string): void {
    void this.whenSeat().then(() => this.opts.link.input(ptyCommandInput(text, this.mapping)));
  }

  applyManifest(_file: string, text: string): void {
    const nonce = Math.random().toString(36).slice(2, 10).toUpperCase();
    void this.whenSeat().then(() => this.opts.link.input(ptyApplyInput(text, this.mapping, nonce)));
  }

  check(_probes: Probe[]): Promise<ProbeResult[]> {
    return Promise.reject(new Error(CHECKS_ONLY_IN_SANDBOX));
  }

  traffic(_since?: number): Promise<TrafficReport> {
    return Promise.reject(new Error(TRAFFIC_ONLY_IN_SANDBOX));
  }

  reset(): Promise<void> {
    this.opts.screen.write(`\r\n\x1b[33m${RESET_BY_INSTRUCTOR}\x1b[0m\r\n`);
    return Promise.resolve();
  }

  dispose(): void {
    this.disposed = true;
    this.stopOutput?.();
  }

  private whenSeat(): Promise<void> {
    return this.seatKnown ?? Promise.resolve();
  }
}
