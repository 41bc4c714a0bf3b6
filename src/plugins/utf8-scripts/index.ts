/**
 * Docusaurus plugin: the minified scripts keep their Russian text as UTF-8.
 *
 * Docusaurus minifies with Terser's `ascii_only: true`, which writes every non-ASCII character as
 * a `\uXXXX` escape: 6 bytes instead of 2 for each Cyrillic letter, and escapes compress worse
 * than letters. The lessons' content chunks are mostly Russian text, so a lesson page ran ~3 KiB
 * gzip more JavaScript than the same text as UTF-8 (npm run bench:pages). The site's scripts
 * are served as UTF-8 (its HTML declares `<meta charset="utf-8">`, which classic scripts
 * inherit; workers always decode UTF-8), so the escapes buy nothing here. Terser still escapes
 * what must be escaped (U+2028, U+2029, lone surrogates).
 */
import type {Plugin} from '@docusaurus/types';
import type {WebpackConfig} from '../cacheGroups';

interface TerserLike {
  options?: {minimizer?: {options?: {output?: Record<string, unknown>; format?: Record<string, unknown>}}};
}

/** Turns `ascii_only` off in each Terser minimizer of the client build; returns how many it changed. */
export function keepUtf8(config: WebpackConfig): number {
  let changed = 0;
  for (const minimizer of config.optimization?.minimizer ?? []) {
    const options = (minimizer as TerserLike | undefined)?.options?.minimizer?.options;
    const output = options?.output ?? options?.format;
    if (output && output.ascii_only === true) {
      output.ascii_only = false;
      changed += 1;
    }
  }
  return changed;
}

export default function utf8ScriptsPlugin(): Plugin {
  return {
    name: 'utf8-scripts',
    configureWebpack(config, isServer) {
      if (!isServer) keepUtf8(config);
      return {};
    },
  };
}
