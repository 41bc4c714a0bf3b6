/**
 * The room pages' side of the workshop server's HTTP endpoints (src/workshop/protocol.ts).
 * Every failure becomes a RoomApiError with a Russian message for the page: the server's own
 * `{ error }` text when it sent one, else what went wrong in plain words.
 */
import type { CreateRoomRequest, FollowTarget, JoinAnswer, RoomInfo, Roster } from './protocol';

export class RoomApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Room codes are short: letters and digits, shown in large type and typed by hand. */
export function normalizeCode(code: string | null | undefined): string {
  return (code ?? '').trim().toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
}

async function call<T>(method: 'GET' | 'POST', path: string, opts: { key?: string; body?: unknown; text?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  } catch {
    throw new RoomApiError('Сервер мастерской не отвечает: проверьте соединение и попробуйте ещё раз.', 0);
  }
  if (!res.ok) {
    let message = '';
    try {
      const body: unknown = await res.json();
      if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') message = (body as { error: string }).error;
    } catch {
      // not JSON: a static server without the workshop API, or a proxy's error page
    }
    throw new RoomApiError(message || fallbackMessage(res.status), res.status);
  }
  if (opts.text) return (await res.text()) as T;
  try {
    return (await res.json()) as T;
  } catch {
    throw new RoomApiError('Сервер мастерской прислал непонятный ответ. Обновите страницу.', res.status);
  }
}

function fallbackMessage(status: number): string {
  switch (status) {
    case 401:
    case 403:
      return 'Ключ ведущего не подошёл.';
    case 404:
      return 'Комнаты с таким кодом нет, или сайт открыт не через сервер мастерской.';
    case 409:
      return 'В комнате нет свободных мест.';
    case 410:
      return 'Время этой комнаты вышло.';
    default:
      return `Сервер мастерской ответил ошибкой (HTTP ${status}).`;
  }
}

const room = (code: string): string => `/api/rooms/${encodeURIComponent(code)}`;

export const roomApi = {
  create: (key: string, req: CreateRoomRequest) => call<RoomInfo & { code: string }>('POST', '/api/rooms', { key, body: req }),
  info: (code: string) => call<RoomInfo>('GET', room(code)),
  join: (code: string, name: string) => call<JoinAnswer>('POST', `${room(code)}/join`, { body: { name } }),
  roster: (code: string, key: string) => call<Roster>('GET', `${room(code)}/roster`, { key }),
  csv: (code: string, key: string) => call<string>('GET', `${room(code)}/roster.csv`, { key, text: true }),
  broadcast: (code: string, key: string, text: string) => call<unknown>('POST', `${room(code)}/broadcast`, { key, body: { text } }),
  follow: (code: string, key: string, target: FollowTarget | null) => call<unknown>('POST', `${room(code)}/follow`, { key, body: target }),
  reset: (code: string, key: string, participantId: string) => call<unknown>('POST', `${room(code)}/participants/${encodeURIComponent(participantId)}/reset`, { key }),
  end: (code: string, key: string) => call<unknown>('POST', `${room(code)}/end`, { key }),
};

/** The join link of a room on this site (what the QR code carries). */
export function joinUrl(code: string, origin = typeof window === 'undefined' ? '' : window.location.origin): string {
  return `${origin}/room/?code=${encodeURIComponent(code)}`;
}
