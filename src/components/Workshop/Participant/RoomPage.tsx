/**
 * /room/?code=CODE — the participant's page of a workshop room: the code (when the link had
 * none), the join form (a name, no account), then the room: its state, time left, the
 * connection, the presenter's step, broadcasts and the room's lessons, whose terminals now run
 * on the workshop server.
 */
import React, { useEffect, useState, useSyncExternalStore } from 'react';
import Link from '@docusaurus/Link';
import { useHistory, useLocation } from '@docusaurus/router';
import { loadLessonState } from '@site/src/terminal/persistence';
import { scenarioOfLesson } from '@site/src/workshop/lessonScenarios';
import { loadSeat, saveSeat } from '@site/src/workshop/pageState';
import type { RoomInfo } from '@site/src/workshop/protocol';
import { normalizeCode, roomApi } from '@site/src/workshop/roomApi';
import { roomLink, type RoomLink } from '@site/src/workshop/roomLink';
import { BroadcastList, ClusterNote, ConnectionStatus, FollowBanner, LinkError, lessonLabel, lessonPath, roomStateText, TimeLeft } from './parts';
import styles from './styles.module.css';

export default function RoomPage(): React.JSX.Element {
  const { search } = useLocation();
  const code = normalizeCode(new URLSearchParams(search).get('code'));
  const [link, setLink] = useState<RoomLink>();
  useEffect(() => {
    const seat = loadSeat();
    setLink(seat && seat.code === code ? roomLink() : undefined);
  }, [code]);
  return (
    <main className={styles.page} data-testid="room-page">
      {!code ? <CodeForm /> : link ? <Room link={link} onLeave={() => setLink(undefined)} /> : <Join code={code} onJoined={() => setLink(roomLink())} />}
    </main>
  );
}

function CodeForm(): React.JSX.Element {
  const history = useHistory();
  const [value, setValue] = useState('');
  return (
    <>
      <h1>Комната мастерской</h1>
      <p>Введите код комнаты, который показывает ведущий.</p>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          const c = normalizeCode(value);
          if (c) history.push(`/room/?code=${encodeURIComponent(c)}`);
        }}>
        <label className={styles.field}>
          Код комнаты
          <input value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" autoCapitalize="characters" required />
        </label>
        <button type="submit" className="button button--primary">
          Дальше
        </button>
      </form>
    </>
  );
}

function Join({ code, onJoined }: { code: string; onJoined: () => void }): React.JSX.Element {
  const [room, setRoom] = useState<RoomInfo>();
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    roomApi.info(code).then(
      (r) => live && setRoom(r),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [code]);
  const closed = room && (room.state === 'expired' || room.state === 'ended');
  const join = async (): Promise<void> => {
    setBusy(true);
    setError('');
    try {
      const answer = await roomApi.join(code, name.trim());
      saveSeat({ code, participantId: answer.participantId, token: answer.token, name: name.trim(), mode: answer.room.mode });
      onJoined();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{room ? room.title : `Комната ${code}`}</h1>
      {room && <RoomFacts room={room} />}
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
      {room && !closed && (
        <form
          className={styles.form}
          onSubmit={(e) => {
            e.preventDefault();
            void join();
          }}>
          <label className={styles.field}>
            Ваше имя (его увидит ведущий)
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoComplete="name" required data-testid="room-name" />
          </label>
          <button type="submit" className="button button--primary" disabled={busy || !name.trim()}>
            {busy ? 'Входим…' : 'Войти в комнату'}
          </button>
        </form>
      )}
      <p className={styles.muted}>
        Учётная запись не нужна. В комнате у каждого своя песочница на сервере мастерской: команды уроков выполняются там, а ведущий видит, на каком вы шаге.
      </p>
    </>
  );
}

function RoomFacts({ room }: { room: RoomInfo }): React.JSX.Element {
  return (
    <p className={styles.facts}>
      <span data-testid="room-state" data-state={room.state}>
        Комната {roomStateText(room.state)}
      </span>
      {room.state !== 'expired' && room.state !== 'ended' && <TimeLeft endsAt={room.endsAt} />}
      <span>
        участников: {room.joined} из {room.capacity}
      </span>
    </p>
  );
}

function Room({ link, onLeave }: { link: RoomLink; onLeave: () => void }): React.JSX.Element {
  const snap = useSyncExternalStore(link.subscribe, link.getSnapshot, link.getSnapshot);
  const room = snap.room;
  return (
    <>
      <h1>{room?.title ?? `Комната ${link.seat.code}`}</h1>
      <p className={styles.facts}>
        <span>
          Вы вошли как <strong data-testid="room-me">{link.seat.name}</strong>
        </span>
        <ConnectionStatus state={snap.state} />
      </p>
      {room && <RoomFacts room={room} />}
      <LinkError link={link} snap={snap} />
      {room?.state === 'preparing' && <p>Ведущий готовит комнату: уроки откроются, как только она будет готова.</p>}
      {link.clusterRoom && room && <ClusterNote seat={snap.cluster} lessons={room.lessons} />}
      {room?.follow && <FollowBanner follow={room.follow} />}
      <BroadcastList items={snap.broadcasts} />
      {room && (
        <>
          <h2>Уроки комнаты</h2>
          <ol className={styles.lessons} data-testid="room-lessons">
            {room.lessons.map((id) => (
              <li key={id}>
                <Link to={lessonPath(id)}>{lessonLabel(id)}</Link> <LessonPassed lesson={id} />
              </li>
            ))}
          </ol>
        </>
      )}
      <p>
        <button
          type="button"
          className="button button--sm button--secondary"
          onClick={() => {
            link.leave();
            onLeave();
          }}>
          Выйти из комнаты
        </button>{' '}
        <span className={styles.muted}>После выхода уроки снова работают с песочницей в браузере.</span>
      </p>
    </>
  );
}

/** How many of the lesson's step checks this learner passed (kept in this browser). */
function LessonPassed({ lesson }: { lesson: string }): React.JSX.Element | null {
  const n = loadLessonState(scenarioOfLesson(lesson)).passed.length;
  return n ? <span className={styles.muted}>— пройдено проверок: {n}</span> : null;
}
