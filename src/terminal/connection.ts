/**
 * The client side of the protocol: a SandboxConnection over a Transport. The transport is a
 * Web Worker in the browser today, a WebSocket to the workshop server later, or the host
 * itself in tests; the connection does not know which.
 */
import { decode, encode, isServerMessage, type ClientMessage, type Probe, type ProbeResult, type PromptInfo, type ReplayEntry, type SandboxFile, type ServerMessage, type TraceRange, type TrafficReport } from './protocol';

export interface Transport {
  send(msg: ClientMessage): void;
  /** Registers the single receiver of server messages. */
  listen(onMessage: (msg: ServerMessage) => void): void;
  close(): void;
}

export interface ConnectionEvents {
  output?: (data: string, stream: 'stdout' | 'stderr') => void;
  exit?: (code: number, prompt: PromptInfo) => void;
  /** `discarded`: the saved snapshot was unreadable and the lesson started afresh. */
  ready?: (prompt: PromptInfo, history: string[], discarded: boolean) => void;
  clear?: () => void;
  progress?: (message: string) => void;
  error?: (message: string) => void;
}

/** What a terminal needs of its shell session on the sandbox: the first terminal's connection, or a further terminal's channel. */
export interface ShellLink {
  readonly prompt: PromptInfo;
  run(line: string, files?: SandboxFile[]): Promise<number>;
  interrupt(): void;
  complete(line: string, cursor: number): Promise<{ start: number; end: number; candidates: string[] }>;
  whenReady(): Promise<void>;
  abandonRuns(code?: number): void;
  readonly busy: boolean;
  /** The requests the last finished line sent (the `exit` message's), if any. */
  readonly lastRequests: TraceRange | undefined;
}

export interface ChannelEvents {
  output?: (data: string, stream: 'stdout' | 'stderr') => void;
  exit?: (code: number, prompt: PromptInfo) => void;
  clear?: () => void;
}

/**
 * A further terminal's shell session on the same sandbox (the same connection): its lines,
 * Ctrl-C and completions name the session; its output, exit and clear come back tagged with it.
 */
export class SessionChannel implements ShellLink {
  private runWaiters: ((code: number) => void)[] = [];
  prompt: PromptInfo;
  lastRequests: TraceRange | undefined;

  constructor(
    private readonly conn: SandboxConnection,
    readonly session: string,
    readonly events: ChannelEvents,
  ) {
    // a new shell starts in ~; the namespace is the kubeconfig's, shared by all terminals
    this.prompt = { namespace: conn.prompt.namespace, cwd: '~' };
  }

  /** @internal the connection routes this session's messages here */
  receive(msg: ServerMessage): void {
    switch (msg.type) {
      case 'output':
        this.events.output?.(msg.data, msg.stream);
        return;
      case 'exit':
        this.prompt = msg.prompt;
        this.lastRequests = msg.requests;
        this.events.exit?.(msg.code, msg.prompt);
        this.runWaiters.shift()?.(msg.code);
        return;
      case 'clear':
        this.events.clear?.();
        return;
    }
  }

  run(line: string, files?: SandboxFile[]): Promise<number> {
    this.lastRequests = undefined;
    return new Promise((resolve) => {
      this.runWaiters.push(resolve);
      this.conn.send(files?.length ? { type: 'run', line, files, session: this.session } : { type: 'run', line, session: this.session });
    });
  }

  interrupt(): void {
    this.conn.send({ type: 'interrupt', session: this.session });
  }

  complete(line: string, cursor: number): Promise<{ start: number; end: number; candidates: string[] }> {
    return this.conn.complete(line, cursor, this.session);
  }

  whenReady(): Promise<void> {
    return this.conn.whenReady();
  }

  get busy(): boolean {
    return this.runWaiters.length > 0;
  }

  abandonRuns(code = 130): void {
    for (const w of this.runWaiters.splice(0)) w(code);
  }

  /** The sandbox was started afresh: this session's shell is new (in ~). */
  restarted(): void {
    this.abandonRuns();
    this.prompt = { namespace: this.conn.prompt.namespace, cwd: '~' };
  }

  /** The terminal was closed: the host stops its command and forgets its shell. */
  close(): void {
    this.abandonRuns();
    this.conn.dropChannel(this);
    this.conn.send({ type: 'close', session: this.session });
  }
}

export class SandboxConnection implements ShellLink {
  private nextId = 1;
  private readonly channels = new Map<string, SessionChannel>();
  private readonly pending = new Map<number, (msg: ServerMessage) => void>();
  private runWaiters: ((code: number) => void)[] = [];
  private readyWaiters: (() => void)[] = [];
  ready = false;
  /** The scenario asked for last: a `ready` for another one (an earlier start) is ignored. */
  private expecting: string | undefined;
  private readyFor: string | undefined;
  prompt: PromptInfo = { namespace: 'default', cwd: '~' };
  lastRequests: TraceRange | undefined;

  constructor(
    private readonly transport: Transport,
    readonly events: ConnectionEvents = {},
  ) {
    transport.listen((m) => this.receive(m));
  }

  private receive(msg: ServerMessage): void {
    if ((msg.type === 'output' || msg.type === 'exit' || msg.type === 'clear') && msg.session !== undefined) {
      this.channels.get(msg.session)?.receive(msg);
      return;
    }
    switch (msg.type) {
      case 'ready':
        if (this.expecting !== undefined && msg.scenario !== this.expecting) return;
        this.ready = true;
        this.readyFor = msg.scenario;
        this.prompt = msg.prompt;
        for (const ch of this.channels.values()) ch.restarted();
        this.events.ready?.(msg.prompt, msg.history, msg.discarded === true);
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      case 'output':
        this.events.output?.(msg.data, msg.stream);
        return;
      case 'exit':
        this.prompt = msg.prompt;
        this.lastRequests = msg.requests;
        this.events.exit?.(msg.code, msg.prompt);
        this.runWaiters.shift()?.(msg.code);
        return;
      case 'clear':
        this.events.clear?.();
        return;
      case 'progress':
        this.events.progress?.(msg.message);
        return;
      case 'error':
        this.events.error?.(msg.message);
        return;
      case 'completion':
      case 'trafficResult':
      case 'checkResult': {
        const cb = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        cb?.(msg);
        return;
      }
    }
  }

  /** Opens a further terminal's shell session on this sandbox (`session`: its id, not '1'). */
  channel(session: string, events: ChannelEvents): SessionChannel {
    const ch = new SessionChannel(this, session, events);
    this.channels.set(session, ch);
    return ch;
  }

  /** @internal */
  dropChannel(ch: SessionChannel): void {
    if (this.channels.get(ch.session) === ch) this.channels.delete(ch.session);
  }

  /** @internal */
  send(msg: ClientMessage): void {
    this.transport.send(msg);
  }

  start(scenario: string, opts: { seed?: number; replay?: ReplayEntry[]; fresh?: boolean } = {}): Promise<void> {
    this.ready = false;
    this.expecting = scenario;
    this.runWaiters = [];
    this.transport.send({ type: 'start', scenario, seed: opts.seed, replay: opts.replay, fresh: opts.fresh });
    return this.whenReady();
  }

  /** Takes over a sandbox that was already told to start `scenario` (a warmed-up worker). */
  adopt(scenario: string): Promise<void> {
    this.expecting = scenario;
    if (this.readyFor !== scenario) this.ready = false;
    return this.whenReady();
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((r) => this.readyWaiters.push(r));
  }

  reset(): Promise<void> {
    this.ready = false;
    this.runWaiters = [];
    this.transport.send({ type: 'reset' });
    return this.whenReady();
  }

  /** Runs a command line (after writing `files`, data it reads); resolves with its exit status. */
  run(line: string, files?: SandboxFile[]): Promise<number> {
    this.lastRequests = undefined;
    return new Promise((resolve) => {
      this.runWaiters.push(resolve);
      this.transport.send(files?.length ? { type: 'run', line, files } : { type: 'run', line });
    });
  }

  interrupt(): void {
    this.transport.send({ type: 'interrupt' });
  }

  /** Lines in flight (sent, not yet answered with exit). */
  get busy(): boolean {
    return this.runWaiters.length > 0;
  }

  /** Forgets lines in flight (after the transport was replaced). */
  abandonRuns(code = 130): void {
    for (const w of this.runWaiters.splice(0)) w(code);
  }

  complete(line: string, cursor: number, session?: string): Promise<{ start: number; end: number; candidates: string[] }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (m) => {
        if (m.type === 'completion') resolve({ start: m.start, end: m.end, candidates: m.candidates });
      });
      this.transport.send(session === undefined ? { type: 'complete', id, line, cursor } : { type: 'complete', id, line, cursor, session });
    });
  }

  check(probes: Probe[]): Promise<ProbeResult[]> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (m) => {
        if (m.type === 'checkResult') resolve(m.results);
      });
      this.transport.send({ type: 'check', id, probes });
    });
  }

  /** The requests the sandbox recorded after trace `since`, and the workloads that run (the traffic view). */
  traffic(since?: number): Promise<TrafficReport> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (m) => {
        if (m.type === 'trafficResult') resolve({ traces: m.traces, workloads: m.workloads, latest: m.latest });
      });
      this.transport.send(since === undefined ? { type: 'traffic', id } : { type: 'traffic', id, since });
    });
  }

  resize(cols: number, rows: number): void {
    this.transport.send({ type: 'resize', cols, rows });
  }

  close(): void {
    this.transport.close();
  }
}

/** The browser default: the sandbox in a dedicated Web Worker. */
/** What the terminal says when the sandbox's worker cannot start or dies (its script did not load, an uncaught error). */
export const WORKER_FAILED: ServerMessage = {
  type: 'error',
  message: 'Песочница не запустилась или остановилась с ошибкой: проверьте соединение и обновите страницу. Ваши команды и правки сохранены.',
};

export class WorkerTransport implements Transport {
  constructor(private readonly worker: Worker) {}
  send(msg: ClientMessage): void {
    this.worker.postMessage(msg);
  }
  listen(onMessage: (msg: ServerMessage) => void): void {
    this.worker.onmessage = (e: MessageEvent<unknown>) => {
      if (isServerMessage(e.data)) onMessage(e.data);
    };
    this.worker.onerror = () => onMessage(WORKER_FAILED);
  }
  close(): void {
    this.worker.terminate();
  }
}

/** The workshop server: the same messages as JSON text frames. */
export class WebSocketTransport implements Transport {
  private queue: string[] = [];
  constructor(private readonly socket: WebSocket) {
    socket.addEventListener('open', () => {
      for (const f of this.queue.splice(0)) socket.send(f);
    });
  }
  send(msg: ClientMessage): void {
    const frame = encode(msg);
    if (this.socket.readyState === 1) this.socket.send(frame);
    else this.queue.push(frame);
  }
  listen(onMessage: (msg: ServerMessage) => void): void {
    this.socket.addEventListener('message', (e: MessageEvent<unknown>) => {
      const msg = typeof e.data === 'string' ? decode(e.data) : undefined;
      if (isServerMessage(msg)) onMessage(msg);
    });
  }
  close(): void {
    this.socket.close();
  }
}

/** A host in the same thread (tests, and a fallback where Workers are unavailable). */
export class InProcessTransport implements Transport {
  private receiver: (msg: ServerMessage) => void = () => undefined;
  private readonly host: { handle(msg: unknown): Promise<void> };
  /** The host's work for every message sent so far (tests await it). */
  readonly done: Promise<void>[] = [];
  constructor(makeHost: (post: (m: ServerMessage) => void) => { handle(msg: unknown): Promise<void> }) {
    // JSON round trips stand in for structured cloning: the two sides share no objects
    this.host = makeHost((m) => this.receiver(decode(encode(m)) as ServerMessage));
  }
  send(msg: ClientMessage): void {
    this.done.push(this.host.handle(decode(encode(msg))));
  }
  listen(onMessage: (msg: ServerMessage) => void): void {
    this.receiver = onMessage;
  }
  close(): void {
    this.receiver = () => undefined;
  }
}
