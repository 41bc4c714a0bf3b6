/**
 * /room/instructor/?code=CODE — the instructor's view: the key (this tab only), a new room's
 * form, then the room: how to join (QR, code, link), the roster live over the instructor
 * socket, a read-only mirror of one participant's terminal, broadcast, «Всем на этот шаг»,
 * reset of a participant and the progress as CSV.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { useHistory, useLocation } from '@docusaurus/router';
import { InstructorSocket, instructorSocketUrl, type InstructorSocketState } from '@site/src/workshop/instructorSocket';
import { loadInstructorKey, saveInstructorKey } from '@site/src/workshop/pageState';
import type { ParticipantProgress, Roster } from '@site/src/workshop/protocol';
import { normalizeCode, roomApi } from '@site/src/workshop/roomApi';
import { scenarioOfLesson } from '@site/src/workshop/lessonScenarios';
import JoinPanel, { KeyForm } from '../JoinPanel';
import { lessonLabel, roomStateText, TimeLeft } from '../Participant/parts';
import CreateRoom from './CreateRoom';
import RosterTable from './RosterTable';
import type { MirrorFrame } from './MirrorView';
import styles from '../workshop.module.css';

type MirrorModule = typeof import('./MirrorView');

/** Mirror frames kept for a screen that opens after they came (the server replays at most 500, then live ones follow). */
const MIRROR_KEEP = 2_000;

export default function InstructorPage(): React.JSX.Element {
  const { search } = useLocation();
  const history = useHistory();
  const code = normalizeCode(new URLSearchParams(search).get('code'));
  const [key, setKey] = useState(loadInstructorKey);
  const [keyError, setKeyError] = useState('');
  const useKey = (k: string): void => {
    saveInstructorKey(k);
    setKeyError('');
    setKey(k);
  };
  const badKey = useCallback((message: string): void => {
    saveInstructorKey('');
    setKey('');
    setKeyError(message);
  }, []);
  return (
    <main className={styles.page} data-testid="instructor-page">
      <h1>{code ? `Комната ${code}: ведущий` : 'Новая комната мастерской'}</h1>
      {!key ? (
        <KeyForm onKey={useKey} error={keyError} />
      ) : code ? (
        <Dashboard code={code} instructorKey={key} onBadKey={badKey} />
      ) : (
        <CreateRoom instructorKey={key} onCreated={(c) => history.push(`/room/instructor/?code=${encodeURIComponent(c)}`)} />
      )}
    </main>
  );
}

function Dashboard({ code, instructorKey, onBadKey }: { code: string; instructorKey: string; onBadKey: (m: string) => void }): React.JSX.Element {
  const [roster, setRoster] = useState<Roster>();
  const [state, setState] = useState<InstructorSocketState>('connecting');
  const [error, setError] = useState('');
  const [mirrored, setMirrored] = useState<string>();
  const socket = useRef<InstructorSocket | undefined>(undefined);
  const mirrorListeners = useRef(new Set<(f: MirrorFrame) => void>());
  // The mirrored participant's frames since the mirror was asked for: the server replays their
  // recent output at once, before the mirror's terminal (a lazy chunk) has loaded to show it, so
  // a screen that subscribes later is given them first. Asked for again (another participant, or
  // after a reconnect, which the server answers with the same replay), the screen starts over.
  const mirrorFrames = useRef<MirrorFrame[]>([]);
  const [mirrorEpoch, setMirrorEpoch] = useState(0);
  const restartMirror = (): void => {
    mirrorFrames.current = [];
    setMirrorEpoch((n) => n + 1);
  };
  useEffect(() => {
    const s = new InstructorSocket(instructorSocketUrl(window.location.origin, code), instructorKey, {
      roster: setRoster,
      mirror: (f) => {
        mirrorFrames.current.push(f);
        if (mirrorFrames.current.length > MIRROR_KEEP) mirrorFrames.current.splice(0, mirrorFrames.current.length - MIRROR_KEEP);
        mirrorListeners.current.forEach((l) => l(f));
      },
      error: (c, message) => (c === 'key' ? onBadKey(message) : setError(message)),
      mirrorReplay: restartMirror,
      state: setState,
    });
    socket.current = s;
    return () => s.stop();
  }, [code, instructorKey, onBadKey]);
  const subscribe = useCallback((l: (f: MirrorFrame) => void) => {
    mirrorFrames.current.forEach(l);
    mirrorListeners.current.add(l);
    return () => mirrorListeners.current.delete(l);
  }, []);
  const mirror = (id: string | undefined): void => {
    restartMirror();
    setMirrored(id);
    socket.current?.mirror(id);
  };
  const act = (p: Promise<unknown>): void => {
    setError('');
    p.catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const reset = (p: ParticipantProgress): void => {
    if (window.confirm(`Сбросить песочницу участника ${p.name}? Его кластер вернётся к началу урока.`)) act(roomApi.reset(code, instructorKey, p.id));
  };
  const room = roster?.room;
  const who = roster?.participants.find((p) => p.id === mirrored);
  // a mirror opened under the roster comes into view
  const mirrorSection = useRef<HTMLElement>(null);
  const showing = who !== undefined;
  useEffect(() => {
    if (mirrored && showing) mirrorSection.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [mirrored, showing]);
  return (
    <>
      <p className={styles.status} role="status" data-testid="instructor-connection">
        {state === 'open' ? 'Роспись участников обновляется сама' : state === 'connecting' ? 'Подключаемся к серверу мастерской…' : 'Соединение закрыто'}
      </p>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
      {room && (
        <p>
          <strong>{room.title}</strong> · комната {roomStateText(room.state)} · <TimeLeft endsAt={room.endsAt} /> · участников {room.joined} из {room.capacity}
          {room.follow && ` · все на шаге «${room.follow.heading ?? room.follow.step ?? 'начало'}» (${lessonLabel(room.follow.lesson)})`}
        </p>
      )}
      <JoinPanel code={code} />
      {room && <Actions code={code} instructorKey={instructorKey} lessons={room.lessons} onError={setError} />}
      <div className={styles.columns}>
        <section aria-label="Участники" className={styles.rosterScroll}>
          <h2>Участники</h2>
          <RosterTable participants={roster?.participants ?? []} mirrored={mirrored} onMirror={mirror} onReset={reset} />
        </section>
        {who && (
          <section className={styles.mirror} aria-label={`Терминал участника ${who.name}`} ref={mirrorSection}>
            <h2>Терминал: {who.name}</h2>
            <div className={styles.mirrorScreen}>
              <LazyMirror subscribe={subscribe} name={who.name} key={`${who.id}:${mirrorEpoch}`} />
            </div>
          </section>
        )}
      </div>
    </>
  );
}

function LazyMirror(props: { subscribe: (l: (f: MirrorFrame) => void) => () => void; name: string }): React.JSX.Element {
  const [mod, setMod] = useState<MirrorModule>();
  useEffect(() => {
    let live = true;
    void import('./MirrorView').then((m) => live && setMod(m));
    return () => {
      live = false;
    };
  }, []);
  return mod ? <mod.default {...props} /> : <p>Загружаем терминал…</p>;
}

/** Broadcast, «Всем на этот шаг», the CSV and the room's end. */
function Actions({ code, instructorKey, lessons, onError }: { code: string; instructorKey: string; lessons: string[]; onError: (m: string) => void }): React.JSX.Element {
  const [text, setText] = useState('');
  const [lesson, setLesson] = useState(lessons[0] ?? '');
  const [steps, setSteps] = useState<{ id: string; title: string }[]>([]);
  const [step, setStep] = useState('');
  const [sent, setSent] = useState('');
  useEffect(() => {
    let live = true;
    void import('@site/src/terminal/scenarios').then(({ scenarioById }) => {
      if (live) setSteps(scenarioById(scenarioOfLesson(lesson))?.steps.map((s) => ({ id: s.id, title: s.title })) ?? []);
    });
    setStep('');
    return () => {
      live = false;
    };
  }, [lesson]);
  const fail = (e: unknown): void => onError(e instanceof Error ? e.message : String(e));
  const csv = async (): Promise<void> => {
    try {
      const body = await roomApi.csv(code, instructorKey);
      const url = URL.createObjectURL(new Blob([body], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `room-${code}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      fail(e);
    }
  };
  const title = steps.find((s) => s.id === step)?.title;
  return (
    <>
      <form
        className={styles.form}
        aria-label="Объявление"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          roomApi.broadcast(code, instructorKey, text.trim()).then(() => {
            setSent(`Объявление отправлено: «${text.trim()}»`);
            setText('');
          }, fail);
        }}>
        <label className={styles.field}>
          Объявление всем участникам
          <input value={text} onChange={(e) => setText(e.target.value)} maxLength={500} size={50} data-testid="broadcast-text" />
        </label>
        <button type="submit" className="button button--primary" disabled={!text.trim()}>
          Отправить
        </button>
      </form>
      <form
        className={styles.form}
        aria-label="Всем на этот шаг"
        onSubmit={(e) => {
          e.preventDefault();
          roomApi.follow(code, instructorKey, { lesson, ...(step && { step, heading: title }) }).then(() => setSent(`Все участники видят: «${title ?? lessonLabel(lesson)}»`), fail);
        }}>
        <label className={styles.field}>
          Урок
          <select value={lesson} onChange={(e) => setLesson(e.target.value)}>
            {lessons.map((l) => (
              <option key={l} value={l}>
                {lessonLabel(l)}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          Шаг
          <select value={step} onChange={(e) => setStep(e.target.value)}>
            <option value="">начало урока</option>
            {steps.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button--primary">
          Всем на этот шаг
        </button>
        <button type="button" className="button button--secondary" onClick={() => void csv()}>
          Скачать прогресс (CSV)
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            if (window.confirm('Закрыть комнату? Участники больше не смогут выполнять команды на сервере.')) roomApi.end(code, instructorKey).catch(fail);
          }}>
          Закрыть комнату
        </button>
      </form>
      {sent && (
        <p className={styles.status} role="status">
          {sent}
        </p>
      )}
    </>
  );
}
