/**
 * What the workshop server keeps on disk so a restart resumes every room: the rooms, their
 * participants (progress, follow target, last sequence number) and the token secret.
 * DATA/state.json is rewritten atomically, at most every SAVE_DELAY_MS and at shutdown;
 * DATA/secret holds the HMAC key of the participant tokens.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeAtomic } from './fileSnapshotStore';
import type { FollowTarget, RoomMode } from './protocol';

export interface ParticipantRecord {
  id: string;
  name: string;
  joinedAt: number;
  lesson?: string;
  step?: string;
  passed: Record<string, string[]>;
  lastProgressAt: number;
  /** Epoch ms of commands that exited non-zero (the last 5 minutes are kept). */
  errors: number[];
  /** The last `seq` sent to this participant. */
  lastSeq: number;
  /** The lesson (scenario) the participant's sandbox runs: restored after a restart. */
  scenario?: string;
  namespace?: string;
}

export interface RoomRecord {
  code: string;
  title: string;
  lessons: string[];
  capacity: number;
  mode: RoomMode;
  createdAt: number;
  endsAt: number;
  ended: boolean;
  /** Epoch ms of «Завершить» (absent: the room ran to endsAt, or was ended by an older version). */
  endedAt?: number;
  follow?: FollowTarget;
  participants: ParticipantRecord[];
}

interface StateFile {
  version: 1;
  /** False while the server runs: a state read with false was left by a crash. */
  clean: boolean;
  rooms: RoomRecord[];
}

const SAVE_DELAY_MS = 500;

export class StateStore {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  readonly secret: Buffer;
  /** The rooms as loaded (the server owns and mutates these objects, then calls save()). */
  readonly rooms: RoomRecord[];
  /** The last run did not shut down cleanly (sequence numbers on disk may be behind). */
  readonly crashed: boolean;

  constructor(private readonly dir: string, private readonly now: () => number = Date.now) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const secretFile = join(dir, 'secret');
    if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    this.secret = Buffer.from(readFileSync(secretFile, 'utf8').trim(), 'hex');
    const state = this.read();
    this.rooms = state?.rooms ?? [];
    this.crashed = state !== undefined && !state.clean;
  }

  private get file(): string {
    return join(this.dir, 'state.json');
  }

  private read(): StateFile | undefined {
    try {
      const s = JSON.parse(readFileSync(this.file, 'utf8')) as StateFile;
      return s.version === 1 && Array.isArray(s.rooms) ? s : undefined;
    } catch {
      return undefined;
    }
  }

  /** Schedules a write of the current state. */
  save(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.write(false);
    }, SAVE_DELAY_MS);
  }

  private write(clean: boolean): Promise<void> {
    const text = JSON.stringify({ version: 1, clean, rooms: this.rooms } satisfies StateFile);
    this.writing = this.writing.then(() => writeAtomic(this.file, text).catch(() => undefined));
    return this.writing;
  }

  /** Writes now (clean: at shutdown, the sequence numbers are exact). */
  async flush(clean = false): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.write(clean);
  }
}
