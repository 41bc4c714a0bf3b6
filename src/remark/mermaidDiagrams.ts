/**
 * Remark plugin: a lesson's ```mermaid code block becomes a figure with two pictures drawn ahead of time, one for
 * the light theme and one for the dark theme; the site's CSS shows the one of the current theme (`[data-theme]`),
 * so no Mermaid code runs in the reader's browser and the theme toggle needs no script.
 *
 * The pictures are SVG files committed in static/diagrams/, named by a hash of the diagram's source and of how it
 * is drawn (RENDER below). `npm run diagrams` (scripts/diagrams.ts) draws them with the `mermaid` package in
 * Chromium; the build itself needs no browser and fails with a clear message when a picture is missing, which is
 * also what happens after a diagram's source or RENDER changed (its hash, hence its file name, is new).
 *
 * Each picture carries its text description (<desc data-diagram-description>, written by the render script from
 * the parsed diagram: its nodes and connections, or its participants and messages); it becomes the image's alt
 * text, so a screen reader reads what the diagram shows.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The Mermaid version that draws the pictures; scripts/diagrams.ts refuses to run with another one. */
export const MERMAID_VERSION = '11.17.2';

/**
 * How each theme is drawn (part of every picture's hash: change it and run `npm run diagrams`).
 * Text is SVG text, not HTML in <foreignObject>, which an SVG shown as <img> may not display.
 * Dark: Mermaid's dark theme puts edge labels on a mid-grey box (#585858) that leaves light text at modest
 * contrast; they sit on the page's dark surface color instead (Infima's --ifm-background-surface-color, #242526).
 */
export const RENDER = {
  version: 1,
  mermaid: MERMAID_VERSION,
  common: {htmlLabels: false, flowchart: {htmlLabels: false}, securityLevel: 'strict'},
  themes: {
    light: {theme: 'neutral'},
    dark: {theme: 'dark', themeVariables: {edgeLabelBackground: '#242526'}},
  },
} as const;

export type Theme = keyof typeof RENDER.themes;
export const THEMES = Object.keys(RENDER.themes) as Theme[];

/** The part of static/ the pictures live in, and the URL path they are served under. */
export const DIAGRAMS_DIR = 'diagrams';

/** A diagram's identity: its source and how it is drawn. */
export function diagramHash(source: string): string {
  return createHash('sha256').update(JSON.stringify({source, render: RENDER})).digest('hex').slice(0, 16);
}

export function diagramFileName(hash: string, theme: Theme): string {
  return `${hash}-${theme}.svg`;
}

/**
 * The source of every ```mermaid block of an MDX file, as remark reads it (the lines between the fences).
 * The lessons' blocks start at the beginning of a line; an indented block would be missed here, and the build
 * would then stop at it with the "run npm run diagrams" message.
 */
export function mermaidSources(mdx: string): string[] {
  return [...mdx.matchAll(/^```mermaid[ \t]*\n([\s\S]*?)\n```[ \t]*$/gm)].map((m) => m[1]);
}

export interface DiagramPicture {
  width: number;
  height: number;
  description: string;
}

const XML_ENTITIES: Record<string, string> = {'&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&'};

export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (entity) => XML_ENTITIES[entity]);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Size and description of a picture written by scripts/diagrams.ts, or a reason it is not usable. */
export function readPicture(svg: string): DiagramPicture | string {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) return 'not an SVG';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) return 'the <svg> has no width and height in pixels';
  const description = /<desc data-diagram-description="">([^<]*)<\/desc>/.exec(svg)?.[1];
  if (!description) return 'the SVG has no <desc data-diagram-description> text';
  return {width: Math.round(width), height: Math.round(height), description: unescapeXml(description)};
}

interface JsxAttribute {
  type: 'mdxJsxAttribute';
  name: string;
  value: string;
}

interface MdastNode {
  type: string;
  lang?: string | null;
  value?: string;
  name?: string | null;
  attributes?: JsxAttribute[];
  children?: MdastNode[];
  data?: unknown;
}

export interface MermaidDiagramsOptions {
  /** The site's static/ directory. */
  staticDir: string;
  /** The site's baseUrl ('/' unless the site is served under a path). */
  baseUrl?: string;
}

const attribute = (name: string, value: string): JsxAttribute => ({type: 'mdxJsxAttribute', name, value});

/** The figure that replaces a ```mermaid block (throws when its pictures are missing). */
export function diagramFigure(source: string, options: MermaidDiagramsOptions, where: string): MdastNode {
  const hash = diagramHash(source);
  const baseUrl = (options.baseUrl ?? '/').replace(/\/?$/, '/');
  const pictures = THEMES.map((theme) => {
    const name = diagramFileName(hash, theme);
    const file = path.join(options.staticDir, DIAGRAMS_DIR, name);
    const firstLine = source.trim().split('\n')[0];
    const problem = !fs.existsSync(file) ? 'is missing' : readPicture(fs.readFileSync(file, 'utf8'));
    if (typeof problem === 'string') {
      throw new Error(
        `${where}: the ${theme} picture of the Mermaid diagram "${firstLine} …" (static/${DIAGRAMS_DIR}/${name}) ${problem}. ` +
          'Diagrams are drawn ahead of the build: run npm run diagrams and commit static/diagrams/.',
      );
    }
    return {theme, url: `${baseUrl}${DIAGRAMS_DIR}/${name}`, ...problem};
  });
  return {
    type: 'mdxJsxFlowElement',
    name: 'figure',
    attributes: [attribute('className', 'diagram'), attribute('data-diagram', hash)],
    children: pictures.map((p) => ({
      type: 'mdxJsxFlowElement',
      name: 'img',
      attributes: [
        attribute('className', `diagram__picture diagram__picture--${p.theme}`),
        attribute('src', p.url),
        attribute('alt', p.description),
        attribute('width', String(p.width)),
        attribute('height', String(p.height)),
        attribute('loading', 'lazy'),
        attribute('decoding', 'async'),
        attribute('data-theme-picture', p.theme),
      ],
      children: [],
    })),
  };
}

export default function mermaidDiagrams(options: MermaidDiagramsOptions) {
  return (tree: MdastNode, file: {path?: string}) => {
    const visit = (node: MdastNode): void => {
      node.children?.forEach((child, index) => {
        if (child.type === 'code' && child.lang === 'mermaid') {
          node.children![index] = diagramFigure(child.value ?? '', options, file.path ?? 'MDX');
        } else visit(child);
      });
    };
    visit(tree);
  };
}
