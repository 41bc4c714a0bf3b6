/**
 * The baseline of the page benchmarks: a stock Docusaurus site (preset-classic, the same installed
 * packages, the same locale) with three plain doc pages, built from scratch in .bench/plain-site/
 * (again when package-lock.json changes). scripts/bench-pages.ts compares the lessons' JavaScript
 * with its doc page; scripts/bench-terminal.ts reports when that page is hydrated, the earliest a
 * learner's click can start anything on this machine.
 */
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const plainDir = path.join(root, '.bench', 'plain-site');

const PLAIN_CONFIG = `// A stock Docusaurus site with one doc section: the baseline of scripts/bench-pages.ts.
module.exports = {
  title: 'Plain',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  i18n: {defaultLocale: 'ru', locales: ['ru']},
  presets: [['classic', {docs: {routeBasePath: 'docs'}, blog: false}]],
};
`;

const PLAIN_DOC = (n: number) => `---
title: Обычная страница ${n}
---

Обычная страница документации Docusaurus: заголовки, абзацы, список, таблица и блок кода, без своих компонентов.

## Раздел

Service mesh выносит сетевую логику из кода приложений в прокси рядом с каждым экземпляром сервиса.

- первый пункт;
- второй пункт.

| Ресурс | Назначение |
| --- | --- |
| Gateway | вход в mesh |
| VirtualService | маршруты |

\`\`\`bash
kubectl get pods -n demo
\`\`\`

:::note
Заметка.
:::
`;

/** Builds the plain site unless a build from the same package-lock.json is there; its build directory. */
export function buildPlainSite(): string {
  const lock = createHash('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).digest('hex');
  const stamp = path.join(plainDir, 'build', '.package-lock');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === lock) return path.join(plainDir, 'build');
  fs.rmSync(plainDir, {recursive: true, force: true});
  fs.mkdirSync(path.join(plainDir, 'docs'), {recursive: true});
  fs.writeFileSync(path.join(plainDir, 'docusaurus.config.js'), PLAIN_CONFIG);
  for (const n of [1, 2, 3]) fs.writeFileSync(path.join(plainDir, 'docs', `page-${n}.md`), PLAIN_DOC(n));
  // the navbar's title links to the home page
  fs.mkdirSync(path.join(plainDir, 'src', 'pages'), {recursive: true});
  fs.writeFileSync(path.join(plainDir, 'src', 'pages', 'index.md'), '# Обычный сайт\n\n[Документация](/docs/page-1)\n');
  console.error('building the plain Docusaurus site in .bench/plain-site/…');
  const built = spawnSync('npx', ['docusaurus', 'build', plainDir], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']});
  if (built.status !== 0) throw new Error('the plain Docusaurus site did not build');
  fs.writeFileSync(stamp, lock);
  return path.join(plainDir, 'build');
}

