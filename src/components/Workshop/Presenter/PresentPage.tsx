/**
 * /room/present/?code=CODE — the presenter's start page for a room: the key, the room's QR code
 * and short code in large type for the projector, and its lessons, each opened in presenter
 * mode with follow-me for this room.
 */
import React, { useEffect, useState } from 'react';
import { useHistory, useLocation } from '@docusaurus/router';
import { loadInstructorKey, saveInstructorKey } from '@site/src/workshop/pageState';
import type { RoomInfo } from '@site/src/workshop/protocol';
import { normalizeCode, roomApi } from '@site/src/workshop/roomApi';
import JoinPanel, { KeyForm } from '../JoinPanel';
import { lessonLabel, lessonPath, roomStateText, TimeLeft } from '../Participant/parts';
import { presenterStore } from './store';
import styles from '../workshop.module.css';

export default function PresentPage(): React.JSX.Element {
  const { search } = useLocation();
  const history = useHistory();
  const code = normalizeCode(new URLSearchParams(search).get('code'));
  const [key, setKey] = useState(loadInstructorKey);
  const [room, setRoom] = useState<RoomInfo>();
  const [error, setError] = useState('');
  useEffect(() => {
    if (!code) return undefined;
    let live = true;
    roomApi.info(code).then(
      (r) => live && setRoom(r),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [code]);
  const present = (lesson: string): void => {
    presenterStore.set({ on: true, room: code });
    history.push(lessonPath(lesson));
  };
  return (
    <main className={styles.page} data-testid="present-page">
      <h1>{room ? room.title : code ? `Комната ${code}` : 'Режим ведущего'}</h1>
      {!code && <p>Откройте эту страницу по ссылке из окна ведущего: /room/present/?code=КОД. Без комнаты режим ведущего включается кнопкой «Режим ведущего» на любом уроке.</p>}
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
      {room && (
        <p>
          Комната {roomStateText(room.state)} · <TimeLeft endsAt={room.endsAt} /> · участников {room.joined} из {room.capacity}
        </p>
      )}
      {code && <JoinPanel code={code} qrSize={280} />}
      {code && !key && (
        <KeyForm
          onKey={(k) => {
            saveInstructorKey(k);
            setKey(k);
          }}
        />
      )}
      {room && key && (
        <>
          <h2>Показать урок</h2>
          <p className={styles.hint}>Урок откроется в режиме ведущего; каждый раздел, к которому вы переходите, участники видят как «Ведущий на шаге …».</p>
          <ul>
            {room.lessons.map((l) => (
              <li key={l}>
                <button type="button" className="button button--link" onClick={() => present(l)}>
                  {lessonLabel(l)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
