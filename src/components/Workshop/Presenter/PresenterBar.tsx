/**
 * The presenter's bar on a lesson page: sections revealed one at a time («Шаг N. …»), the keys
 * that move between them, the lesson's font size (kept), and — when the presenter leads a room —
 * follow-me and the room's QR code. Its own chunk: loaded when presenter mode is on (index.tsx).
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { clampPresenterFont, loadPresenterFont, PRESENTER_FONT_MAX, PRESENTER_FONT_MIN, savePresenterFont } from '@site/src/workshop/pageState';
import { joinUrl } from '@site/src/workshop/roomApi';
import QrCode from '../QrCode';
import { presenterStore } from './store';
import { useFollowMe, usePresenterKeys, usePresenterLayout, useSections } from './hooks';
import { useStickyHeight } from '../useStickyHeight';
import styles from './styles.module.css';

export default function PresenterBar({ lesson, room }: { lesson: string; room?: string }): React.JSX.Element {
  const [font, setFont] = useState(loadPresenterFont);
  usePresenterLayout(font);
  const bar = useRef<HTMLElement>(null);
  useStickyHeight(bar, '--presenter-bar-height');
  const { sections, current, go } = useSections(lesson);
  const next = useCallback(() => go(current + 1), [go, current]);
  const prev = useCallback(() => go(current - 1), [go, current]);
  usePresenterKeys(next, prev);
  const follow = useFollowMe(room, lesson, sections[current], current === 0);
  const changeFont = (px: number): void => {
    const v = clampPresenterFont(px);
    setFont(v);
    savePresenterFont(v);
  };
  const section = sections[current];
  return (
    <nav ref={bar} className={styles.bar} aria-label="Режим ведущего" data-testid="presenter-bar" data-section={current}>
      <span className={styles.group}>
        <button type="button" className={styles.button} onClick={prev} disabled={current <= 0} aria-label="Предыдущий раздел (PageUp)">
          ←
        </button>
        <span className={styles.position} aria-live="polite" data-testid="presenter-position">
          <span className={styles.count}>
            {sections.length ? current + 1 : 0}/{sections.length}
          </span>{' '}
          {section?.title ?? ''}
        </span>
        <button type="button" className={styles.button} onClick={next} disabled={current >= sections.length - 1} aria-label="Следующий раздел (PageDown)">
          →
        </button>
      </span>
      <span className={styles.group}>
        <button type="button" className={styles.button} onClick={() => changeFont(font - 2)} disabled={font <= PRESENTER_FONT_MIN} aria-label="Уменьшить шрифт урока">
          A−
        </button>
        <span className={styles.font} aria-label={`Шрифт урока: ${font}`} data-testid="presenter-font">
          {font}
        </span>
        <button type="button" className={styles.button} onClick={() => changeFont(font + 2)} disabled={font >= PRESENTER_FONT_MAX} aria-label="Увеличить шрифт урока">
          A+
        </button>
        {room && <RoomQr code={room} />}
        <button type="button" className={styles.button} onClick={() => presenterStore.set({ on: false, room })}>
          Выйти
        </button>
      </span>
      {room && (
        // its own line from the start (empty until the room answers), so the bar keeps its height when it appears
        <span className={styles.follow} role="status" data-testid="presenter-follow">
          {follow.kind === 'error' ? `Комната не узнала о шаге: ${follow.message}` : follow.kind === 'sent' ? `Комната ${room} следует за вами` : ''}
        </span>
      )}
    </nav>
  );
}

/** The room's QR code and short link, shown large in a dialog for the audience to scan. */
function RoomQr({ code }: { code: string }): React.JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  const url = joinUrl(code);
  return (
    <>
      <button type="button" className={styles.button} onClick={() => setOpen(true)}>
        QR комнаты
      </button>
      <dialog ref={dialog} className={styles.qrDialog} onClose={() => setOpen(false)} aria-label={`Как войти в комнату ${code}`}>
        {open && (
          <>
            <QrCode text={url} size={360} label={`QR-код ссылки на комнату ${code}`} />
            <p className={styles.qrCode}>{code}</p>
            <p className={styles.qrUrl}>{url}</p>
            <button type="button" className="button button--primary" onClick={() => setOpen(false)} autoFocus>
              Закрыть
            </button>
          </>
        )}
      </dialog>
    </>
  );
}
