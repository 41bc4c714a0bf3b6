/**
 * Pieces of the participant's view of a room, shared by the room page and the bar on lesson
 * pages: the room's state and time left, the connection, the presenter's step, broadcasts.
 */
import React, { useEffect, useState } from 'react';
import { useHistory, useLocation } from '@docusaurus/router';
import { course } from '@site/src/course';
import { meshWideAdaptation } from '@site/src/workshop/cluster/meshWide';
import type { ClusterSeat, FollowTarget, RoomState } from '@site/src/workshop/protocol';
import type { Broadcast, LinkState, RoomLink, RoomLinkSnapshot } from '@site/src/workshop/roomLink';
import styles from './styles.module.css';

const STATE_TEXT: Record<RoomState, string> = {
  preparing: 'готовится',
  ready: 'открыта',
  expired: 'время вышло',
  ended: 'закрыта ведущим',
};

export function roomStateText(state: RoomState): string {
  return STATE_TEXT[state];
}

/** A lesson's title from the course outline (the id itself for a lesson it does not list). */
export function lessonLabel(id: string): string {
  for (const section of course) for (const l of section.lessons) if (l.id === id) return l.label;
  return id;
}

export function lessonPath(id: string, anchor?: string): string {
  return `/docs/${id}${anchor ? `#${encodeURIComponent(anchor)}` : ''}`;
}

/** «1 ч 05 мин», «12 мин», «меньше минуты». */
export function formatLeft(ms: number): string {
  if (ms <= 0) return 'время вышло';
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'меньше минуты';
  const h = Math.floor(min / 60);
  const m = min % 60;
  return h ? `${h} ч ${String(m).padStart(2, '0')} мин` : `${m} мин`;
}

export function TimeLeft({ endsAt }: { endsAt: number }): React.JSX.Element {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  return <span data-testid="room-time-left">осталось {formatLeft(endsAt - now)}</span>;
}

const LINK_TEXT: Record<LinkState, string> = {
  connecting: 'Подключаемся к серверу мастерской…',
  open: 'На связи с сервером',
  reconnecting: 'Соединение потеряно, переподключаемся… Набранное не пропадёт.',
  stopped: 'Соединение закрыто',
};

export function ConnectionStatus({ state }: { state: LinkState }): React.JSX.Element {
  return (
    <span role="status" className={state === 'open' ? styles.online : styles.offline} data-testid="room-connection" data-state={state}>
      {LINK_TEXT[state]}
    </span>
  );
}

/** Goes to the presenter's place: the lesson's page, scrolled to the section. */
export function useGoToFollow(): (f: FollowTarget) => void {
  const history = useHistory();
  const { pathname } = useLocation();
  return (f) => {
    const path = lessonPath(f.lesson);
    if (pathname.replace(/\/$/, '') === path && f.anchor) {
      document.getElementById(f.anchor)?.scrollIntoView({ block: 'start' });
      history.replace(lessonPath(f.lesson, f.anchor));
      return;
    }
    history.push(lessonPath(f.lesson, f.anchor));
  };
}

/** «Ведущий на шаге …» with a button that goes there. */
export function FollowBanner({ follow }: { follow: FollowTarget }): React.JSX.Element {
  const go = useGoToFollow();
  const where = follow.heading ?? 'в начале урока';
  return (
    <div className={styles.follow} data-testid="room-follow" data-lesson={follow.lesson} data-anchor={follow.anchor ?? ''}>
      <span>
        Ведущий на шаге: <strong>{where}</strong> <span className={styles.muted}>({lessonLabel(follow.lesson)})</span>
      </span>
      <button type="button" className="button button--sm button--primary" onClick={() => go(follow)}>
        Перейти к шагу
      </button>
    </div>
  );
}

const time = (at: number): string => new Date(at).toLocaleTimeString('ru-RU', { hour: '2-digit', minute: '2-digit' });

export function BroadcastList({ items, limit }: { items: Broadcast[]; limit?: number }): React.JSX.Element | null {
  if (!items.length) return null;
  const shown = items.slice(-(limit ?? items.length)).reverse();
  return (
    <ul className={styles.broadcasts} aria-label="Объявления ведущего" aria-live="polite" data-testid="room-broadcasts">
      {shown.map((b) => (
        <li key={`${b.at}:${b.text}`}>
          <span className={styles.muted}>{time(b.at)}</span> {b.text}
        </li>
      ))}
    </ul>
  );
}

/** Why the link stopped (the server's message), and after a takeover the way to take the seat back here. */
export function LinkError({ link, snap }: { link: RoomLink; snap: RoomLinkSnapshot }): React.JSX.Element | null {
  if (!snap.error) return null;
  return (
    <div className={styles.error} role="alert" data-testid="room-link-error">
      <p>{snap.error}</p>
      {snap.takenOver && (
        <button type="button" className="button button--sm button--primary" onClick={() => link.resume()}>
          Продолжить здесь
        </button>
      )}
    </div>
  );
}

/** Text with `code` spans (the notes of cluster/meshWide.ts name resources and fields that way). */
function WithCode({ text }: { text: string }): React.JSX.Element {
  return (
    <>
      {text.split('`').map((part, i) =>
        i % 2 ? <code key={i}>{part}</code> : <React.Fragment key={i}>{part}</React.Fragment>,
      )}
    </>
  );
}

/**
 * A cluster room: the terminal is the participant's shell on the real cluster, in their own
 * namespace (and, for `lessons` with further namespaces of their own, the participant's
 * namespaces that stand for them); for `lessons` that change mesh-wide settings, how the room
 * adapts them (cluster/meshWide.ts).
 */
export function ClusterNote({ seat, lessons }: { seat?: ClusterSeat; lessons: readonly string[] }): React.JSX.Element {
  const notes = lessons.map((l) => meshWideAdaptation(l)).filter((m) => m !== undefined);
  const namespace = seat?.namespace;
  const extra = [...new Map(lessons.flatMap((l) => seat?.lessons[l]?.extra ?? []).map((e) => [e.to, e])).values()];
  return (
    <div className={styles.cluster} data-testid="room-cluster-note">
      <p>
        Комната работает на настоящем кластере: терминал урока — ваша оболочка bash с настоящим <code>kubectl</code>
        {namespace ? (
          <>
            {' '}
            в namespace <code data-testid="room-namespace">{namespace}</code>
          </>
        ) : null}
        . Кнопки «Выполнить» переводят команды урока на ваш namespace. Проверки шагов и вид «Трафик» работают только в песочнице в браузере.
      </p>
      {extra.length > 0 && (
        <p data-testid="room-extra-namespaces">
          {extra.length === 1 ? 'Второй namespace урока тоже ваш' : 'Другие namespaces уроков тоже ваши'}:{' '}
          {extra.map((e, i) => (
            <React.Fragment key={e.to}>
              {i > 0 && ', '}
              <code>{e.from}</code> → <code data-testid="room-extra-namespace">{e.to}</code>
            </React.Fragment>
          ))}
          . Команды и манифесты урока переводятся на них так же.
        </p>
      )}
      {notes.map((m) => (
        <p key={m.lesson} data-testid="room-mesh-wide-note">
          {lessons.length > 1 && <strong>{lessonLabel(m.lesson)}: </strong>}
          <WithCode text={m.note} />
        </p>
      ))}
    </div>
  );
}
