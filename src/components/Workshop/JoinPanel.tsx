/** How to join a room, for a screen everyone sees: the QR code, the short code in large type, the link. */
import React from 'react';
import { joinUrl } from '@site/src/workshop/roomApi';
import QrCode from './QrCode';
import styles from './workshop.module.css';

export default function JoinPanel({ code, qrSize = 200 }: { code: string; qrSize?: number }): React.JSX.Element {
  const url = joinUrl(code);
  return (
    <section className={styles.join} aria-label="Как войти в комнату" data-testid="room-join-panel">
      <QrCode text={url} size={qrSize} label={`QR-код ссылки на комнату ${code}`} />
      <div>
        <p className={styles.joinHint}>Код комнаты</p>
        <p className={styles.joinCode} data-testid="room-code">
          {code}
        </p>
        <p className={styles.joinUrl}>
          <a href={url}>{url}</a>
        </p>
      </div>
    </section>
  );
}

/** The instructor key, kept for this tab only; every instructor action sends it. */
export function KeyForm({ onKey, error }: { onKey: (key: string) => void; error?: string }): React.JSX.Element {
  const [value, setValue] = React.useState('');
  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onKey(value.trim());
      }}>
      <label className={styles.field}>
        Ключ ведущего
        <input type="password" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" required data-testid="instructor-key" />
      </label>
      <button type="submit" className="button button--primary">
        Войти
      </button>
      <p className={styles.hint}>
        Сервер мастерской печатает ключ при запуске (или берёт его из <code>WORKSHOP_INSTRUCTOR_KEY</code>). Он хранится только в этой вкладке.
      </p>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
