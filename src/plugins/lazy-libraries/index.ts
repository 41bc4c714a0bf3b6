/**
 * Docusaurus plugin that keeps the big lazily loaded libraries off a lesson's critical path.
 *
 * Docusaurus moves every module used by more than half of the pages' chunks into one `common`
 * chunk that each page loads before it hydrates. Libraries split into many lazy chunks of their
 * own share modules among those chunks, so their shared parts landed in `common` and every
 * page paid for them before it could be used: pieces of Monaco (~125 KB). Here the modules of
 * these libraries' dependency trees are excluded from `common`; they load with the library,
 * when the learner opens the editor. (Diagrams are pictures drawn ahead of time:
 * src/remark/mermaidDiagrams.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import type {LoadContext, Plugin} from '@docusaurus/types';
import {cacheGroup, type WebpackConfig} from '../cacheGroups';

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

/** The packages a module file lies in, outermost first (`a/node_modules/b/node_modules/c/x.js` → a, c). */
export function packagesOf(resource: string): string[] {
  const parts = resource.split(/[\\/]/);
  const out: string[] = [];
  parts.forEach((part, i) => {
    if (part !== 'node_modules' || i + 1 >= parts.length) return;
    out.push(parts[i + 1].startsWith('@') ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1]);
  });
  return out;
}

/** Loaded only on demand; their dependency trees stay out of `common`. */
export const LAZY_LIBRARIES = ['monaco-editor', 'monaco-yaml'];

function keepOutOfCommon(config: WebpackConfig, packages: Set<string>): void {
  const common = cacheGroup(config, 'common');
  if (!common) return;
  // A module of one of those packages, or bundled inside one (its nested node_modules), stays with it.
  common.test = (module: {nameForCondition(): string | null}) => !packagesOf(module.nameForCondition() ?? '').some((p) => packages.has(p));
}

export default function lazyLibrariesPlugin(context: LoadContext): Plugin {
  const packages = new Set(LAZY_LIBRARIES.flatMap((root) => [...dependencyTree(root, context.siteDir)]));
  return {
    name: 'lazy-libraries',
    configureWebpack(config, isServer) {
      if (!isServer) keepOutOfCommon(config, packages);
      return {};
    },
  };
}
