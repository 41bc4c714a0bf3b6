/**
 * The workshop's rooms and participants: joining, the participant socket (hello → welcome →
 * replay of what was missed; terminal frames to and from the participant's own sandbox, with
 * sequence numbers), room expiry and end, and the instructor's actions (follow-me, broadcast,
 * reset). The HTTP routes (http.ts) and the instructor socket (instructor.ts) call in here.
 */
import type WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../terminal/protocol';
import type { ClusterMode, ClusterPty } from './clusterMode';
import { errorFrame, isParticipantFrame, MESSAGES, parseFrame, RateLimit } from './frames';
import { SandboxPool } from './pool';
import { CLOSE_TAKEN_OVER, MAX_FRAME_BYTES, REPLAY_BUFFER_MESSAGES, type ClusterSeat, type CreateRoomRequest, type FollowTarget, type JoinAnswer, type ParticipantClientFrame, type ParticipantServerFrame, type Roster, type RoomInfo, type RoomState } from './protocol';
import { progressOf, recordProgress, recordSandboxMessage } from './roster';
import { StateStore, type ParticipantRecord, type RoomRecord } from './state';
import { randomCode, randomKey, signToken, verifyToken } from './tokens';
import { scenarioOfLesson } from './lessonScenarios';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface WorkshopOptions {
  dataDir: string;
  examplesDir: string;
  samplesDir: string;
  threads?: number;
  /** No progress for this long marks a participant as stuck (default 5 minutes). */
  stuckMinutes?: number;
  heartbeatMs?: number;
  cluster?: ClusterMode;
  now?: () => number;
  /**
   * Days an expired or ended room is kept (its roster for the CSV, its participants' snapshots)
   * before it is removed from state.json and its snapshots deleted (default RETENTION_DAYS).
   */
  retentionDays?: number;
}

/** How long a closed room stays on disk by default: long enough to export its progress after the workshop. */
export const RETENTION_DAYS = 7;

/**
 * What an instructor's mirror of a participant is sent: the participant's frames, and the lines
 * they ran (their own screen echoes typed lines locally, so the frames alone lack the commands).
 */
export type MirrorItem = { type: 'mirror-frame'; frame: ParticipantServerFrame } | { type: 'mirror-input'; line: string; session?: string };

/** A participant's live side: the socket, the replay buffer, the mirrors watching. */
interface Session {
  record: ParticipantRecord;
  room: RoomRecord;
  socket?: WebSocket;
  welcomed: boolean;
  /** Frames with seq, oldest first (at most REPLAY_BUFFER_MESSAGES). */
  buffer: ParticipantServerFrame[];
  /** The last MIRROR_REPLAY frames and typed lines in order: a new mirror's first screenful. */
  mirrorLog: MirrorItem[];
  mirrors: Set<(item: MirrorItem) => void>;
  pty?: ClusterPty;
}

/** Sequence numbers jump this far after a crash: frames sent after the last save must not be taken for duplicates. */
const CRASH_SEQ_JUMP = 100_000;
/** The mirror's first screenful: this many recent frames. */
const MIRROR_REPLAY = 500;
const MAX_NAME = 60;

export class WorkshopError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class Workshop {
  readonly state: StateStore;
  readonly pool: SandboxPool;
  private readonly sessions = new Map<string, Session>();
  private readonly rooms = new Map<string, RoomRecord>();
  /** Rooms whose end (expiry or «Завершить») was already carried out in this process. */
  private readonly closed = new Set<string>();
  private readonly preparing = new Set<string>();
  private poolReady = false;
  private readonly rosterListeners = new Map<string, Set<() => void>>();
  private readonly expiryTimer: ReturnType<typeof setInterval>;
  readonly now: () => number;
  readonly stuckMs: number;
  readonly retentionMs: number;
  /** Rooms being removed after their retention period (the cluster's cleanup may still run). */
  private readonly purging = new Set<string>();

  constructor(readonly opts: WorkshopOptions) {
    this.now = opts.now ?? Date.now;
    this.retentionMs = (opts.retentionDays ?? RETENTION_DAYS) * 86_400_000;
    this.stuckMs = (opts.stuckMinutes ?? 5) * 60_000;
    this.state = new StateStore(opts.dataDir);
    for (const room of this.state.rooms) {
      this.rooms.set(room.code, room);
      for (const p of room.participants) {
        if (this.state.crashed) p.lastSeq += CRASH_SEQ_JUMP;
        this.sessions.set(p.id, { record: p, room, welcomed: false, buffer: [], mirrorLog: [], mirrors: new Set() });
      }
    }
    this.pool = new SandboxPool({
      threads: opts.threads,
      snapshotsDir: join(opts.dataDir, 'snapshots'),
      examplesDir: opts.examplesDir,
      samplesDir: opts.samplesDir,
      onMessage: (pid, msg) => this.fromSandbox(pid, msg),
    });
    void this.pool.ready.then(() => {
      this.poolReady = true;
      for (const room of this.rooms.values()) this.roomChanged(room);
    });
    this.expiryTimer = setInterval(() => this.checkExpiry(), 1000);
    this.expiryTimer.unref();
  }

  // ── rooms ────────────────────────────────────────────────────────────────

  roomState(room: RoomRecord): RoomState {
    if (room.ended) return 'ended';
    if (this.now() >= room.endsAt) return 'expired';
    if (!this.poolReady || this.preparing.has(room.code)) return 'preparing';
    return 'ready';
  }

  info(room: RoomRecord): RoomInfo {
    return {
      code: room.code,
      title: room.title,
      lessons: room.lessons,
      capacity: room.capacity,
      joined: room.participants.length,
      state: this.roomState(room),
      mode: room.mode,
      endsAt: room.endsAt,
      ...(room.follow && { follow: room.follow }),
    };
  }

  room(code: string): RoomRecord {
    const room = this.rooms.get(String(code).toUpperCase());
    if (!room) throw new WorkshopError(404, 'Комнаты с таким кодом нет. Проверьте код у ведущего.');
    return room;
  }

  createRoom(req: CreateRoomRequest): RoomRecord {
    let code = randomCode();
    while (this.rooms.has(code)) code = randomCode();
    const now = this.now();
    const room: RoomRecord = {
      code,
      title: req.title.trim(),
      lessons: req.lessons,
      capacity: req.capacity,
      mode: this.opts.cluster ? 'cluster' : 'sandbox',
      createdAt: now,
      endsAt: now + req.durationMinutes * 60_000,
      ended: false,
      participants: [],
    };
    this.rooms.set(code, room);
    this.state.rooms.push(room);
    this.state.save();
    const prepare = this.opts.cluster?.prepareRoom;
    if (prepare) {
      this.preparing.add(code);
      void prepare
        .call(this.opts.cluster, code)
        .catch(() => undefined)
        .finally(() => {
          this.preparing.delete(code);
          this.roomChanged(room);
        });
    }
    return room;
  }

  async join(code: string, rawName: unknown): Promise<JoinAnswer> {
    const room = this.room(code);
    const name = typeof rawName === 'string' ? rawName.replace(/[\u0000-\u001f\u007f]/g, '').trim() : '';
    if (!name || name.length > MAX_NAME) throw new WorkshopError(400, `Введите имя: от 1 до ${MAX_NAME} символов.`);
    const state = this.roomState(room);
    if (state === 'expired' || state === 'ended') throw new WorkshopError(410, 'Эта комната уже закрыта: время вышло или ведущий её завершил.');
    if (room.participants.length >= room.capacity) throw new WorkshopError(409, MESSAGES.full);
    const now = this.now();
    let id = `p${randomKey(9)}`;
    while (this.sessions.has(id)) id = `p${randomKey(9)}`;
    const record: ParticipantRecord = { id, name, joinedAt: now, passed: {}, lastProgressAt: now, errors: [], lastSeq: 0 };
    room.participants.push(record);
    this.sessions.set(id, { record, room, welcomed: false, buffer: [], mirrorLog: [], mirrors: new Set() });
    this.state.save();
    if (this.opts.cluster) {
      try {
        record.namespace = (await this.opts.cluster.provision(room.code, id, name, room.lessons.map(scenarioOfLesson))).namespace;
      } catch {
        // the seat stays taken; the instructor sees the participant without a namespace
      }
    }
    this.roomChanged(room);
    return { participantId: id, token: signToken(this.state.secret, { r: room.code, p: id }), room: this.info(room) };
  }

  roster(room: RoomRecord): Roster {
    const now = this.now();
    return {
      room: this.info(room),
      participants: room.participants.map((p) => progressOf(p, this.sessions.get(p.id)?.welcomed === true, this.stuckMs, now)),
    };
  }

  /** Called whenever a room's roster or info changed: instructor sockets refresh (throttled there). */
  onRosterChange(code: string, listener: () => void): () => void {
    let set = this.rosterListeners.get(code);
    if (!set) this.rosterListeners.set(code, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private rosterChanged(room: RoomRecord): void {
    for (const l of this.rosterListeners.get(room.code) ?? []) l();
  }

  /** The room's info changed (state, follow target): every participant and instructor hears. */
  private roomChanged(room: RoomRecord): void {
    const frame: ParticipantServerFrame = { type: 'room', room: this.info(room) };
    for (const p of room.participants) this.sendLive(this.sessions.get(p.id), frame);
    this.rosterChanged(room);
  }

  follow(room: RoomRecord, target: FollowTarget | null): void {
    if (target) room.follow = target;
    else delete room.follow;
    this.state.save();
    this.roomChanged(room);
  }

  broadcast(room: RoomRecord, text: string): void {
    const at = this.now();
    for (const p of room.participants) this.emit(this.sessions.get(p.id)!, { type: 'broadcast', text, at });
  }

  /** A fresh start of the participant's current lesson (their snapshot of it is discarded). */
  reset(room: RoomRecord, participantId: string): void {
    const s = this.sessions.get(participantId);
    if (!s || s.room !== room) throw new WorkshopError(404, 'Такого участника в комнате нет.');
    const p = s.record;
    if (p.lesson) p.passed[p.lesson] = [];
    p.lastProgressAt = this.now();
    p.errors = [];
    this.emit(s, { type: 'reset' });
    if (room.mode === 'cluster') void this.opts.cluster?.resetParticipant?.(room.code, p.id, room.lessons.map(scenarioOfLesson)).catch(() => undefined);
    else if (p.scenario) this.pool.send(p.id, { type: 'start', scenario: p.scenario, fresh: true });
    this.state.save();
    this.rosterChanged(room);
  }

  async end(room: RoomRecord): Promise<void> {
    room.ended = true;
    room.endedAt ??= this.now();
    this.state.save();
    await this.closeRoom(room);
  }

  private checkExpiry(): void {
    for (const room of this.rooms.values()) {
      if (!this.closed.has(room.code) && this.roomState(room) === 'expired') void this.closeRoom(room);
      if (this.now() >= closedAt(room) + this.retentionMs) void this.purge(room);
    }
  }

  /**
   * A room past its retention period: closed (namespaces deleted in cluster mode) if this
   * process had not yet, then gone from state.json with its participants, and their snapshots
   * deleted from DATA/snapshots. Its code then answers 404 like any unknown one.
   */
  private async purge(room: RoomRecord): Promise<void> {
    if (this.purging.has(room.code)) return;
    this.purging.add(room.code);
    await this.closeRoom(room);
    this.rooms.delete(room.code);
    this.closed.delete(room.code);
    this.rosterListeners.delete(room.code);
    const i = this.state.rooms.indexOf(room);
    if (i >= 0) this.state.rooms.splice(i, 1);
    for (const p of room.participants) {
      this.sessions.delete(p.id);
      // ids are the server's own (`p` + base64url); anything else in a hand-edited state.json is not a path to delete
      if (/^p[\w-]+$/.test(p.id)) await rm(join(this.opts.dataDir, 'snapshots', p.id), { recursive: true, force: true }).catch(() => undefined);
    }
    this.state.save();
    this.purging.delete(room.code);
  }

  /** Expired or ended: the participants are told and disconnected, sandboxes freed (snapshots stay), namespaces deleted. */
  private async closeRoom(room: RoomRecord): Promise<void> {
    if (this.closed.has(room.code)) return;
    this.closed.add(room.code);
    this.roomChanged(room);
    for (const p of room.participants) {
      const s = this.sessions.get(p.id)!;
      this.sendLive(s, errorFrame('expired'));
      s.socket?.close(1000);
      s.socket = undefined;
      s.welcomed = false;
      s.pty?.kill();
      s.pty = undefined;
      this.pool.drop(p.id);
    }
    if (room.mode === 'cluster') await this.opts.cluster?.cleanupRoom(room.code).catch(() => undefined);
  }

  // ── frames to a participant ──────────────────────────────────────────────

  private sendLive(s: Session | undefined, frame: ParticipantServerFrame): void {
    if (s?.socket && s.welcomed && s.socket.readyState === 1) s.socket.send(JSON.stringify(frame));
  }

  /** A frame that is numbered, kept for replay, sent if connected and shown to mirrors. */
  private emit(s: Session, frame: DistributiveOmit<Extract<ParticipantServerFrame, { seq: number }>, 'seq'>): void {
    const numbered = { ...frame, seq: ++s.record.lastSeq } as ParticipantServerFrame;
    s.buffer.push(numbered);
    if (s.buffer.length > REPLAY_BUFFER_MESSAGES) s.buffer.splice(0, s.buffer.length - REPLAY_BUFFER_MESSAGES);
    this.sendLive(s, numbered);
    this.toMirrors(s, { type: 'mirror-frame', frame: numbered });
    this.state.save();
  }

  private toMirrors(s: Session, item: MirrorItem): void {
    s.mirrorLog.push(item);
    if (s.mirrorLog.length > MIRROR_REPLAY) s.mirrorLog.splice(0, s.mirrorLog.length - MIRROR_REPLAY);
    for (const m of s.mirrors) m(item);
  }

  private fromSandbox(pid: string, msg: ServerMessage): void {
    const s = this.sessions.get(pid);
    if (!s) return;
    this.emit(s, { type: 'terminal', msg });
    if (recordSandboxMessage(s.record, msg, this.now())) this.rosterChanged(s.room);
  }

  /** The instructor's read-only view: the recent frames and typed lines, then every new one, until the returned stop. */
  mirror(room: RoomRecord, participantId: string, send: (item: MirrorItem) => void): () => void {
    const s = this.sessions.get(participantId);
    if (!s || s.room !== room) throw new WorkshopError(404, 'Такого участника в комнате нет.');
    for (const item of s.mirrorLog) send(item);
    s.mirrors.add(send);
    return () => s.mirrors.delete(send);
  }

  // ── the participant socket ───────────────────────────────────────────────

  /** A new participant socket (Origin already checked). The first frame must be `hello`. */
  attachParticipant(ws: WebSocket, token: string): void {
    const refuse = (code: Parameters<typeof errorFrame>[0]): void => {
      ws.send(JSON.stringify(errorFrame(code)));
      ws.close(1008);
    };
    const claims = verifyToken(this.state.secret, token);
    const s = claims ? this.sessions.get(claims.p) : undefined;
    if (!claims || !s || s.room.code !== claims.r) return refuse('token');
    const state = this.roomState(s.room);
    if (state === 'expired' || state === 'ended') return refuse('expired');
    const rate = new RateLimit();
    let rateToldAt = 0;
    let greeted = false;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (data.length > MAX_FRAME_BYTES) return ws.send(JSON.stringify(errorFrame('too-large')));
      if (!rate.take()) {
        // told once a second at most: the refusal itself must not become a flood
        if (this.now() - rateToldAt > 1000) ws.send(JSON.stringify(errorFrame('rate')));
        rateToldAt = this.now();
        return;
      }
      const frame = isBinary ? undefined : parseFrame(data.toString('utf8'));
      if (!isParticipantFrame(frame)) return ws.send(JSON.stringify(errorFrame('bad-frame')));
      if (!greeted) {
        if (frame.type !== 'hello') return ws.send(JSON.stringify(errorFrame('bad-frame')));
        greeted = true;
        return this.hello(s, ws, frame.lastSeq);
      }
      if (s.socket !== ws) return; // taken over by a newer socket
      this.fromParticipant(s, frame);
    });
    ws.on('close', () => {
      if (s.socket !== ws) return;
      s.socket = undefined;
      s.welcomed = false;
      this.rosterChanged(s.room);
    });
  }

  private hello(s: Session, ws: WebSocket, lastSeq: number): void {
    const old = s.socket;
    s.socket = ws;
    if (old && old !== ws) old.close(CLOSE_TAKEN_OVER, 'taken over');
    const p = s.record;
    const resumed = p.lastSeq > 0 || p.scenario !== undefined;
    const cluster = s.room.mode === 'cluster' && p.namespace ? this.clusterSeat(s.room, p.namespace) : undefined;
    ws.send(JSON.stringify({ type: 'welcome', participantId: p.id, name: p.name, room: this.info(s.room), resumed, ...(cluster && { cluster }) } satisfies ParticipantServerFrame));
    const from = Math.min(lastSeq, p.lastSeq);
    const oldest = s.buffer[0] && 'seq' in s.buffer[0] ? (s.buffer[0] as { seq: number }).seq : p.lastSeq + 1;
    if (from + 1 < oldest && from < p.lastSeq) ws.send(JSON.stringify({ type: 'gap', fromSeq: from + 1, toSeq: oldest - 1 } satisfies ParticipantServerFrame));
    for (const f of s.buffer) if ((f as { seq: number }).seq > lastSeq) ws.send(JSON.stringify(f));
    s.welcomed = true;
    // after a server restart the sandbox is not in this process yet: bring back the participant's lesson from its snapshot
    if (s.room.mode === 'sandbox' && p.scenario && !this.pool.has(p.id)) this.pool.send(p.id, { type: 'start', scenario: p.scenario });
    this.rosterChanged(s.room);
  }

  /** The participant's namespace and each room lesson's mapping to it (their page maps the run buttons' lines). */
  private clusterSeat(room: RoomRecord, namespace: string): ClusterSeat {
    const lessons: ClusterSeat['lessons'] = {};
    for (const lesson of room.lessons) {
      const m = this.opts.cluster?.lessonMapping?.(scenarioOfLesson(lesson), namespace);
      if (m) lessons[lesson] = { from: m.from, namespaceOnlyFiles: [...(m.namespaceOnlyFiles ?? [])], ...(m.extra?.length && { extra: [...m.extra] }) };
    }
    return { namespace, lessons };
  }

  private fromParticipant(s: Session, frame: ParticipantClientFrame): void {
    const p = s.record;
    switch (frame.type) {
      case 'ping':
        s.socket?.send(JSON.stringify({ type: 'pong' } satisfies ParticipantServerFrame));
        return;
      case 'hello':
        return;
      case 'progress':
        recordProgress(p, frame.lesson, frame.step, frame.passed, this.now());
        this.state.save();
        this.rosterChanged(s.room);
        return;
      case 'terminal': {
        if (s.room.mode !== 'sandbox') return;
        const msg: ClientMessage = frame.msg;
        if (msg.type === 'start') {
          p.scenario = msg.scenario;
          this.state.save();
        } else if (msg.type === 'run') this.toMirrors(s, { type: 'mirror-input', line: msg.line, ...(msg.session !== undefined && { session: msg.session }) });
        this.pool.send(p.id, msg);
        return;
      }
      case 'pty-input':
      case 'pty-resize':
        this.toPty(s, frame);
        return;
    }
  }

  private toPty(s: Session, frame: Extract<ParticipantClientFrame, { type: 'pty-input' | 'pty-resize' }>): void {
    const cluster = this.opts.cluster;
    if (s.room.mode !== 'cluster' || !cluster) return;
    const size = frame.type === 'pty-resize' ? { cols: frame.cols, rows: frame.rows } : { cols: 80, rows: 24 };
    s.pty ??= cluster.openPty(
      s.room.code,
      s.record.id,
      size,
      (data) => this.emit(s, { type: 'pty-output', data }),
      () => (s.pty = undefined),
    );
    if (frame.type === 'pty-input') s.pty.write(frame.data);
    else s.pty.resize(frame.cols, frame.rows);
  }

  async close(): Promise<void> {
    clearInterval(this.expiryTimer);
    for (const s of this.sessions.values()) {
      s.socket?.terminate();
      s.pty?.kill();
    }
    await this.pool.close();
    await this.state.flush(true);
  }
}

/** When a room closed: «Завершить» or the end of its time, whichever came first. */
function closedAt(room: RoomRecord): number {
  return room.ended && room.endedAt !== undefined ? Math.min(room.endedAt, room.endsAt) : room.endsAt;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
