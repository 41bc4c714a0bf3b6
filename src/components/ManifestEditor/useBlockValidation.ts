/**
 * Validation of one block as the learner types: debounced, with the page's other manifests as
 * context, answered by the validation worker (loaded on first use). Stale answers (the text or
 * the context changed while the worker was busy) are dropped.
 */
import {useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import type {ValidationOutcome} from './validation/protocol';
import {debounce} from './validation/debounce';
import {EMPTY_BLOCKS, ManifestRegistry} from './registry';
import type {CheckState} from './ProblemList';

/** Delay after the last keystroke before validating; keystroke → marker stays well under 300 ms. */
export const VALIDATION_DELAY_MS = 80;

export interface BlockValidation {
  check: CheckState;
  outcome: ValidationOutcome | null;
  /** Validate now (the «Проверить» button); resolves when the answer is in. */
  checkNow(): Promise<void>;
}

export function useBlockValidation(file: string, text: string, active: boolean, registry: ManifestRegistry): BlockValidation {
  const [check, setCheck] = useState<CheckState>('pending');
  const [outcome, setOutcome] = useState<ValidationOutcome | null>(null);
  const blocks = useSyncExternalStore(registry.subscribe, registry.getSnapshot, () => EMPTY_BLOCKS);
  const signature = ManifestRegistry.contextSignature(blocks, file);
  const latest = useRef({text, blocks});
  latest.current = {text, blocks};
  const sequence = useRef(0);

  const run = useCallback(async () => {
    const mine = ++sequence.current;
    setCheck('pending');
    try {
      const {getValidationClient} = await import(/* webpackChunkName: "manifest-validation" */ './validation/browser');
      const {text: current, blocks: page} = latest.current;
      const context = page.filter((b) => b.file !== file).map((b) => ({file: b.file, text: b.text}));
      const result = await getValidationClient().validate(file, current, context);
      if (mine !== sequence.current) return;
      setOutcome(result);
      setCheck('done');
    } catch (error) {
      if (mine !== sequence.current) return;
      setOutcome(null);
      setCheck(error instanceof Error && error.name === 'ValidationTimeout' ? 'timeout' : 'failed');
    }
  }, [file]);

  const pendingRun = useRef<Promise<void> | null>(null);
  const scheduler = useMemo(
    () =>
      debounce(() => {
        pendingRun.current = run();
      }, VALIDATION_DELAY_MS),
    [run],
  );

  useEffect(() => {
    if (active) scheduler.schedule();
    return () => scheduler.cancel();
  }, [active, text, signature, scheduler]);

  const checkNow = useCallback(async () => {
    scheduler.flush();
    await pendingRun.current;
  }, [scheduler]);

  return {check, outcome, checkNow};
}
