/**
 * The course's manifests for the worker's file system, bundled by webpack from examples/
 * (raw text). Only the worker imports this module, so the lesson page does not load them.
 */
interface RawContext {
  keys(): string[];
  (id: string): string | { default: string };
}

declare const require: { context(dir: string, recursive: boolean, re: RegExp): RawContext };

export function bundledExamples(): Record<string, string> {
  return rawFiles(require.context('!!raw-loader!../../examples', true, /\.(ya?ml|md)$/));
}

/** Istio's sample manifests (the repository's samples/), for ~/samples. */
export function bundledSamples(): Record<string, string> {
  return rawFiles(require.context('!!raw-loader!../../samples', true, /\.(ya?ml|md)$/));
}

function rawFiles(ctx: RawContext): Record<string, string> {
  const files: Record<string, string> = {};
  for (const key of ctx.keys()) {
    if (!key.startsWith('./')) continue;
    const mod = ctx(key);
    files[key.slice(2)] = typeof mod === 'string' ? mod : mod.default;
  }
  return files;
}
