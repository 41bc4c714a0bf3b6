/** The room's participants: where each one is, what passed, when they last moved on, who is stuck. */
import React, { useEffect, useState } from 'react';
import clsx from 'clsx';
import type { ParticipantProgress } from '@site/src/workshop/protocol';
import { scenarioOfLesson } from '@site/src/workshop/lessonScenarios';
import { lessonLabel } from '../Participant/parts';
import styles from '../workshop.module.css';

/** «только что», «3 мин назад», «1 ч 10 мин назад». */
export function ago(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'только что';
  const h = Math.floor(min / 60);
  return h ? `${h} ч ${min % 60} мин назад` : `${min} мин назад`;
}

function passedCount(p: ParticipantProgress): number {
  return Object.values(p.passed).reduce((n, steps) => n + steps.length, 0);
}

type StepTitle = (lesson: string, step: string) => string;

/** A step's title («Шаг 1. Сервис inventory и клиенты») from the scenarios (a chunk loaded with the roster); its id until then. */
function useStepTitle(): StepTitle {
  const [title, setTitle] = useState<StepTitle>(() => (_lesson: string, step: string) => step);
  useEffect(() => {
    let live = true;
    void import('@site/src/terminal/scenarios').then(({ scenarioById }) => {
      if (live) setTitle(() => (lesson: string, step: string) => scenarioById(scenarioOfLesson(lesson))?.steps.find((s) => s.id === step)?.title ?? step);
    });
    return () => {
      live = false;
    };
  }, []);
  return title;
}

export default function RosterTable({
  participants,
  mirrored,
  onMirror,
  onReset,
}: {
  participants: ParticipantProgress[];
  mirrored?: string;
  onMirror: (id: string | undefined) => void;
  onReset: (p: ParticipantProgress) => void;
}): React.JSX.Element {
  const [now, setNow] = useState(() => Date.now());
  const stepTitle = useStepTitle();
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  if (!participants.length) return <p data-testid="roster-empty">Пока никто не вошёл. Покажите участникам код комнаты или QR-код.</p>;
  return (
    <table className={styles.table} data-testid="roster">
      <caption className={styles.srOnly}>Участники комнаты</caption>
      <thead>
        <tr>
          <th scope="col">Имя</th>
          <th scope="col">Урок</th>
          <th scope="col">Шаг</th>
          <th scope="col">Проверок пройдено</th>
          <th scope="col">Последний успех</th>
          <th scope="col">Ошибки за 5 мин</th>
          <th scope="col">Состояние</th>
          <th scope="col">Действия</th>
        </tr>
      </thead>
      <tbody>
        {participants.map((p) => (
          <tr key={p.id} className={clsx(p.stuck && styles.stuck, !p.connected && styles.offline)} data-participant={p.name} data-stuck={p.stuck}>
            <th scope="row">{p.name}</th>
            <td>{p.lesson ? lessonLabel(p.lesson) : '—'}</td>
            <td data-testid="roster-step">{p.step ? (p.lesson ? stepTitle(p.lesson, p.step) : p.step) : '—'}</td>
            <td data-testid="roster-passed" title={Object.entries(p.passed).map(([l, s]) => `${lessonLabel(l)}: ${s.map((id) => stepTitle(l, id)).join(', ')}`).join('\n')}>
              {passedCount(p)}
            </td>
            <td>{ago(now - p.lastProgressAt)}</td>
            <td>{p.recentErrors}</td>
            <td>{p.stuck ? 'застрял' : p.connected ? 'в сети' : 'не в сети'}</td>
            <td>
              <span className={styles.rowButtons}>
                <button type="button" className="button button--sm button--outline button--primary" aria-pressed={mirrored === p.id} onClick={() => onMirror(mirrored === p.id ? undefined : p.id)}>
                  {mirrored === p.id ? 'Скрыть терминал' : 'Терминал'}
                  <span className={styles.srOnly}> участника {p.name}</span>
                </button>
                <button type="button" className="button button--sm button--secondary" onClick={() => onReset(p)}>
                  Сбросить<span className={styles.srOnly}> песочницу участника {p.name}</span>
                </button>
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
