/**
 * The participant's link to the room for the whole page visit (the room page and the lesson
 * pages share it across client-side navigation): one ParticipantClient on the seat kept in
 * sessionStorage, the room as the server last told it, its broadcasts and the connection's
 * state, for React through subscribe/getSnapshot; and the Transport that puts the lesson's
 * terminal on the server's sandbox (see src/terminal/sandboxTransport.ts).
 */
import type { Transport } from '../terminal/connection';
import type { ServerMessage } from '../terminal/protocol';
import { ParticipantClient, participantSocketUrl, type WebSocketConstructor } from './client';
import { loadSeat, saveSeat, type ParticipantSeat } from './pageState';
import type { ClusterSeat, RoomInfo } from './protocol';
import type { PtyLink } from './ptyTerminal';

export type LinkState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface Broadcast {
  text: string;
  at: number;
}

export interface RoomLinkSnapshot {
  state: LinkState;
  room?: RoomInfo;
  broadcasts: Broadcast[];
  /** Why the link stopped (a Russian message from the server), or a notice to show once. */
  error?: string;
  /** The instructor reset this participant's sandbox (bumped each time). */
  resets: number;
  /** The same seat was opened in another tab or on another device: this page stopped (see `resume`). */
  takenOver?: boolean;
  /** Cluster room: the participant's namespace and the lessons' mappings to it. */
  cluster?: ClusterSeat;
}

/** Shown when another tab or device took this participant's seat (this page stops and does not reconnect). */
export const TAKEN_OVER_MESSAGE =
  'Вы открыли эту комнату в другой вкладке или на другом устройстве — терминал теперь работает там, а здесь соединение закрыто. Чтобы продолжить в этой вкладке, нажмите «Продолжить здесь»: тогда остановится та.';

/** Broadcasts kept for the page (newest last). */
const KEEP_BROADCASTS = 20;
/** PTY output kept for a terminal opened again in this page visit (a lesson page after the room page, the dock reopened). */
const KEEP_PTY_OUTPUT_CHARS = 256 * 1024;

export class RoomLink {
  readonly client: ParticipantClient;
  private snapshot: RoomLinkSnapshot = { state: 'connecting', broadcasts: [], resets: 0 };
  private readonly listeners = new Set<() => void>();
  private welcomedOnce = false;
  private terminal: ((msg: ServerMessage) => void) | undefined;
  private ptyOutput = '';
  private readonly ptyListeners = new Set<(data: string) => void>();

  constructor(readonly seat: ParticipantSeat) {
    this.client = new ParticipantClient({
      url: participantSocketUrl(window.location.origin, seat.token),
      WebSocket: window.WebSocket as unknown as WebSocketConstructor,
      lastSeq: seat.lastSeq,
      events: {
        welcome: (w) => {
          this.welcomedOnce = true;
          this.set({ state: 'open', room: w.room, error: undefined, ...(w.cluster && { cluster: w.cluster }) });
        },
        ptyOutput: (data) => {
          this.ptyOutput = (this.ptyOutput + data).slice(-KEEP_PTY_OUTPUT_CHARS);
          for (const l of [...this.ptyListeners]) l(data);
        },
        room: (room) => this.set({ room }),
        broadcast: (text, at) => this.set({ broadcasts: [...this.snapshot.broadcasts, { text, at }].slice(-KEEP_BROADCASTS) }),
        reset: () => this.set({ resets: this.snapshot.resets + 1 }),
        gap: () =>
          // lines in flight will never be answered; Ctrl-C in the terminal restarts the lesson on the server's snapshot
          this.terminal?.({
            type: 'error',
            message: 'Связь прерывалась надолго, и часть вывода потеряна. Если терминал не отвечает, нажмите Ctrl-C: песочница восстановится на сервере.',
          }),
        error: (_code, message) => this.set({ error: message }),
        // the newer socket keeps the seat; reconnecting from here would take it back and start a tug of war
        takenOver: () => {
          this.set({ state: 'stopped', takenOver: true, error: TAKEN_OVER_MESSAGE });
          this.terminal?.({ type: 'error', message: 'Терминал этой комнаты открыт в другой вкладке: здесь он остановлен.' });
        },
        state: (s) => {
          if (s === 'open') return; // the welcome says so, with the room
          if (s === 'closed') this.set({ state: 'stopped' });
          else this.set({ state: this.welcomedOnce ? 'reconnecting' : 'connecting' });
        },
      },
    });
    // a reload must not be sent again what this page already had
    window.addEventListener('pagehide', () => saveSeat({ ...this.seat, lastSeq: this.client.lastSeq }));
    this.client.connect();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): RoomLinkSnapshot => this.snapshot;

  private set(patch: Partial<RoomLinkSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of [...this.listeners]) l();
  }

  /** The terminal protocol over the room's socket (the lesson's terminal uses it instead of a Web Worker). */
  transport(): Transport {
    const inner = this.client.transport();
    return {
      send: (msg) => inner.send(msg),
      listen: (onMessage) => {
        this.terminal = onMessage;
        inner.listen(onMessage);
      },
      close: () => {
        this.terminal = undefined;
        inner.close();
      },
    };
  }

  /** Whether the room runs on a real cluster (its terminals are the participants' PTYs): known from joining, before the socket's welcome. */
  get clusterRoom(): boolean {
    return (this.snapshot.room?.mode ?? this.seat.mode) === 'cluster';
  }

  /** The participant's PTY over the room's socket (cluster rooms), for the lesson's terminal (ptyTerminal.ts). */
  pty(): PtyLink {
    return {
      input: (data) => this.client.send({ type: 'pty-input', data }),
      resize: (cols, rows) => this.client.send({ type: 'pty-resize', cols, rows }),
      output: (listener) => {
        if (this.ptyOutput) listener(this.ptyOutput);
        this.ptyListeners.add(listener);
        return () => this.ptyListeners.delete(listener);
      },
      seat: () =>
        new Promise((resolve) => {
          const now = this.snapshot.cluster;
          if (now) return resolve(now);
          const stop = this.subscribe(() => {
            if (!this.snapshot.cluster) return;
            stop();
            resolve(this.snapshot.cluster);
          });
        }),
    };
  }

  progress(lesson: string, step: string | undefined, passed: string[]): void {
    this.client.progress(lesson, step, passed);
  }

  /** After a takeover: this tab takes the seat back (the other one stops in its turn). */
  resume(): void {
    if (!this.snapshot.takenOver) return;
    this.set({ takenOver: false, error: undefined, state: 'connecting' });
    this.client.connect();
  }

  /** Leaves the room on this device: the seat is forgotten, lessons use the in-browser sandbox again. */
  leave(): void {
    this.client.close();
    saveSeat(undefined);
    if (link === this) link = undefined;
  }
}

let link: RoomLink | undefined;

/** The page's link to the room it joined, if it joined one (created on first use). */
export function roomLink(): RoomLink | undefined {
  if (typeof window === 'undefined') return undefined;
  const seat = loadSeat();
  if (!seat) return undefined;
  if (link && link.seat.token !== seat.token) {
    link.client.close();
    link = undefined;
  }
  link ??= new RoomLink(seat);
  return link;
}
