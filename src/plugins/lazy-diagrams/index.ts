/**
 * Docusaurus plugin that keeps Mermaid off a lesson's critical path.
 *
 * Docusaurus moves every module used by more than half of the pages' chunks into one `common`
 * chunk that each page loads before it hydrates. Mermaid's diagram parsers (langium, chevrotain,
 * d3, dagre, …) are shared by many of Mermaid's own lazy chunks, so they landed in `common` and
 * every page paid ~800 KB for them before it could be used. Here the modules of Mermaid's
 * dependency tree are excluded from `common`; they load with the diagrams, which
 * src/theme/Mermaid renders only near the viewport.
 */
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import type {LoadContext, Plugin} from '@docusaurus/types';

type WebpackConfig = Parameters<NonNullable<Plugin['configureWebpack']>>[0];

/** Names of the packages `root` depends on, transitively (itself included). */
export function dependencyTree(root: string, fromDir: string): Set<string> {
  const names = new Set<string>();
  const visit = (name: string, dir: string): void => {
    if (names.has(name)) return;
    let manifestPath: string;
    try {
      manifestPath = createRequire(path.join(dir, 'noop.js')).resolve(`${name}/package.json`);
    } catch {
      return; // optional or export-restricted: its modules are still matched by name below
    } finally {
      names.add(name);
    }
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {dependencies?: Record<string, string>};
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, path.dirname(manifestPath));
  };
  visit(root, fromDir);
  return names;
}

/** The package a module file belongs to (innermost node_modules), or undefined. */
export function packageOf(resource: string): string | undefined {
  const parts = resource.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  return parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
}

function keepOutOfCommon(config: WebpackConfig, packages: Set<string>): void {
  const splitChunks = config.optimization?.splitChunks;
  if (!splitChunks || typeof splitChunks !== 'object') return;
  const common = splitChunks.cacheGroups?.common;
  if (!common || typeof common !== 'object' || common instanceof RegExp || typeof common === 'function') return;
  common.test = (module: {nameForCondition(): string | null}) => {
    const resource = module.nameForCondition();
    if (!resource) return true;
    const pkg = packageOf(resource);
    // Anything bundled inside a Mermaid package (its nested node_modules included) stays with it.
    return !(pkg && packages.has(pkg)) && !/[\\/]node_modules[\\/](mermaid|@mermaid-js)[\\/]/.test(resource);
  };
}

export default function lazyDiagramsPlugin(context: LoadContext): Plugin {
  const packages = dependencyTree('mermaid', context.siteDir);
  return {
    name: 'lazy-diagrams',
    configureWebpack(config, isServer) {
      if (!isServer) keepOutOfCommon(config, packages);
      return {};
    },
  };
}
