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
import type { RoomInfo } from './protocol';

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
}

/** Shown when another tab or device took this participant's seat (this page stops and does not reconnect). */
export const TAKEN_OVER_MESSAGE =
  'Вы открыли эту комнату в другой вкладке или на другом устройстве — терминал теперь работает там, а здесь соединение закрыто. Чтобы продолжить в этой вкладке, нажмите «Продолжить здесь»: тогда остановится та.';

/** Broadcasts kept for the page (newest last). */
const KEEP_BROADCASTS = 20;

export class RoomLink {
  readonly client: ParticipantClient;
  private snapshot: RoomLinkSnapshot = { state: 'connecting', broadcasts: [], resets: 0 };
  private readonly listeners = new Set<() => void>();
  private welcomedOnce = false;
  private terminal: ((msg: ServerMessage) => void) | undefined;

  constructor(readonly seat: ParticipantSeat) {
    this.client = new ParticipantClient({
      url: participantSocketUrl(window.location.origin, seat.token),
      WebSocket: window.WebSocket as unknown as WebSocketConstructor,
      lastSeq: seat.lastSeq,
      events: {
        welcome: (w) => {
          this.welcomedOnce = true;
          this.set({ state: 'open', room: w.room, error: undefined });
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
