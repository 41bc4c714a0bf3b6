/** Every diagram of the lessons has its pictures in static/diagrams/, drawn from its current source; none is left over. */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {DIAGRAMS_DIR, THEMES, diagramFileName, diagramHash, mermaidSources, readPicture} from '../../src/remark/mermaidDiagrams';
import {docsDir, rootDir} from '../support/docs';

const picturesDir = path.join(rootDir, 'static', DIAGRAMS_DIR);
const lessons = fs
  .readdirSync(docsDir, {recursive: true, encoding: 'utf8'})
  .filter((file) => file.endsWith('.mdx'))
  .sort();
const diagrams = lessons.flatMap((file) =>
  mermaidSources(fs.readFileSync(path.join(docsDir, file), 'utf8')).map((source) => ({file, source, hash: diagramHash(source)})),
);

describe('diagram pictures in static/diagrams/ (npm run diagrams)', () => {
  it('the lessons have diagrams', () => {
    expect(diagrams.length).toBeGreaterThanOrEqual(10);
  });

  for (const {file, source, hash} of diagrams) {
    it(`${file}: "${source.split('\n')[0]}" ${hash} has an up-to-date picture for each theme, with its description`, () => {
      for (const theme of THEMES) {
        const picture = path.join(picturesDir, diagramFileName(hash, theme));
        expect(fs.existsSync(picture), `${path.relative(rootDir, picture)} is missing: run npm run diagrams`).toBe(true);
        const read = readPicture(fs.readFileSync(picture, 'utf8'));
        expect(read).toMatchObject({description: expect.stringMatching(/^(Схема|Диаграмма последовательности)/)});
      }
    });
  }

  it('no picture is left over from a diagram that changed or went away', () => {
    const wanted = new Set(diagrams.flatMap(({hash}) => THEMES.map((theme) => diagramFileName(hash, theme))));
    expect(fs.readdirSync(picturesDir).filter((name) => !wanted.has(name))).toEqual([]);
  });
});
