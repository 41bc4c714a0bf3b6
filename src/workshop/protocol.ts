/**
 * The workshop server's contract with the page: HTTP endpoints for rooms, and one WebSocket per
 * participant (and per instructor view) carrying the terminal protocol of src/terminal/protocol.ts
 * inside an envelope with sequence numbers, so a dropped connection replays what it missed.
 *
 * Who talks:
 *   participant page ─ WS /ws/participant?token=T ─ server ─ worker thread ─ SandboxHost (sandbox mode)
 *                                                          └ node-pty ─ real kubectl (cluster mode)
 *   instructor page  ─ WS /ws/instructor?room=CODE  (first frame: instructor-hello with the key)
 *   presenter page   ─ the instructor socket as well (follow-me is an instructor action)
 *
 * HTTP (JSON bodies and answers; errors are { error: string } with a Russian message):
 *   POST /api/rooms                         instructor key → CreateRoomRequest → RoomInfo & { code }
 *   GET  /api/rooms/:code                   anyone → RoomInfo (no participant names)
 *   POST /api/rooms/:code/join              JoinRequest → JoinAnswer   (409 full, 410 expired, 404 unknown)
 *   GET  /api/rooms/:code/roster            instructor key → Roster
 *   GET  /api/rooms/:code/roster.csv        instructor key → text/csv
 *   POST /api/rooms/:code/broadcast         instructor key → { text }
 *   POST /api/rooms/:code/follow            instructor key → FollowTarget
 *   POST /api/rooms/:code/participants/:id/reset   instructor key
 *   POST /api/rooms/:code/end               instructor key (cluster mode: namespaces are deleted)
 * The instructor key is sent as `Authorization: Bearer <key>`; the server prints it at start
 * (or takes WORKSHOP_INSTRUCTOR_KEY). Participant tokens are HMAC-SHA256 signed by the server.
 *
 * The page of a room: /room/?code=CODE (join form, then the room's lessons with the server's
 * sandbox); the instructor's: /room/instructor/?code=CODE; the presenter's: /room/present/?code=CODE.
 */
import type { ClientMessage, ServerMessage } from '../terminal/protocol';
import type { ExtraNamespace } from './namespaceMap';

export const WORKSHOP_PROTOCOL_VERSION = 1;

/** Largest WebSocket frame the server accepts (a share link's manifest fits; a flood does not). */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** Frames per second a participant may send (token bucket, burst twice that). */
export const MAX_FRAMES_PER_SECOND = 50;
/** Server messages kept per participant for replay after a reconnect. */
export const REPLAY_BUFFER_MESSAGES = 5_000;
/** The page pings this often; the server drops a socket silent for three intervals. */
export const HEARTBEAT_MS = 10_000;
/**
 * WebSocket close code the server uses when the same participant connected again on a newer
 * socket (another tab, a reconnect): the older page stops reconnecting instead of taking it back.
 */
export const CLOSE_TAKEN_OVER = 4001;

export type RoomState = 'preparing' | 'ready' | 'expired' | 'ended';
export type RoomMode = 'sandbox' | 'cluster';

export interface CreateRoomRequest {
  title: string;
  /** Lesson ids as in src/course.ts (doc ids, e.g. "practice/resilience"). */
  lessons: string[];
  capacity: number;
  durationMinutes: number;
}

export interface FollowTarget {
  lesson: string;
  /** A scenario step id of that lesson; absent: the lesson's top. */
  step?: string;
  /** The anchor (heading id) of the lesson's section the presenter shows, e.g. "шаг-2-повторы": where the page scrolls to. */
  anchor?: string;
  /** That section's heading as the presenter sees it, e.g. «Шаг 2. Повторы» (the room's banner shows it). */
  heading?: string;
}

export interface RoomInfo {
  code: string;
  title: string;
  lessons: string[];
  capacity: number;
  joined: number;
  state: RoomState;
  mode: RoomMode;
  /** Epoch ms. */
  endsAt: number;
  /** Where the presenter asks the room to be («Ведущий на шаге N»), if anywhere. */
  follow?: FollowTarget;
}

/**
 * Cluster mode: what the participant's page needs to send a lesson's run buttons to their PTY —
 * their namespace and, per lesson of the room (doc id), the lesson's own namespace and the files
 * that only create it (namespaceMap.ts; the page cannot read examples/ itself).
 */
export interface ClusterSeat {
  namespace: string;
  /** `extra`: the lesson's further namespaces (e.g. analytics) and the participant's own for each. */
  lessons: Record<string, { from: string; namespaceOnlyFiles: string[]; extra?: ExtraNamespace[] }>;
}

export interface JoinRequest {
  name: string;
}

export interface JoinAnswer {
  participantId: string;
  /** HMAC-signed; the page keeps it in sessionStorage and presents it on every (re)connect. */
  token: string;
  room: RoomInfo;
}

export interface ParticipantProgress {
  id: string;
  name: string;
  connected: boolean;
  lesson?: string;
  step?: string;
  /** Step ids whose checks passed, per lesson. */
  passed: Record<string, string[]>;
  /** Epoch ms of the last passed check (or join). */
  lastProgressAt: number;
  /** Commands that exited non-zero in the last 5 minutes. */
  recentErrors: number;
  /** No progress for the room's stuck threshold, or repeated errors. */
  stuck: boolean;
  /** Cluster mode: the participant's namespace on the real cluster. */
  namespace?: string;
}

export interface Roster {
  room: RoomInfo;
  participants: ParticipantProgress[];
}

/** Page → server on the participant socket. */
export type ParticipantClientFrame =
  /** First frame after every (re)connect; `lastSeq` is the last `seq` the page received (0 at first). */
  | { type: 'hello'; version: number; lastSeq: number }
  /** A terminal protocol message for this participant's sandbox (sandbox mode). */
  | { type: 'terminal'; msg: ClientMessage }
  /** Cluster mode: keystrokes for the participant's PTY, and its size. */
  | { type: 'pty-input'; data: string }
  | { type: 'pty-resize'; cols: number; rows: number }
  /** Where the participant is and which checks passed (the page's step checks report here). */
  | { type: 'progress'; lesson: string; step?: string; passed?: string[] }
  | { type: 'ping' };

/** Server → page on the participant socket. Every frame with a `seq` is replayed after a reconnect. */
export type ParticipantServerFrame =
  | { type: 'welcome'; participantId: string; name: string; room: RoomInfo; resumed: boolean; cluster?: ClusterSeat }
  | { type: 'terminal'; seq: number; msg: ServerMessage }
  | { type: 'pty-output'; seq: number; data: string }
  /** Older frames than the replay buffer holds were lost: the page reloads the lesson's state. */
  | { type: 'gap'; fromSeq: number; toSeq: number }
  | { type: 'room'; room: RoomInfo }
  | { type: 'broadcast'; seq: number; text: string; at: number }
  /** The instructor reset this participant's sandbox. */
  | { type: 'reset'; seq: number }
  | { type: 'pong' }
  /** A refused frame or connection; `code` is stable for the page, `message` Russian for the learner. */
  | { type: 'error'; code: 'bad-frame' | 'too-large' | 'rate' | 'token' | 'expired' | 'full' | 'origin'; message: string };

/** Instructor page → server. */
export type InstructorClientFrame =
  | { type: 'instructor-hello'; key: string; version: number }
  /** Start (or stop, with no id) mirroring one participant's terminal, read-only. */
  | { type: 'mirror'; participantId?: string }
  | { type: 'follow'; target: FollowTarget | null }
  | { type: 'broadcast'; text: string }
  | { type: 'reset'; participantId: string }
  | { type: 'ping' };

/** Server → instructor page. */
export type InstructorServerFrame =
  | { type: 'roster'; roster: Roster }
  /** The mirrored participant's recent output first (as replay), then live frames. */
  | { type: 'mirror-frame'; participantId: string; frame: ParticipantServerFrame }
  /**
   * A command line the mirrored participant ran (their `terminal` frame with a `run` message):
   * the participant's screen echoes typed lines itself, so without this the mirror would show
   * output and prompts but not the commands. Sent in order with the mirror frames.
   */
  | { type: 'mirror-input'; participantId: string; line: string; session?: string }
  | { type: 'pong' }
  | { type: 'error'; code: 'bad-frame' | 'key' | 'unknown-room' | 'unknown-participant'; message: string };
