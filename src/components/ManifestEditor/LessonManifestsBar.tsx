/**
 * "All of this lesson's manifests as one file": a multi-document YAML of every manifest block
 * on the page, with the learner's edits (and, when there are edits, the vetted versions too).
 * Rendered after hydration, from the page registry; nothing on pages without manifests.
 */
import React, {useSyncExternalStore} from 'react';
import {useLocation} from '@docusaurus/router';
import {lessonBundleName, saveAsFile, type NamedManifest} from './download';
import {useLessonRegistry} from './LessonContext';
import {plural} from './plural';
import {EMPTY_BLOCKS} from './registry';
import styles from './styles.module.css';

/** Joins the manifests (its code loads on the first click) and saves them as one file. */
async function saveJoined(manifests: NamedManifest[], name: string): Promise<void> {
  const {joinManifests} = await import(/* webpackChunkName: "manifest-tools" */ './joinManifests');
  saveAsFile(joinManifests(manifests), name);
}

export default function LessonManifestsBar(): React.JSX.Element | null {
  const registry = useLessonRegistry();
  const blocks = useSyncExternalStore(registry.subscribe, registry.getSnapshot, () => EMPTY_BLOCKS);
  const {pathname} = useLocation();
  if (blocks.length < 2) return null;
  const name = lessonBundleName(pathname);
  const edited = blocks.filter((b) => b.text !== b.vetted).length;
  const count = `${blocks.length} ${plural(blocks.length, 'манифест', 'манифеста', 'манифестов')}`;
  return (
    <aside className={styles.lessonBar} aria-label="Все манифесты урока" data-lesson-manifests={blocks.length}>
      <p className={styles.lessonBarText}>
        <strong>Все манифесты урока</strong> одним файлом: {count}
        {edited > 0 ? `, с вашими правками (${edited})` : ''}. Подходит для <code>kubectl apply -f</code>.
      </p>
      <div className={styles.lessonBarButtons}>
        <button
          type="button"
          className="button button--sm button--primary"
          onClick={() => void saveJoined(blocks.map(({file, text}) => ({file, text})), name)}>
          Скачать {name}
        </button>
        {edited > 0 && (
          <button
            type="button"
            className="button button--sm button--secondary"
            onClick={() => void saveJoined(blocks.map(({file, vetted}) => ({file, text: vetted})), name.replace(/\.yaml$/, '-vetted.yaml'))}>
            Скачать без правок
          </button>
        )}
      </div>
    </aside>
  );
}
