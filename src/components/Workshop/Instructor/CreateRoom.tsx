/** The instructor's form for a new room: title, the course's lessons, capacity and duration. */
import React, { useState } from 'react';
import { course } from '@site/src/course';
import { roomApi } from '@site/src/workshop/roomApi';
import styles from '../workshop.module.css';

export default function CreateRoom({ instructorKey, onCreated }: { instructorKey: string; onCreated: (code: string) => void }): React.JSX.Element {
  const [title, setTitle] = useState('');
  const [lessons, setLessons] = useState<string[]>([]);
  const [capacity, setCapacity] = useState(30);
  const [duration, setDuration] = useState(120);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const toggle = (id: string, on: boolean): void => setLessons((ls) => (on ? [...ls, id] : ls.filter((l) => l !== id)));
  const submit = async (): Promise<void> => {
    if (!lessons.length) {
      setError('Выберите хотя бы один урок.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      // the course's order, whatever the order of the clicks
      const ordered = course.flatMap((s) => s.lessons.map((l) => l.id)).filter((id) => lessons.includes(id));
      const room = await roomApi.create(instructorKey, { title: title.trim(), lessons: ordered, capacity, durationMinutes: duration });
      onCreated(room.code);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className={styles.form}
      aria-label="Новая комната"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}>
      <label className={styles.field}>
        Название
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={120} required placeholder="Istio за один день" data-testid="room-title" />
      </label>
      <label className={styles.field}>
        Мест
        <input type="number" min={1} max={500} value={capacity} onChange={(e) => setCapacity(Number(e.target.value))} required />
      </label>
      <label className={styles.field}>
        Длительность, минут
        <input type="number" min={10} max={24 * 60} value={duration} onChange={(e) => setDuration(Number(e.target.value))} required />
      </label>
      <fieldset className={styles.fieldset}>
        <legend>Уроки комнаты</legend>
        {course.map((section) => (
          <div key={section.label}>
            <p className={styles.hint}>{section.label}</p>
            <div className={styles.checks}>
              {section.lessons.map((l) => (
                <label key={l.id}>
                  <input type="checkbox" checked={lessons.includes(l.id)} onChange={(e) => toggle(l.id, e.target.checked)} data-lesson={l.id} /> {l.label}
                </label>
              ))}
            </div>
          </div>
        ))}
      </fieldset>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Создаём…' : 'Создать комнату'}
      </button>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
