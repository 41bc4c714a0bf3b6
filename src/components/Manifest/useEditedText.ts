/**
 * A block's current text and its persistence: every change by the learner is kept in localStorage
 * (debounced; flushed when the page is left), and a failed save is reported in Russian.
 */
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {browserStorage, saveEdit, type SaveResult} from '../ManifestEditor/storage';
import {debounce} from '../ManifestEditor/validation/debounce';

const SAVE_DELAY_MS = 300;

function saveProblemText(result: SaveResult, size: number): string | null {
  if (result.ok) return null;
  const mb = (size / (1024 * 1024)).toFixed(1);
  return result.reason === 'quota'
    ? `Правка не сохранена в браузере: она слишком большая (${mb} МБ). Текст останется в редакторе до перезагрузки — скачайте файл, чтобы не потерять его.`
    : 'Браузер не даёт сохранять данные (приватный режим?): правка пропадёт после перезагрузки. Скачайте файл, чтобы не потерять её.';
}

export interface EditedText {
  text: string;
  /** The text as of the last change, also between a change and its render. */
  textRef: React.RefObject<string>;
  /** Every change of the text by the learner goes through here. */
  changeText(next: string, when?: 'now' | 'debounced'): void;
  /** Shows `next` without saving it (a restored edit, or the vetted text after its key was cleared); drops a pending save. */
  showText(next: string): void;
  /** Why the last save failed, for the learner; null when it worked. */
  saveProblem: string | null;
  clearSaveProblem(): void;
}

export function useEditedText(lesson: string, file: string, vetted: string): EditedText {
  const [text, setText] = useState(vetted);
  const [saveProblem, setSaveProblem] = useState<string | null>(null);
  const textRef = useRef(text);
  textRef.current = text;

  const persistNow = useCallback(
    (next: string) => {
      const result = saveEdit(browserStorage(), lesson, file, next, vetted);
      setSaveProblem(saveProblemText(result, next.length));
    },
    [lesson, file, vetted],
  );
  const saver = useMemo(() => debounce(() => persistNow(textRef.current), SAVE_DELAY_MS), [persistNow]);
  // Leaving the lesson or closing the tab within the save delay still keeps the last keystrokes.
  useEffect(() => {
    const flush = () => {
      if (saver.pending()) saver.flush();
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [saver]);

  const changeText = useCallback(
    (next: string, when: 'now' | 'debounced' = 'debounced') => {
      textRef.current = next;
      setText(next);
      if (when === 'now') {
        saver.cancel();
        persistNow(next);
      } else saver.schedule();
    },
    [saver, persistNow],
  );
  const showText = useCallback(
    (next: string) => {
      saver.cancel();
      textRef.current = next;
      setText(next);
    },
    [saver],
  );
  const clearSaveProblem = useCallback(() => setSaveProblem(null), []);
  return {text, textRef, changeText, showText, saveProblem, clearSaveProblem};
}
