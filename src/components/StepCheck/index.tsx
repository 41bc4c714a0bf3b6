/**
 * <StepCheck step="…" /> after a step of a scenario lesson: «Проверить шаг» asks the sandbox
 * whether the step is done and lists, in Russian, what is still missing. Passed steps are
 * remembered across reloads.
 */
import React, { useEffect, useRef, useState } from 'react';
import clsx from 'clsx';
import { terminalStore } from '@site/src/terminal/store';
import { loadLessonState, saveLessonState } from '@site/src/terminal/persistence';
import { useTerminalStore } from '@site/src/components/Terminal/launcher';
import styles from './styles.module.css';

export interface StepCheckProps {
  step: string;
}

type Result = { kind: 'idle' } | { kind: 'checking' } | { kind: 'passed' } | { kind: 'missing'; items: string[] } | { kind: 'error'; message: string };

export default function StepCheck({ step }: StepCheckProps): React.JSX.Element | null {
  const { scenario, progress } = useTerminalStore();
  const [result, setResult] = useState<Result>({ kind: 'idle' });
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!scenario) return;
    setResult(loadLessonState(scenario).passed.includes(step) ? { kind: 'passed' } : { kind: 'idle' });
  }, [scenario, step, progress]);

  if (!scenario) return null;

  const check = async (): Promise<void> => {
    setResult({ kind: 'checking' });
    try {
      const { scenarioById } = await import('@site/src/terminal/scenarios');
      const def = scenarioById(scenario)?.steps.find((s) => s.id === step);
      if (!def) {
        setResult({ kind: 'error', message: `Проверка «${step}» не найдена.` });
        return;
      }
      const controller = await terminalStore.ready();
      const results = await controller.check(def.probes);
      const missing = results.filter((r) => !r.ok).map((r) => r.missing);
      const passed = loadLessonState(scenario).passed.filter((s) => s !== step);
      saveLessonState(scenario, { passed: missing.length ? passed : [...passed, step] });
      setResult(missing.length ? { kind: 'missing', items: missing } : { kind: 'passed' });
      terminalStore.checked(step, !missing.length);
      // keep the verdict in view above the docked terminal
      requestAnimationFrame(() => box.current?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
    } catch (e) {
      setResult({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <div ref={box} className={clsx(styles.check, result.kind === 'passed' && styles.passed, result.kind === 'missing' && styles.missing)} data-step={step} data-result={result.kind}>
      <button type="button" className="button button--outline button--primary button--sm" onClick={() => void check()} disabled={result.kind === 'checking'}>
        {result.kind === 'checking' ? 'Проверяем…' : 'Проверить шаг'}
      </button>
      <div role="status" aria-live="polite" className={styles.result}>
        {result.kind === 'passed' && <span>✓ Шаг выполнен.</span>}
        {result.kind === 'missing' && (
          <>
            <span>Ещё не всё готово:</span>
            <ul>
              {result.items.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </>
        )}
        {result.kind === 'error' && <span>Не удалось проверить: {result.message}</span>}
      </div>
    </div>
  );
}
