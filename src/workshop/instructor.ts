/**
 * The instructor's socket (/ws/instructor?room=CODE): the first frame is `instructor-hello` with
 * the key; then the roster (pushed again on every change, at most twice a second), the mirror
 * of one participant's terminal, follow-me, broadcast and reset.
 */
import type WebSocket from 'ws';
import { isInstructorFrame, parseFrame, RateLimit } from './frames';
import { MAX_FRAME_BYTES, type InstructorServerFrame } from './protocol';
import { secretEquals } from './tokens';
import { WorkshopError, type Workshop } from './workshop';

const ROSTER_THROTTLE_MS = 500;

const ERRORS = {
  'bad-frame': 'Сервер не понял сообщение страницы ведущего.',
  key: 'Неверный ключ ведущего.',
  'unknown-room': 'Комнаты с таким кодом нет.',
  'unknown-participant': 'Такого участника в комнате нет.',
} as const;

export function attachInstructor(workshop: Workshop, key: string, ws: WebSocket, code: string): void {
  const send = (f: InstructorServerFrame): void => {
    if (ws.readyState === 1) ws.send(JSON.stringify(f));
  };
  const fail = (c: keyof typeof ERRORS, close = false): void => {
    send({ type: 'error', code: c, message: ERRORS[c] });
    if (close) ws.close(1008);
  };
  let room: ReturnType<Workshop['room']>;
  try {
    room = workshop.room(code);
  } catch {
    return fail('unknown-room', true);
  }
  const rate = new RateLimit();
  let authed = false;
  let stopMirror: (() => void) | undefined;
  let stopRoster: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pushRoster = (): void => send({ type: 'roster', roster: workshop.roster(room) });
  const scheduleRoster = (): void => {
    timer ??= setTimeout(() => {
      timer = undefined;
      pushRoster();
    }, ROSTER_THROTTLE_MS);
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (data.length > MAX_FRAME_BYTES || !rate.take()) return;
    const frame = isBinary ? undefined : parseFrame(data.toString('utf8'));
    if (!isInstructorFrame(frame)) return fail('bad-frame');
    if (!authed) {
      if (frame.type !== 'instructor-hello' || !secretEquals(key, frame.key)) return fail('key', true);
      authed = true;
      stopRoster = workshop.onRosterChange(room.code, scheduleRoster);
      return pushRoster();
    }
    try {
      switch (frame.type) {
        case 'ping':
          return send({ type: 'pong' });
        case 'mirror':
          stopMirror?.();
          stopMirror = undefined;
          if (frame.participantId) {
            const pid = frame.participantId;
            stopMirror = workshop.mirror(room, pid, (item) => send({ ...item, participantId: pid }));
          }
          return;
        case 'follow':
          return workshop.follow(room, frame.target);
        case 'broadcast':
          return workshop.broadcast(room, frame.text.trim());
        case 'reset':
          return workshop.reset(room, frame.participantId);
        case 'instructor-hello':
          return;
      }
    } catch (e) {
      if (e instanceof WorkshopError && e.status === 404) return fail('unknown-participant');
      return fail('bad-frame');
    }
  });
  ws.on('close', () => {
    stopMirror?.();
    stopRoster?.();
    clearTimeout(timer);
  });
}
