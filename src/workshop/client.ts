/**
 * The participant's side of the workshop socket (protocol.ts), for the room page and for tests:
 * one WebSocket to /ws/participant?token=T that reconnects by itself (backoff), pings every
 * HEARTBEAT_MS and gives up a socket that stays silent for three intervals, remembers the last
 * `seq` it received and presents it in `hello`, so the server replays exactly what was missed;
 * a frame replayed twice is dropped here (seq ≤ lastSeq).
 *
 * `transport()` is a Transport (src/terminal/connection.ts) over this socket, so the lesson's
 * SandboxConnection and TerminalSession work unchanged against the server's sandbox.
 *
 * Browser-safe: no Node imports. The WebSocket constructor is injected (the page's WebSocket,
 * or the `ws` package in Node).
 *
 * After a `gap` (the server restarted or the page was away longer than the replay buffer), the
 * lesson's in-flight lines will never be answered: the page abandons them and starts the lesson
 * again (`connection.abandonRuns(); connection.start(scenario)`), which restores the participant's
 * snapshot on the server.
 */
import type { Transport } from '../terminal/connection';
import { isServerMessage, type ClientMessage, type ServerMessage } from '../terminal/protocol';
import { CLOSE_TAKEN_OVER, HEARTBEAT_MS, WORKSHOP_PROTOCOL_VERSION, type ParticipantClientFrame, type ParticipantServerFrame, type RoomInfo } from './protocol';

/** What the client needs of a WebSocket (the browser's and the `ws` package's both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

export type ClientState = 'connecting' | 'open' | 'closed';

export interface ParticipantClientEvents {
  /** The server accepted the socket (after every (re)connect). */
  welcome?: (w: Extract<ParticipantServerFrame, { type: 'welcome' }>) => void;
  room?: (room: RoomInfo) => void;
  broadcast?: (text: string, at: number) => void;
  /** The instructor reset this participant's sandbox. */
  reset?: () => void;
  /** Frames fromSeq..toSeq are lost: abandon lines in flight and start the lesson again. */
  gap?: (fromSeq: number, toSeq: number) => void;
  /** A refused frame or connection (Russian `message`). Codes 'token', 'expired', 'full', 'origin' stop reconnecting. */
  error?: (code: string, message: string) => void;
  /** Cluster mode: the participant's PTY output. */
  ptyOutput?: (data: string) => void;
  state?: (state: ClientState) => void;
  /** The same participant connected from another tab or device: this page stops (no reconnect). */
  takenOver?: () => void;
}

export interface ParticipantClientOptions {
  /** The socket's URL, e.g. `wss://host/ws/participant?token=…` (see participantSocketUrl). */
  url: string;
  WebSocket: WebSocketConstructor;
  events?: ParticipantClientEvents;
  heartbeatMs?: number;
  /** First reconnect delay; doubles up to maxBackoffMs (with jitter). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Starting lastSeq (a page reload that kept it in sessionStorage). */
  lastSeq?: number;
}

/** Errors after which reconnecting cannot help: the page shows the message and stops. */
const FATAL = new Set(['token', 'expired', 'full', 'origin']);

/** The participant socket's address for a page served by the workshop server. */
export function participantSocketUrl(origin: string, token: string): string {
  const u = new URL('/ws/participant', origin);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.searchParams.set('token', token);
  return u.toString();
}

export class ParticipantClient {
  private socket: WebSocketLike | undefined;
  private welcomed = false;
  /** Frames sent while no socket was welcomed; they go out after the next welcome. */
  private outbox: string[] = [];
  private terminalListener: ((msg: ServerMessage) => void) | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private lastHeard = 0;
  private attempts = 0;
  private stopped = false;
  /** The last `seq` received: presented in `hello`, and anything at or below it is a duplicate. */
  lastSeq: number;
  state: ClientState = 'closed';
  participantId: string | undefined;
  room: RoomInfo | undefined;

  constructor(private readonly opts: ParticipantClientOptions) {
    this.lastSeq = opts.lastSeq ?? 0;
  }

  private get heartbeatMs(): number {
    return this.opts.heartbeatMs ?? HEARTBEAT_MS;
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  private setState(s: ClientState): void {
    if (this.state === s) return;
    this.state = s;
    this.opts.events?.state?.(s);
  }

  private open(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.setState('connecting');
    this.welcomed = false;
    let ws: WebSocketLike;
    try {
      ws = new this.opts.WebSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = ws;
    ws.onopen = () => {
      if (this.socket !== ws) return;
      this.lastHeard = Date.now();
      ws.send(JSON.stringify({ type: 'hello', version: WORKSHOP_PROTOCOL_VERSION, lastSeq: this.lastSeq } satisfies ParticipantClientFrame));
      this.startHeartbeat(ws);
    };
    ws.onmessage = (ev) => {
      if (this.socket !== ws) return;
      this.lastHeard = Date.now();
      if (typeof ev.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      this.receive(frame as ParticipantServerFrame);
    };
    ws.onclose = (ev) => {
      if (this.socket !== ws) return;
      this.dropSocket();
      if (ev?.code === CLOSE_TAKEN_OVER) {
        this.close();
        this.opts.events?.takenOver?.();
      } else if (!this.stopped) this.scheduleReconnect();
      else this.setState('closed');
    };
    ws.onerror = () => undefined; // a close follows
  }

  private startHeartbeat(ws: WebSocketLike): void {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (this.socket !== ws) return;
      if (Date.now() - this.lastHeard > 3 * this.heartbeatMs) {
        // silent for three intervals: the network is gone even if the socket does not know it yet
        this.dropSocket();
        try {
          ws.close();
        } catch {
          /* already closed */
        }
        this.scheduleReconnect();
        return;
      }
      if (ws.readyState === OPEN) ws.send(JSON.stringify({ type: 'ping' } satisfies ParticipantClientFrame));
    }, this.heartbeatMs);
  }

  private dropSocket(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.socket = undefined;
    this.welcomed = false;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.setState('connecting');
    const base = this.opts.backoffMs ?? 500;
    const max = this.opts.maxBackoffMs ?? 10_000;
    const delay = Math.min(max, base * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.open();
    }, delay);
  }

  private receive(frame: ParticipantServerFrame): void {
    if (typeof frame !== 'object' || frame === null) return;
    if ('seq' in frame && typeof frame.seq === 'number') {
      if (frame.seq <= this.lastSeq) return; // replayed twice
      this.lastSeq = frame.seq;
    }
    const ev = this.opts.events ?? {};
    switch (frame.type) {
      case 'welcome':
        this.welcomed = true;
        this.attempts = 0;
        this.participantId = frame.participantId;
        this.room = frame.room;
        this.setState('open');
        ev.welcome?.(frame);
        for (const f of this.outbox.splice(0)) this.socket?.send(f);
        return;
      case 'terminal':
        if (isServerMessage(frame.msg)) this.terminalListener?.(frame.msg);
        return;
      case 'pty-output':
        ev.ptyOutput?.(frame.data);
        return;
      case 'gap':
        ev.gap?.(frame.fromSeq, frame.toSeq);
        return;
      case 'room':
        this.room = frame.room;
        ev.room?.(frame.room);
        return;
      case 'broadcast':
        ev.broadcast?.(frame.text, frame.at);
        return;
      case 'reset':
        ev.reset?.();
        return;
      case 'pong':
        return;
      case 'error':
        if (FATAL.has(frame.code)) this.close();
        ev.error?.(frame.code, frame.message);
        return;
    }
  }

  /** Sends a frame now when welcomed, else after the next welcome (pings are never queued). */
  send(frame: ParticipantClientFrame): void {
    const text = JSON.stringify(frame);
    if (this.welcomed && this.socket?.readyState === OPEN) this.socket.send(text);
    else if (frame.type !== 'ping') this.outbox.push(text);
  }

  /** Tells the server (and so the instructor's roster) where the participant is and which checks passed. */
  progress(lesson: string, step?: string, passed?: string[]): void {
    this.send({ type: 'progress', lesson, ...(step !== undefined && { step }), ...(passed && { passed }) });
  }

  /** The terminal protocol over this socket, for `new SandboxConnection(client.transport())`. */
  transport(): Transport {
    return {
      send: (msg: ClientMessage) => this.send({ type: 'terminal', msg }),
      listen: (onMessage) => {
        this.terminalListener = onMessage;
      },
      close: () => {
        this.terminalListener = undefined;
      },
    };
  }

  /** Drops the current socket as a network failure would (tests; the client reconnects). */
  dropConnection(): void {
    const ws = this.socket;
    if (!ws) return;
    this.dropSocket();
    try {
      ws.close();
    } catch {
      /* already closed */
    }
    this.scheduleReconnect();
  }

  /** Stops for good: no reconnect. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const ws = this.socket;
    this.dropSocket();
    try {
      ws?.close();
    } catch {
      /* already closed */
    }
    this.setState('closed');
  }
}
