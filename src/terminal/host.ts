/**
 * The sandbox host: owns one Sandbox and speaks the protocol. It runs in a Web Worker in the
 * browser and in-process in tests (and, later, on the workshop server behind a WebSocket).
 * Each terminal's tasks (command lines, completions; checks with the first terminal's) run one
 * at a time in order; different terminals' commands run side by side on the one sandbox.
 * Output is streamed in small batches as it is produced. After the learner's commands the
 * sandbox's snapshot is saved (when a store is given), so a reload restores it exactly.
 */
import { HOME, MAIN_SESSION, Sandbox, SNAPSHOT_VERSION, type SandboxOptions } from '../sandbox/index';
import { isClientMessage, PROTOCOL_VERSION, type ClientMessage, type Probe, type ProbeResult, type PromptInfo, type ReplayEntry, type SandboxFile, type ServerMessage } from './protocol';
import { scenarioById } from './scenarios';
import { isStartStateFor, START_STATE_SEED, startStateKey, type StartState } from './startState';
import { shiftSnapshot } from '../sandbox/snapshotTime';
import { WarpClock } from './warpClock';

export interface HostOptions {
  post: (msg: ServerMessage) => void;
  /** The course's manifests, mounted under ~/examples (relative path → content). */
  examples: Record<string, string>;
  /** Istio's samples/, mounted under ~/samples. */
  samples?: Record<string, string>;
  /** Wall clock (tests pass a fixed one). */
  wall?: () => number;
  /** Output batching interval; 0 posts every chunk at once. */
  flushMs?: number;
  /** Tests: every command runs on virtual time (sleeps return at once). */
  virtualTime?: boolean;
  /** Output of one command line above this many characters is dropped (protects the page). */
  maxOutput?: number;
  /** Where each lesson's sandbox snapshot is kept between page loads (IndexedDB in the browser). */
  store?: SnapshotStore;
  /**
   * At most one snapshot per this many ms: a command finishing sooner after the last save leaves
   * the save to a timer, which then takes the newest state (the workshop server, where hundreds
   * of sandboxes share the cores and a snapshot costs a few ms). Absent: after every command.
   */
  snapshotEveryMs?: number;
  /**
   * Loads the validation engine (schema admission, `istioctl analyze`). Called once the first
   * sandbox is ready; the learner's commands wait for it, the lesson's vetted setup does not.
   */
  loadValidation?: () => Promise<Pick<SandboxOptions, 'validator' | 'analyzer'>>;
  /**
   * The start state prepared at build time for a setup (by startStateKey; src/terminal/startState.ts):
   * restored instead of running the scenario's setup. Absent or failing: the setup runs.
   */
  startState?: (key: string) => Promise<unknown>;
}

/** Keeps one snapshot per lesson. Failures are the store's to swallow: a lost snapshot only means a replay. */
export interface SnapshotStore {
  load(scenario: string): Promise<unknown>;
  save(scenario: string, snapshot: unknown): Promise<void>;
  clear(scenario: string): Promise<void>;
}

/** Virtual time that passes after each setup or replayed command (pods get to Running). */
const SETUP_THINK_MS = 3_000;
const DEFAULT_MAX_OUTPUT = 2_000_000;
/** How long a step check waits for the terminals' running commands before checking the state as it is. */
const CHECK_WAIT_MS = 2_000;

/** A terminal's lane: its lines run one after another; lanes of different terminals run side by side. */
interface Lane {
  queue: Promise<void>;
  /** Bumped by Ctrl-C in this terminal (and by start/reset): drops its queued lines. */
  generation: number;
  /** Tasks queued and not finished (a snapshot is taken when the last one ends). */
  pending: number;
  readonly buffer: OutputBuffer;
}

export class SandboxHost {
  private sandbox: Sandbox | undefined;
  /** The sandbox once `ready` was posted for it: the one Ctrl-C and a new start interrupt. */
  private live: Sandbox | undefined;
  private clock: WarpClock;
  private scenario = '';
  private seed = 1;
  /** Start and reset: each waits for every terminal's lane, and every later task waits for it. */
  private gate: Promise<void> = Promise.resolve();
  private readonly lanes = new Map<string, Lane>();
  private validation: Promise<Pick<SandboxOptions, 'validator' | 'analyzer'>> | undefined;
  /** Sandboxes the validation engine is already plugged into. */
  private readonly validated = new WeakSet<Sandbox>();
  /** With snapshotEveryMs: when the last snapshot was taken, and the save waiting for the interval to pass. */
  private lastSnapshotAt = -Infinity;
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: HostOptions) {
    this.clock = new WarpClock(opts.wall);
  }

  /** Entry point for every incoming message. Resolves when the message's work is done. */
  handle(raw: unknown): Promise<void> {
    if (!isClientMessage(raw)) {
      this.opts.post({ type: 'error', message: 'Неизвестное сообщение протокола.' });
      return Promise.resolve();
    }
    const msg: ClientMessage = raw;
    switch (msg.type) {
      case 'interrupt': {
        const session = msg.session ?? MAIN_SESSION;
        this.live?.interrupt(session);
        this.lane(session).generation++; // drops queued lines (a pasted block stops at Ctrl-C)
        return Promise.resolve();
      }
      case 'close': {
        const lane = this.lanes.get(msg.session);
        if (lane) lane.generation++;
        this.live?.closeSession(msg.session);
        if (msg.session !== MAIN_SESSION) this.lanes.delete(msg.session);
        return Promise.resolve();
      }
      case 'resize':
        return Promise.resolve();
      case 'start':
        return this.restart(() => this.start(msg.scenario, msg.seed ?? 1, msg.replay ?? [], msg.fresh === true));
      case 'reset':
        return this.restart(() => this.start(this.scenario, this.seed, [], true));
      case 'run': {
        const session = msg.session ?? MAIN_SESSION;
        return this.enqueue(session, () => this.run(session, msg.line, msg.files ?? []));
      }
      case 'complete': {
        const session = msg.session ?? MAIN_SESSION;
        return this.enqueue(
          session,
          async () => {
            const c = this.sandbox ? this.sandbox.complete(msg.line, msg.cursor, session) : { start: msg.cursor, end: msg.cursor, candidates: [] };
            this.opts.post({ type: 'completion', id: msg.id, ...c });
          },
          false,
        );
      }
      case 'check':
        return this.afterLanes(async () => this.opts.post({ type: 'checkResult', id: msg.id, results: await this.check(msg.probes) }));
      case 'traffic': {
        // the state as it is now, between the commands' synchronous requests: no lane to wait for
        const report = this.sandbox ? this.sandbox.cluster.network.trafficReport(msg.since ?? 0) : { traces: [], workloads: [], latest: 0 };
        this.opts.post({ type: 'trafficResult', id: msg.id, ...report });
        return Promise.resolve();
      }
    }
  }

  private lane(session: string): Lane {
    let lane = this.lanes.get(session);
    if (!lane) {
      const post = session === MAIN_SESSION ? this.opts.post : (m: ServerMessage) => this.opts.post({ ...m, session } as ServerMessage);
      lane = { queue: Promise.resolve(), generation: 0, pending: 0, buffer: new OutputBuffer(post, this.opts.flushMs ?? 16, this.opts.maxOutput ?? DEFAULT_MAX_OUTPUT) };
      this.lanes.set(session, lane);
    }
    return lane;
  }

  /**
   * A new sandbox (start, reset): what runs in any terminal is stopped and queued lines are
   * dropped; the start waits for every lane to settle, and every task queued after it waits for it.
   */
  private restart(start: () => Promise<void>): Promise<void> {
    for (const lane of this.lanes.values()) lane.generation++;
    this.live?.interrupt();
    const settled = Promise.all([this.gate, ...[...this.lanes.values()].map((l) => l.queue)]);
    this.gate = settled.then(() => this.guard(start));
    return this.gate;
  }

  private async guard(task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (e) {
      this.opts.post({ type: 'error', message: `Ошибка песочницы: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private enqueue(session: string, task: () => Promise<void>, cancellable = true): Promise<void> {
    const lane = this.lane(session);
    const gen = lane.generation;
    const gate = this.gate;
    lane.pending++;
    const next = lane.queue.then(async () => {
      await gate;
      try {
        if (cancellable && gen !== lane.generation) return;
        await this.guard(task);
      } finally {
        lane.pending--;
      }
    });
    lane.queue = next;
    return next;
  }

  /**
   * A step check: after the lines every terminal has queued before it (a «Выполнить» then
   * «Проверить шаг» checks what the button ran), but not after a command that keeps running
   * (`kubectl logs -f` in another terminal): past CHECK_WAIT_MS it checks the state as it is.
   */
  private afterLanes(task: () => Promise<void>): Promise<void> {
    const gate = this.gate;
    const lanes = Promise.all([...this.lanes.values()].map((l) => l.queue));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = Promise.race([lanes, new Promise<void>((r) => (timer = setTimeout(r, CHECK_WAIT_MS)))]).finally(() => clearTimeout(timer));
    return gate.then(() => waited).then(() => this.guard(task));
  }

  private prompt(session?: string): PromptInfo {
    return this.sandbox?.prompt(session) ?? { namespace: 'default', cwd: '~' };
  }

  /** The validation engine, loaded once; later sandboxes get it at once. */
  private withValidation(): Promise<Pick<SandboxOptions, 'validator' | 'analyzer'>> {
    this.validation ??= this.opts.loadValidation?.().catch((e: unknown) => {
      this.opts.post({ type: 'error', message: `Проверка манифестов по схемам не загрузилась (${e instanceof Error ? e.message : String(e)}); kubectl apply проверяет только структуру.` });
      return {};
    }) ?? Promise.resolve({});
    return this.validation;
  }

  /** Plugs the validation engine into `sb` once, waiting for it to load. */
  private async validate(sb: Sandbox): Promise<void> {
    if (this.validated.has(sb)) return;
    sb.useValidation(await this.withValidation());
    this.validated.add(sb);
  }

  /** A fresh sandbox on a new clock; with a snapshot, that snapshot restored (throws when it does not restore). */
  private newSandbox(seed: number, snapshot?: unknown): Sandbox {
    this.clock = new WarpClock(this.opts.wall);
    const opts = { examples: this.opts.examples, samples: this.opts.samples, clock: this.clock, seed };
    return snapshot === undefined ? new Sandbox(opts) : Sandbox.fromSnapshot(snapshot, opts);
  }

  /**
   * The learner's saved sandbox for this lesson: restored, 'none' (no snapshot, or one from an
   * older build: the journal is replayed instead), or 'corrupt' (unreadable: discarded).
   */
  private async restoreSaved(scenarioId: string, seed: number): Promise<Sandbox | 'none' | 'corrupt'> {
    const saved = await this.opts.store?.load(scenarioId).catch(() => undefined);
    if (saved === undefined || saved === null) return 'none';
    try {
      return this.newSandbox(seed, saved);
    } catch {
      await this.opts.store?.clear(scenarioId).catch(() => undefined);
      return isOlderSnapshot(saved) ? 'none' : 'corrupt';
    }
  }

  /** The start state prepared at build time for this setup (src/terminal/startState.ts), if the build has one. */
  private loadStartState(setup: string[]): Promise<unknown> {
    if (!setup.length || !this.opts.startState) return Promise.resolve(undefined);
    try {
      return this.opts.startState(startStateKey(setup)).catch(() => undefined);
    } catch {
      return Promise.resolve(undefined);
    }
  }

  /**
   * A sandbox restored from the start state, moved to now: the sandbox the setup builds, without
   * running it. Undefined when the state is not for this setup and seed, or does not restore.
   */
  private fromStartState(state: unknown, setup: string[], seed: number): Sandbox | undefined {
    if (!isStartStateFor(state, setup, seed)) return undefined;
    // as if the setup had run from the last whole second: ages count from the page's start
    const delta = Math.floor(((this.opts.wall?.() ?? Date.now()) - state.epoch) / 1000) * 1000;
    try {
      return this.newSandbox(seed, shiftSnapshot(state.snapshot, delta));
    } catch {
      return undefined;
    }
  }

  private async start(scenarioId: string, seed: number, replayed: ReplayEntry[], fresh: boolean): Promise<void> {
    mark('sandbox:start');
    // a save still waiting belongs to the sandbox being replaced: it lands first (a fresh start clears after it)
    void this.flushSnapshot();
    const scenario = scenarioById(scenarioId);
    this.scenario = scenarioId;
    this.seed = seed;
    if (fresh) await this.opts.store?.clear(scenarioId).catch(() => undefined);
    const setup = scenario?.setup ?? [];
    // the saved sandbox is read from IndexedDB while the start state's chunk loads
    const reading = fresh ? Promise.resolve('none' as const) : this.restoreSaved(scenarioId, seed);
    const startState = this.loadStartState(setup);
    const saved = await reading;
    const restored = saved instanceof Sandbox ? saved : undefined;
    // an unreadable snapshot means a fresh start: the journal beside it is not trusted either
    const discarded = saved === 'corrupt';
    const replay = discarded ? [] : replayed;
    const prepared = restored ? undefined : this.fromStartState(await startState, setup, seed);
    const sb = restored ?? prepared ?? this.newSandbox(seed);
    mark(restored ? 'sandbox:restored' : prepared ? 'sandbox:start-state' : 'sandbox:created');
    this.sandbox = sb;
    this.live = undefined;
    if (!restored) {
      if (!scenario && scenarioId) this.opts.post({ type: 'error', message: `Неизвестный сценарий «${scenarioId}»: песочница запущена пустой.` });
      if (!prepared) {
        if (setup.length) this.opts.post({ type: 'progress', message: 'Готовим кластер к уроку…' });
        await runSetup(sb, this.clock, setup);
      }
      if (replay.length) {
        this.opts.post({ type: 'progress', message: `Восстанавливаем ваши команды: ${replay.length}…` });
        await this.validate(sb);
      }
      for (const line of replay) await runQuietly(sb, this.clock, line, true);
      this.clock.skip(30_000);
    }
    sb.cluster.sync();
    mark('sandbox:ready');
    this.live = sb;
    this.opts.post({ type: 'ready', version: PROTOCOL_VERSION, scenario: scenarioId, prompt: this.prompt(), history: [...sb.shell.history], ...(discarded && { discarded }) });
    void this.withValidation();
  }

  /**
   * Saves the sandbox once the terminal's lane is idle (a pasted block saves once, after its last
   * line). Other terminals may be in the middle of a command (following logs): the snapshot is
   * of the state between two of the engine's steps, as consistent as at any other moment.
   */
  private saveSnapshot(lane: Lane): void {
    if (!this.opts.store || !this.sandbox || lane.pending > 1) return;
    const every = this.opts.snapshotEveryMs;
    if (!every) return void this.writeSnapshot();
    if (this.snapshotTimer) return; // the waiting save takes this command's state too
    const wait = this.lastSnapshotAt + every - Date.now();
    if (wait <= 0) return void this.writeSnapshot();
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      // a command of this terminal running now: its end saves (the interval has passed by then)
      if (lane.pending === 0) void this.writeSnapshot();
    }, wait);
  }

  private writeSnapshot(): Promise<void> {
    const sb = this.sandbox;
    if (!this.opts.store || !sb) return Promise.resolve();
    this.lastSnapshotAt = Date.now();
    return this.opts.store.save(this.scenario, sb.snapshot()).catch(() => undefined);
  }

  /** Saves now what a snapshotEveryMs timer was waiting to save (shutdown, a new start); resolves when stored. */
  flushSnapshot(): Promise<void> {
    if (!this.snapshotTimer) return Promise.resolve();
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
    return this.writeSnapshot();
  }

  private async run(session: string, line: string, files: SandboxFile[]): Promise<void> {
    const sb = this.sandbox;
    const lane = this.lane(session);
    const post = (m: ServerMessage): void => this.opts.post(session === MAIN_SESSION ? m : ({ ...m, session } as ServerMessage));
    if (!sb) {
      this.opts.post({ type: 'error', message: 'Песочница ещё не запущена.' });
      return;
    }
    await this.validate(sb);
    if (!writeFiles(sb, files, (message) => this.opts.post({ type: 'error', message }))) {
      post({ type: 'exit', code: 1, prompt: this.prompt(session) });
      return;
    }
    const { buffer } = lane;
    sb.shellOf(session).onClear = () => {
      buffer.flush();
      post({ type: 'clear' });
    };
    buffer.begin();
    const traced = sb.cluster.network.traffic.latest;
    const exec = (): Promise<number> =>
      sb.run(
        line,
        (s) => buffer.write('stdout', s),
        (s) => buffer.write('stderr', s),
        session,
      );
    const code = this.opts.virtualTime ? await this.clock.warp(exec) : await exec();
    if (this.opts.virtualTime) this.clock.skip(SETUP_THINK_MS);
    buffer.end();
    // the requests this line sent (lines of other terminals running beside it may add theirs)
    const latest = sb.cluster.network.traffic.latest;
    const requests = latest > traced ? { first: traced + 1, last: latest } : undefined;
    post({ type: 'exit', code, prompt: this.prompt(session), ...(requests && { requests }) });
    this.saveSnapshot(lane);
  }

  /**
   * Step checks run their probes in a fork of the sandbox: a probe's curl leaves no access-log
   * line and moves no load balancer in the learner's sandbox, and its time is virtual.
   */
  private async check(probes: Probe[]): Promise<ProbeResult[]> {
    const sb = this.sandbox;
    if (!sb) return probes.map((p) => ({ ok: false, missing: p.missing }));
    const probe = sb.fork();
    const results: ProbeResult[] = [];
    for (const p of probes) {
      const r = await probe.exec(p.command);
      results.push({ ok: probeOk(p, r.code, r.stdout), missing: p.missing });
    }
    return results;
  }
}

/** Runs a setup or replayed line silently on fast-forwarded time; pods get to Running before the next one. */
async function runQuietly(sb: Sandbox, clock: WarpClock, entry: ReplayEntry, history: boolean): Promise<void> {
  const { line, files = [] } = typeof entry === 'string' ? { line: entry } : entry;
  if (!writeFiles(sb, files, () => undefined)) return;
  await clock.warp(() => sb.shell.run(line, {}, { addToHistory: history }));
  clock.skip(SETUP_THINK_MS);
}

async function runSetup(sb: Sandbox, clock: WarpClock, setup: readonly string[]): Promise<void> {
  for (const line of setup) await runQuietly(sb, clock, line, false);
}

/**
 * A scenario's start state as the host would build it (scripts/start-states.ts writes it when the
 * site is built): the sandbox right after the setup, on a clock started at `wall()`.
 */
export async function prepareStartState(setup: string[], opts: Pick<HostOptions, 'examples' | 'samples'> & { wall: () => number }): Promise<StartState> {
  const clock = new WarpClock(opts.wall);
  const epoch = clock.now();
  const sb = new Sandbox({ examples: opts.examples, samples: opts.samples, clock, seed: START_STATE_SEED });
  await runSetup(sb, clock, setup);
  return { setup: [...setup], epoch, seed: START_STATE_SEED, snapshot: sb.snapshot({ maxLogLines: Infinity }) };
}

/** A point of the start on the worker's performance timeline (`npm run bench:terminal` reads them). */
function mark(name: string): void {
  globalThis.performance?.mark?.(name);
}

/** A snapshot an older build wrote (a readable version number, not ours): replay instead, silently. */
function isOlderSnapshot(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { version?: unknown }).version === 'number' && (v as { version: number }).version !== SNAPSHOT_VERSION;
}

/**
 * Writes files the page hands over as data (edited manifests) under the learner's home. The
 * paths were checked by the protocol (plain relative segments); a failure is told in Russian.
 */
function writeFiles(sb: Sandbox, files: SandboxFile[], fail: (message: string) => void): boolean {
  for (const f of files) {
    const abs = sb.fs.resolve(HOME, f.path);
    try {
      sb.fs.mkdirp(abs.slice(0, abs.lastIndexOf('/')));
      sb.fs.writeFile(abs, f.content);
    } catch {
      fail(`Не удалось записать файл ~/${f.path} в песочницу: на его месте уже есть каталог или файл с таким именем.`);
      return false;
    }
  }
  return true;
}

export function probeOk(p: Probe, code: number, stdout: string): boolean {
  if (p.status !== undefined ? code !== p.status : p.expect === undefined && code !== 0) return false;
  if (p.expect !== undefined) {
    const matches = stdout.match(new RegExp(p.expect, 'gm'))?.length ?? 0;
    if (matches < (p.atLeast ?? 1)) return false;
    if (p.atMost !== undefined && matches > p.atMost) return false;
  }
  if (p.reject !== undefined && new RegExp(p.reject, 'm').test(stdout)) return false;
  return true;
}

/**
 * Coalesces output chunks into messages (one per stream switch or flush interval), and keeps a
 * flood from freezing the page: past `max` characters of one command line, nothing more goes
 * to the screen while it runs; the last `max / 4` characters are kept and shown at its end
 * after a notice of how much was left out. A real terminal scrolls through everything and its
 * scrollback keeps the end; so does this one, without drawing megabytes no one can read.
 */
class OutputBuffer {
  private stream: 'stdout' | 'stderr' = 'stdout';
  private data = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private written = 0;
  /** Output held back once over `max`: its end, and how many characters before it were dropped. */
  private tail: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  private tailLength = 0;
  private skipped = 0;

  constructor(
    private readonly post: (m: ServerMessage) => void,
    private readonly flushMs: number,
    private readonly max: number,
  ) {}

  begin(): void {
    this.written = 0;
    this.tail = [];
    this.tailLength = 0;
    this.skipped = 0;
  }

  write(stream: 'stdout' | 'stderr', s: string): void {
    if (this.written >= this.max) return this.hold(stream, s);
    if (this.written + s.length > this.max) {
      const room = this.max - this.written;
      this.write(stream, s.slice(0, room));
      return this.hold(stream, s.slice(room));
    }
    this.written += s.length;
    if (stream !== this.stream) this.flush();
    this.stream = stream;
    this.data += s;
    if (this.flushMs <= 0 || this.data.length > 64_000) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.flushMs);
  }

  private hold(stream: 'stdout' | 'stderr', s: string): void {
    const keep = Math.max(1, Math.floor(this.max / 4));
    this.tail.push({ stream, text: s });
    this.tailLength += s.length;
    while (this.tailLength - this.tail[0].text.length >= keep) {
      const dropped = this.tail.shift()!;
      this.tailLength -= dropped.text.length;
      this.skipped += dropped.text.length;
    }
    if (this.tailLength > keep * 2) {
      // one huge chunk: keep its end
      const first = this.tail[0];
      const cut = this.tailLength - keep;
      first.text = first.text.slice(cut);
      this.tailLength -= cut;
      this.skipped += cut;
    }
  }

  end(): void {
    this.flush();
    // the kept end starts at a line (no half of a line or of a colour sequence)
    const first = this.tail[0];
    const nl = first ? first.text.indexOf('\n') : -1;
    if (first && this.skipped > 0 && nl >= 0) {
      this.skipped += nl + 1;
      first.text = first.text.slice(nl + 1);
    }
    if (this.skipped > 0) {
      const chars = this.skipped.toLocaleString('ru-RU');
      this.post({ type: 'output', stream: 'stderr', data: `\n[… пропущено ${chars} символов вывода: песочница показывает начало и конец …]\n` });
    }
    for (const part of this.tail) {
      if (part.stream !== this.stream) this.flush();
      this.stream = part.stream;
      this.data += part.text;
    }
    this.tail = [];
    this.tailLength = 0;
    this.skipped = 0;
    this.flush();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.data) return;
    this.post({ type: 'output', stream: this.stream, data: this.data });
    this.data = '';
  }
}
