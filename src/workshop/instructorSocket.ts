/**
 * The instructor page's socket (WS /ws/instructor?room=CODE, src/workshop/protocol.ts): the
 * key in the first frame, then the roster as it changes and the mirror of one participant's
 * terminal. Reconnects by itself (the mirror is asked for again); a refused key stops it.
 */
import { HEARTBEAT_MS, WORKSHOP_PROTOCOL_VERSION, type InstructorClientFrame, type InstructorServerFrame, type Roster } from './protocol';

export type InstructorSocketState = 'connecting' | 'open' | 'stopped';

export interface InstructorSocketEvents {
  roster(roster: Roster): void;
  /** A frame of the mirrored participant (replayed recent ones first, then live). */
  mirror(frame: Extract<InstructorServerFrame, { type: 'mirror-frame' | 'mirror-input' }>): void;
  /** The mirror is asked for again on a new connection: the server's replay of recent frames follows. */
  mirrorReplay(): void;
  error(code: string, message: string): void;
  state(state: InstructorSocketState): void;
}

export function instructorSocketUrl(origin: string, room: string): string {
  const u = new URL('/ws/instructor', origin);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.searchParams.set('room', room);
  return u.toString();
}

export class InstructorSocket {
  private ws: WebSocket | undefined;
  private stopped = false;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private mirrored: string | undefined;

  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly events: InstructorSocketEvents,
  ) {
    this.open();
  }

  private open(): void {
    this.events.state('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.send({ type: 'instructor-hello', key: this.key, version: WORKSHOP_PROTOCOL_VERSION });
      if (this.mirrored) {
        this.events.mirrorReplay();
        this.send({ type: 'mirror', participantId: this.mirrored });
      }
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.send({ type: 'ping' }), HEARTBEAT_MS);
    };
    ws.onmessage = (e: MessageEvent<unknown>) => {
      if (typeof e.data !== 'string') return;
      let f: InstructorServerFrame;
      try {
        f = JSON.parse(e.data) as InstructorServerFrame;
      } catch {
        return;
      }
      switch (f.type) {
        case 'roster':
          this.attempts = 0;
          this.events.state('open');
          this.events.roster(f.roster);
          return;
        case 'mirror-frame':
        case 'mirror-input':
          if (f.participantId === this.mirrored) this.events.mirror(f);
          return;
        case 'error':
          if (f.code === 'key' || f.code === 'unknown-room') this.stop();
          this.events.error(f.code, f.message);
          return;
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      clearInterval(this.heartbeat);
      if (this.stopped) return;
      const delay = Math.min(10_000, 500 * 2 ** this.attempts++);
      this.events.state('connecting');
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  private send(frame: InstructorClientFrame): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** Mirrors one participant's terminal (none: stop). */
  mirror(participantId: string | undefined): void {
    this.mirrored = participantId;
    this.send(participantId ? { type: 'mirror', participantId } : { type: 'mirror' });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    this.ws?.close();
    this.events.state('stopped');
  }
}
