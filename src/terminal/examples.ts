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
  const ctx = require.context('!!raw-loader!../../examples', true, /\.(ya?ml|md)$/);
  const files: Record<string, string> = {};
  for (const key of ctx.keys()) {
    if (!key.startsWith('./')) continue;
    const mod = ctx(key);
    files[key.slice(2)] = typeof mod === 'string' ? mod : mod.default;
  }
  return files;
}
