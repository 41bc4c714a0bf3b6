/** Webpack's split-chunks cache groups as Docusaurus configures them, for plugins that adjust one. */
import type {Plugin} from '@docusaurus/types';

export type WebpackConfig = Parameters<NonNullable<Plugin['configureWebpack']>>[0];

/** A cache group set up as an object (`common`, `styles`), or undefined when it is not one. */
export function cacheGroup(config: WebpackConfig, name: string): {test?: unknown} | undefined {
  const splitChunks = config.optimization?.splitChunks;
  if (!splitChunks || typeof splitChunks !== 'object') return undefined;
  const group = splitChunks.cacheGroups?.[name];
  if (!group || typeof group !== 'object' || group instanceof RegExp || typeof group === 'function') return undefined;
  return group;
}
