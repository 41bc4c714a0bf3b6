/**
 * Docusaurus plugin for the manifest editor:
 *  - reads every vetted manifest under examples/ into a generated JSON module
 *    (`@manifest-editor/examples`), the background context the editor validates a lesson's
 *    manifests with, exactly as the CLI does in CI; only the validation worker imports it;
 *  - keeps Monaco out of the server (SSG) bundle: the editor never renders on the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {LoadContext, Plugin} from '@docusaurus/types';
import {cacheGroup, type WebpackConfig} from '../cacheGroups';

export interface ManifestEditorOptions {
  examplesDir: string;
}

const YAML_FILE = /\.ya?ml$/i;

/** examples/ as `dir/name.yaml` → text, sorted by path. */
export function readExamples(examplesDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && YAML_FILE.test(entry.name)) {
        out[path.relative(examplesDir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
      }
    }
  };
  walk(examplesDir);
  return out;
}

const PLUGIN_NAME = 'manifest-editor';

const MONACO_CSS = /[\\/]node_modules[\\/]monaco-editor[\\/]/;

/**
 * Docusaurus merges all CSS into one `styles` file loaded by every page. Monaco's CSS
 * (~150 KB) stays out of it and ships with the lazy editor chunk instead.
 */
function keepMonacoCssLazy(config: WebpackConfig): void {
  const styles = cacheGroup(config, 'styles');
  if (!styles) return;
  styles.test = (module: {identifier(): string}) => !MONACO_CSS.test(module.identifier());
}

export default function manifestEditorPlugin(context: LoadContext, options: ManifestEditorOptions): Plugin {
  const dataFile = path.join(context.generatedFilesDir, PLUGIN_NAME, 'default', 'examples.json');
  return {
    name: PLUGIN_NAME,
    getPathsToWatch() {
      return [path.join(options.examplesDir, '**/*.{yaml,yml}')];
    },
    async loadContent() {
      return readExamples(options.examplesDir);
    },
    async contentLoaded({content, actions}) {
      await actions.createData('examples.json', JSON.stringify(content));
    },
    configureWebpack(config, isServer, {currentBundler}) {
      if (!isServer) keepMonacoCssLazy(config);
      return {
        resolve: {alias: {'@manifest-editor/examples': dataFile}},
        // The server bundle renders the static view only; Monaco is never loaded there.
        plugins: isServer ? [new currentBundler.instance.IgnorePlugin({resourceRegExp: /^monaco-(editor|yaml)(\/|$)/})] : [],
      };
    },
  };
}
