/**
 * Validation of what the pages send on the workshop sockets (nothing a peer sends is trusted),
 * the per-socket rate limit, and the Russian texts of refusals.
 */
import { isClientMessage } from '../terminal/protocol';
import { MAX_FRAMES_PER_SECOND, type FollowTarget, type InstructorClientFrame, type ParticipantClientFrame, type ParticipantServerFrame } from './protocol';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isOptStr = (v: unknown): boolean => v === undefined || isStr(v);

/** Longest pty-input frame (a pasted block) and broadcast text. */
export const MAX_PTY_INPUT = 64 * 1024;
export const MAX_BROADCAST = 2000;

export function parseFrame(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isParticipantFrame(v: unknown): v is ParticipantClientFrame {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'hello':
      return typeof v.version === 'number' && isCount(v.lastSeq);
    case 'terminal':
      return isClientMessage(v.msg);
    case 'pty-input':
      return isStr(v.data, MAX_PTY_INPUT);
    case 'pty-resize':
      return isCount(v.cols) && isCount(v.rows) && (v.cols as number) <= 1000 && (v.rows as number) <= 1000;
    case 'progress':
      return isStr(v.lesson) && isOptStr(v.step) && (v.passed === undefined || (Array.isArray(v.passed) && v.passed.length <= 200 && v.passed.every((s) => isStr(s))));
    case 'ping':
      return true;
    default:
      return false;
  }
}

export function isFollowTarget(v: unknown): v is FollowTarget {
  return isObj(v) && isStr(v.lesson) && isOptStr(v.step) && isOptStr(v.anchor) && isOptStr(v.heading);
}

export function isInstructorFrame(v: unknown): v is InstructorClientFrame {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'instructor-hello':
      return isStr(v.key, 1000) && typeof v.version === 'number';
    case 'mirror':
      return isOptStr(v.participantId);
    case 'follow':
      return v.target === null || isFollowTarget(v.target);
    case 'broadcast':
      return isStr(v.text, MAX_BROADCAST) && v.text.trim() !== '';
    case 'reset':
      return isStr(v.participantId);
    case 'ping':
      return true;
    default:
      return false;
  }
}

type ErrorCode = Extract<ParticipantServerFrame, { type: 'error' }>['code'];

export const MESSAGES: Record<ErrorCode, string> = {
  'bad-frame': 'Сервер не понял сообщение страницы и пропустил его. Обновите страницу, если терминал перестал отвечать.',
  'too-large': 'Сообщение слишком большое: сервер принимает не больше 2 МБ за раз. Разбейте манифест или вставку на части.',
  rate: 'Слишком много сообщений подряд: сервер пропустил часть из них. Подождите секунду и повторите.',
  token: 'Ссылка участника недействительна. Войдите в комнату заново по её коду.',
  expired: 'Время комнаты истекло или ведущий её закрыл: терминал на сервере больше не работает.',
  full: 'В комнате нет свободных мест.',
  origin: 'Подключение с чужого сайта отклонено: откройте комнату по ссылке ведущего.',
};

export function errorFrame(code: ErrorCode): ParticipantServerFrame {
  return { type: 'error', code, message: MESSAGES[code] };
}

/** A token bucket: MAX_FRAMES_PER_SECOND per second, bursts of twice that. */
export class RateLimit {
  private tokens: number;
  private at: number;
  constructor(
    private readonly perSecond = MAX_FRAMES_PER_SECOND,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perSecond * 2;
    this.at = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.perSecond * 2, this.tokens + ((t - this.at) / 1000) * this.perSecond);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
