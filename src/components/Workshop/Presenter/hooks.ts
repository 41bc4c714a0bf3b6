/**
 * The presenter's behaviour on a lesson page, one hook each: the projector layout, the
 * step-by-step reveal of the lesson's sections, the keys that move between them, and follow-me
 * (the room is told where the presenter is).
 */
import { useEffect, useState } from 'react';
import { terminalStore } from '@site/src/terminal/store';
import { roomApi } from '@site/src/workshop/roomApi';
import { loadInstructorKey, loadPresenterSection, savePresenterSection } from '@site/src/workshop/pageState';
import { collectSections, reveal, revealAll, type Section } from './sections';

/** The projector layout: no navbar or sidebars, the lesson in large type, the terminal beside it. */
export function usePresenterLayout(fontPx: number): void {
  useEffect(() => {
    document.body.classList.add('presenter-mode');
    // The lesson's terminal opens beside the text (lessons without a sandbox take the whole width),
    // once per lesson: the presenter may close it. Opened from /room/present/, the lesson arrives by
    // client-side navigation and this bar's effect runs before the lesson's terminal registers
    // (the bar is above the content), so the registration is waited for too.
    let opened: string | undefined;
    const openFor = (): void => {
      const { scenario, dock } = terminalStore.getSnapshot();
      if (!scenario || scenario === opened) return;
      opened = scenario;
      if (dock === 'closed') terminalStore.setDock('open');
    };
    openFor();
    const stop = terminalStore.subscribe(openFor);
    return () => {
      stop();
      document.body.classList.remove('presenter-mode');
    };
  }, []);
  useEffect(() => {
    document.documentElement.style.setProperty('--presenter-font', `${fontPx}px`);
    return () => {
      document.documentElement.style.removeProperty('--presenter-font');
    };
  }, [fontPx]);
}

/** The lesson's sections and how many are revealed; moving scrolls the newest section's heading to the top. */
export function useSections(lesson: string): { sections: Section[]; current: number; go: (index: number) => void } {
  const [sections, setSections] = useState<Section[]>([]);
  const [current, setCurrent] = useState(() => loadPresenterSection(lesson));
  useEffect(() => {
    const root = document.querySelector<HTMLElement>('.theme-doc-markdown');
    const found = root ? collectSections(root) : [];
    setSections(found);
    setCurrent((c) => Math.min(c, Math.max(0, found.length - 1)));
    return () => revealAll(found);
  }, [lesson]);
  useEffect(() => {
    if (!sections.length) return;
    reveal(sections, current);
    savePresenterSection(lesson, current);
    const first = sections[current].elements[0];
    if (current === 0) window.scrollTo({ top: 0 });
    else first?.scrollIntoView({ block: 'start' });
  }, [sections, current, lesson]);
  const go = (index: number): void => setCurrent(Math.max(0, Math.min(sections.length - 1, index)));
  return { sections, current, go };
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || !!target.closest('input, textarea, select, [role="tablist"], .monaco-editor, .terminal-dock, dialog');
}

/** PageDown / → and PageUp / ← (what presentation clickers send) move between sections, unless the focus is in a field or the terminal. */
export function usePresenterKeys(next: () => void, prev: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      if (e.key === 'PageDown' || e.key === 'ArrowRight') next();
      else if (e.key === 'PageUp' || e.key === 'ArrowLeft') prev();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [next, prev]);
}

export type FollowStatus = { kind: 'idle' } | { kind: 'sent'; heading: string } | { kind: 'error'; message: string };

/** Follow-me: each section the presenter moves to is sent to the room, for its participants' «Ведущий на шаге …». */
export function useFollowMe(room: string | undefined, lesson: string, section: Section | undefined, first: boolean): FollowStatus {
  const [status, setStatus] = useState<FollowStatus>({ kind: 'idle' });
  useEffect(() => {
    if (!room || !section) return undefined;
    let live = true;
    const target = first ? { lesson, heading: section.title } : { lesson, step: section.step, anchor: section.anchor, heading: section.title };
    roomApi.follow(room, loadInstructorKey(), target).then(
      () => live && setStatus({ kind: 'sent', heading: section.title }),
      (e: unknown) => live && setStatus({ kind: 'error', message: e instanceof Error ? e.message : 'Не удалось сообщить комнате, где вы.' }),
    );
    return () => {
      live = false;
    };
  }, [room, lesson, section, first]);
  return status;
}
