/** The page's validation client: one worker shared by every block of the page. */
import {ValidationClient, type WorkerLike} from './client';

let shared: ValidationClient | null = null;

function createWorker(): WorkerLike | null {
  if (typeof Worker === 'undefined') return null;
  // webpack 5 bundles the worker and its imports (the engine, schemas, examples) as a chunk.
  return new Worker(new URL('./worker.ts', import.meta.url)) as unknown as WorkerLike;
}

export function getValidationClient(): ValidationClient {
  shared ??= new ValidationClient({
    createWorker,
    loadFallback: async () => {
      const [{createValidationService}, {default: examples}] = await Promise.all([
        import(/* webpackChunkName: "manifest-validation-fallback" */ './service'),
        import('@manifest-editor/examples'),
      ]);
      return createValidationService(examples);
    },
  });
  return shared;
}
