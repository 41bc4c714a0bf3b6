import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import mermaidDiagrams, {diagramFileName, diagramHash, mermaidSources, readPicture} from '../../src/remark/mermaidDiagrams';

const SOURCE = 'flowchart LR\n  a["Клиент"] --> b["Шлюз"]';

function svg(description: string): string {
  return `<svg width="120.4" height="80" viewBox="0 0 120.4 80" xmlns="http://www.w3.org/2000/svg"><desc data-diagram-description="">${description}</desc><g/></svg>`;
}

/** A static/ directory holding the given pictures. */
function staticDirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'static-'));
  fs.mkdirSync(path.join(dir, 'diagrams'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'diagrams', name), text);
  return dir;
}

const codeBlock = (value: string) => ({type: 'code', lang: 'mermaid', value});

describe('mermaidDiagrams remark plugin', () => {
  const hash = diagramHash(SOURCE);

  it('replaces a mermaid block with a figure of the light and the dark picture, described for screen readers', () => {
    const staticDir = staticDirWith({
      [diagramFileName(hash, 'light')]: svg('Схема: «Клиент» → «Шлюз» &amp; &lt;ещё&gt;'),
      [diagramFileName(hash, 'dark')]: svg('Схема: «Клиент» → «Шлюз» &amp; &lt;ещё&gt;'),
    });
    const tree = {type: 'root', children: [{type: 'paragraph', children: []}, codeBlock(SOURCE), {type: 'code', lang: 'bash', value: 'ls'}]};
    mermaidDiagrams({staticDir, baseUrl: '/course'})(tree, {path: 'lesson.mdx'});

    const [, figure, bash] = tree.children as unknown as {type: string; name: string; attributes: {name: string; value: string}[]; children: {name: string; attributes: {name: string; value: string}[]}[]}[];
    expect(bash).toEqual({type: 'code', lang: 'bash', value: 'ls'});
    expect(figure.type).toBe('mdxJsxFlowElement');
    expect(figure.name).toBe('figure');
    const images = figure.children.map((img) => Object.fromEntries(img.attributes.map((a) => [a.name, a.value])));
    expect(figure.children.map((c) => c.name)).toEqual(['img', 'img']);
    expect(images.map((i) => i.src)).toEqual([`/course/diagrams/${hash}-light.svg`, `/course/diagrams/${hash}-dark.svg`]);
    expect(images.map((i) => i.className)).toEqual(['diagram__picture diagram__picture--light', 'diagram__picture diagram__picture--dark']);
    for (const image of images) {
      expect(image.alt).toBe('Схема: «Клиент» → «Шлюз» & <ещё>');
      expect([image.width, image.height]).toEqual(['120', '80']);
    }
  });

  it('fails the build with what to run when a picture is missing (a new or changed diagram)', () => {
    const staticDir = staticDirWith({[diagramFileName(hash, 'light')]: svg('Схема')});
    const run = () => mermaidDiagrams({staticDir})({type: 'root', children: [codeBlock(SOURCE)]}, {path: 'docs/lesson.mdx'});
    expect(run).toThrow(`docs/lesson.mdx: the dark picture of the Mermaid diagram "flowchart LR …" (static/diagrams/${hash}-dark.svg) is missing`);
    expect(run).toThrow('run npm run diagrams');
  });

  it('refuses a picture without its description', () => {
    const staticDir = staticDirWith({
      [diagramFileName(hash, 'light')]: '<svg width="10" height="10"></svg>',
      [diagramFileName(hash, 'dark')]: svg('Схема'),
    });
    expect(() => mermaidDiagrams({staticDir})({type: 'root', children: [codeBlock(SOURCE)]}, {})).toThrow('has no <desc data-diagram-description> text');
  });

  it('names a picture by its source: an edited diagram needs a new picture', () => {
    expect(diagramHash(SOURCE)).toMatch(/^[0-9a-f]{16}$/);
    expect(diagramHash(`${SOURCE}\n  b --> c`)).not.toBe(diagramHash(SOURCE));
  });

  it('finds the sources of the mermaid blocks of an MDX file as remark reads them', () => {
    const mdx = `# Урок\n\n\`\`\`mermaid\n${SOURCE}\n\`\`\`\n\n\`\`\`bash\nls\n\`\`\`\n\n\`\`\`mermaid\nsequenceDiagram\n  A->>B: GET /\n\`\`\`\n`;
    expect(mermaidSources(mdx)).toEqual([SOURCE, 'sequenceDiagram\n  A->>B: GET /']);
  });

  it('reads size and description back from a picture', () => {
    expect(readPicture(svg('a &quot;b&quot;'))).toEqual({width: 120, height: 80, description: 'a "b"'});
    expect(readPicture('<svg width="100%"></svg>')).toBe('the <svg> has no width and height in pixels');
  });
});
