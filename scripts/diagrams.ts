/**
 * Draws every ```mermaid block of the lessons (docs/**\/*.mdx) into static/diagrams/: one SVG for the light theme
 * and one for the dark theme, named by the hash of the source and of the drawing settings (src/remark/mermaidDiagrams.ts,
 * whose remark plugin puts them in the pages), each with a text description of the diagram for screen readers.
 * Pictures already there are kept; pictures no lesson uses any more are deleted.
 *
 *   npm run diagrams            (--force draws every picture again)
 *
 * Mermaid runs in Chromium (/usr/bin/chromium, like the end-to-end tests): it measures text in a real browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import {chromium, type Page} from '@playwright/test';
import {chromiumLaunchOptions} from '../playwright.config';
import {
  DIAGRAMS_DIR,
  MERMAID_VERSION,
  RENDER,
  THEMES,
  diagramFileName,
  diagramHash,
  mermaidSources,
  type Theme,
} from '../src/remark/mermaidDiagrams';
import {describeDiagram, finishSvg, type DiagramStructure} from './support/diagramText';

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'static', DIAGRAMS_DIR);
const mermaidDir = path.join(root, 'node_modules', 'mermaid');

function mdxFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter((e) => e.isFile() && /\.mdx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

interface Diagram {
  hash: string;
  source: string;
  where: string;
}

function lessonsDiagrams(): Diagram[] {
  const byHash = new Map<string, Diagram>();
  for (const file of mdxFiles(path.join(root, 'docs'))) {
    for (const source of mermaidSources(fs.readFileSync(file, 'utf8'))) {
      const hash = diagramHash(source);
      if (!byHash.has(hash)) byHash.set(hash, {hash, source, where: path.relative(root, file)});
    }
  }
  return [...byHash.values()];
}

/** The diagram's nodes and connections (or participants and messages), read from Mermaid's parsed model. */
function structure(page: Page, source: string): Promise<DiagramStructure> {
  return page.evaluate(async (text) => {
    interface Db {
      getAccTitle?(): string;
      getAccDescription?(): string;
      getDirection?(): string;
      getVertices?(): Map<string, {id: string; text?: string}>;
      getEdges?(): {start: string; end: string; text?: string; type?: string}[];
      getSubGraphs?(): {id: string; title: string; nodes: string[]}[];
      getActors?(): Map<string, {description?: string}>;
      getMessages?(): {from?: string; to?: string; message?: string; type: number}[];
    }
    const mermaid = (window as unknown as {mermaid: {mermaidAPI: {getDiagramFromText(t: string): Promise<{type: string; db: Db}>}}}).mermaid;
    const {type, db} = await mermaid.mermaidAPI.getDiagramFromText(text);
    const vertices = db.getVertices ? [...db.getVertices().values()] : [];
    const actors = db.getActors ? [...db.getActors().entries()] : [];
    return {
      type,
      title: db.getAccTitle?.() ?? '',
      description: db.getAccDescription?.() ?? '',
      direction: db.getDirection?.() ?? '',
      nodes: [
        ...vertices.map((v) => ({id: v.id, label: v.text || v.id})),
        ...actors.map(([id, a]) => ({id, label: a.description || id})),
      ],
      edges: (db.getEdges?.() ?? []).map((e) => ({from: e.start, to: e.end, label: e.text ?? '', type: e.type ?? ''})),
      groups: (db.getSubGraphs?.() ?? []).map((g) => ({id: g.id, title: g.title, nodes: g.nodes})),
      messages: (db.getMessages?.() ?? []).map((m) => ({from: m.from ?? '', to: m.to ?? '', text: m.message ?? '', type: m.type})),
    };
  }, source);
}

async function render(page: Page, diagram: Diagram, theme: Theme): Promise<string> {
  const config = {startOnLoad: false, ...RENDER.common, ...RENDER.themes[theme]};
  const id = `diagram-${diagram.hash}-${theme}`;
  return page.evaluate(
    async ({config, id, text}) => {
      const mermaid = (window as unknown as {mermaid: {initialize(c: unknown): void; render(id: string, t: string): Promise<{svg: string}>}}).mermaid;
      mermaid.initialize(config);
      return (await mermaid.render(id, text)).svg;
    },
    {config, id, text: diagram.source},
  );
}

async function main(): Promise<void> {
  const installed = (JSON.parse(fs.readFileSync(path.join(mermaidDir, 'package.json'), 'utf8')) as {version: string}).version;
  if (installed !== MERMAID_VERSION) {
    throw new Error(`node_modules has mermaid ${installed}, the diagrams are drawn with ${MERMAID_VERSION} (MERMAID_VERSION in src/remark/mermaidDiagrams.ts)`);
  }
  const force = process.argv.includes('--force');
  const diagrams = lessonsDiagrams();
  fs.mkdirSync(outDir, {recursive: true});
  const wanted = new Set(diagrams.flatMap((d) => THEMES.map((t) => diagramFileName(d.hash, t))));
  const todo = diagrams.filter((d) => force || THEMES.some((t) => !fs.existsSync(path.join(outDir, diagramFileName(d.hash, t)))));

  if (todo.length > 0) {
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
      await page.addScriptTag({path: path.join(mermaidDir, 'dist', 'mermaid.min.js')});
      for (const diagram of todo) {
        const svgs = [];
        for (const theme of THEMES) svgs.push({theme, svg: await render(page, diagram, theme)});
        // after a render: Mermaid parses with the configuration that initialize() gave it
        const description = describeDiagram(await structure(page, diagram.source));
        for (const {theme, svg} of svgs) {
          fs.writeFileSync(path.join(outDir, diagramFileName(diagram.hash, theme)), finishSvg(svg, description, diagram.where));
        }
        console.log(`drew ${diagram.hash} (${diagram.where}): ${description.slice(0, 100)}…`);
      }
    } finally {
      await browser.close();
    }
  }
  let removed = 0;
  for (const name of fs.readdirSync(outDir)) {
    if (!wanted.has(name)) {
      fs.rmSync(path.join(outDir, name));
      removed += 1;
    }
  }
  console.log(`diagrams: ${diagrams.length} in the lessons, ${todo.length} drawn, ${diagrams.length - todo.length} already there, ${removed} unused removed`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
