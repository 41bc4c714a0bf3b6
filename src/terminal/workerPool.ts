/**
 * Creates the sandbox's Web Worker. The terminal dock starts one as soon as it opens, so the
 * worker's code loads and starts while xterm.js is still loading.
 */
let spare: Worker | undefined;

function create(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { name: 'istio-sandbox' });
}

export function prewarmWorker(): void {
  if (!spare && typeof Worker !== 'undefined') spare = create();
}

export function takeWorker(): Worker {
  const w = spare ?? create();
  spare = undefined;
  return w;
}
