/**
 * Docusaurus plugin: the sandbox's Web Worker (src/terminal/worker.ts, chunk `istio-sandbox`)
 * loads as one file.
 *
 * Webpack's split-chunks moved the libraries the worker shares with the pages (yaml, x509…) into
 * chunks of their own, and a worker loads the chunks its entry needs with importScripts, one
 * after another: four more round trips between the worker's script and the sandbox's start,
 * each waiting for the previous one. Keeping the worker's chunk out of splitting puts them in
 * its file; its lazy chunks (the validation engine, the lessons' start states) still split.
 */
import type {Plugin} from '@docusaurus/types';
import type {WebpackConfig} from '../cacheGroups';

/** The worker's chunk name (`new Worker(…, {name})` in src/terminal/sandboxWorker.ts). */
export const SANDBOX_WORKER_CHUNK = 'istio-sandbox';

interface ChunkLike {
  name?: string | null;
  canBeInitial(): boolean;
}

/** Webpack's default `chunks: 'async'`, without the worker's chunk. */
export function splittable(chunk: ChunkLike): boolean {
  return !chunk.canBeInitial() && chunk.name !== SANDBOX_WORKER_CHUNK;
}

export function keepWorkerWhole(config: WebpackConfig): void {
  const splitChunks = config.optimization?.splitChunks;
  if (!splitChunks || typeof splitChunks !== 'object') return;
  // the cache groups without a `chunks` of their own (Docusaurus' `common`, webpack's `defaultVendors`) take this one
  if (splitChunks.chunks === undefined || splitChunks.chunks === 'async') splitChunks.chunks = splittable as never;
}

export default function sandboxWorkerPlugin(): Plugin {
  return {
    name: 'sandbox-worker',
    configureWebpack(config, isServer) {
      if (!isServer) keepWorkerWhole(config);
      return {};
    },
  };
}
