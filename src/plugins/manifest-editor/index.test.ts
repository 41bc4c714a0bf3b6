import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {readExamples} from './index';

describe('manifest-editor plugin', () => {
  it('reads every YAML file under examples/ by its relative path, and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
    fs.mkdirSync(path.join(dir, 'b'));
    fs.mkdirSync(path.join(dir, '.hidden'));
    fs.writeFileSync(path.join(dir, 'b', 'two.yml'), 'two');
    fs.writeFileSync(path.join(dir, 'one.yaml'), 'one');
    fs.writeFileSync(path.join(dir, 'README.md'), '# no');
    fs.writeFileSync(path.join(dir, '.hidden', 'x.yaml'), 'no');
    expect(readExamples(dir)).toEqual({'b/two.yml': 'two', 'one.yaml': 'one'});
  });

  it('finds the course’s examples', () => {
    const examples = readExamples(path.resolve(__dirname, '../../../examples'));
    expect(Object.keys(examples)).toContain('ingress-service-a/virtual-service.yaml');
  });
});
