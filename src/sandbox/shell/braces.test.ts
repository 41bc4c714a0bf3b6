/** Brace expansion as bash 5.2 prints it (bash(1) "Brace Expansion"), through the shell. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

const cases: [string, string][] = [
  ['echo {1..3}', '1 2 3'],
  ['echo a{b,c}d', 'abd acd'],
  ['echo {01..10..3}', '01 04 07 10'],
  ['echo {z..w} {a..e..2}', 'z y x w a c e'],
  ['echo {-2..2} {5..1}', '-2 -1 0 1 2 5 4 3 2 1'],
  ['echo {a,b{1,2},c}x', 'ax b1x b2x cx'],
  // quoted, escaped, single items, empty and incomplete sequences stay as they are
  ['echo "{1..3}" \\{1..3\\} {a} {} x{1..}', '{1..3} {1..3} {a} {} x{1..}'],
  // assignments are not brace-expanded
  ['x={1..3}; echo $x', '{1..3}'],
  ['echo pre{1..2}"$HOME"post', 'pre1/home/learnerpost pre2/home/learnerpost'],
  ['echo ${HOME}{1,2}', '/home/learner1 /home/learner2'],
  ['echo ~/{a,b}', '/home/learner/a /home/learner/b'],
  ['for i in {1..3}; do printf "n$i "; done', 'n1 n2 n3 '],
  ['echo {1..100000} | wc -w', '100000'],
];

describe('brace expansion', () => {
  it.each(cases)('%s', async (line, want) => {
    const sb = new Sandbox({});
    const r = await sb.exec(line);
    expect(r.stderr).toBe('');
    expect(r.stdout.replace(/\n$/, '')).toBe(want);
  });

  it('a sequence too long to hold is refused in bash words, and the sandbox lives on', async () => {
    const sb = new Sandbox({});
    const r = await sb.exec('echo {1..99999999999}');
    expect(r.stderr).toBe('bash: brace expansion: failed to allocate memory for 99999999999 elements\n');
    expect((await sb.exec('echo still here')).stdout).toBe('still here\n');
  });
});
