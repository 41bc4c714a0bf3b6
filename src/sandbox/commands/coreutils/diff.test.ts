/** diff as GNU diffutils prints it: normal and unified formats, exit statuses, process substitution, big inputs. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';
import { editScript } from './diff';

const FILES = "printf 'a\\nb\\nc\\nd\\n' > a.txt; printf 'a\\nB\\nc\\nd\\ne\\n' > b.txt; ";

const CASES: [string, string, string?, number?][] = [
  ['diff a.txt b.txt', '2c2\n< b\n---\n> B\n4a5\n> e\n', '', 1],
  ['diff b.txt a.txt', '2c2\n< B\n---\n> b\n5d4\n< e\n', '', 1],
  ['diff a.txt a.txt', ''],
  ['diff -q a.txt b.txt', 'Files a.txt and b.txt differ\n', '', 1],
  ['diff <(echo x; echo y) <(echo x; echo z)', '2c2\n< y\n---\n> z\n', '', 1],
  ["printf 'a' > n1; printf 'a\\n' > n2; diff n1 n2", '1c1\n< a\n\\ No newline at end of file\n---\n> a\n', '', 1],
  ["seq 10 > l1; seq 10 | sed -e '2d' -e '9a X' > l2; diff l1 l2", '2d1\n< 2\n9a9\n> X\n', '', 1],
  ["seq 10 > l1; seq 10 | sed -e '2d' -e '9a X' > l2; diff -u l1 l2 | tail -n +3", '@@ -1,5 +1,4 @@\n 1\n-2\n 3\n 4\n 5\n@@ -7,4 +6,5 @@\n 7\n 8\n 9\n+X\n 10\n', '', 0],
  ['diff a.txt nofile', '', 'diff: nofile: No such file or directory\n', 2],
  ['diff a.txt', '', "diff: missing operand after 'a.txt'\ndiff: Try 'diff --help' for more information.\n", 2],
  ['diff -k a.txt b.txt', '', "diff: invalid option -- 'k'\ndiff: Try 'diff --help' for more information.\n", 2],
];

describe('diff', () => {
  it.each(CASES)('%s', async (line, stdout, stderr = '', code = 0) => {
    expect(await new Sandbox().exec(FILES + line)).toEqual({ code, stdout, stderr });
  });

  it('-u labels both files with their times as GNU diff does', async () => {
    const r = await new Sandbox().exec(`${FILES}diff -u a.txt b.txt`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^--- a\.txt\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000\n\+\+\+ b\.txt\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000\n@@ -1,4 \+1,5 @@\n a\n-b\n\+B\n c\n d\n\+e\n$/);
  });

  it('the edit script is minimal on small inputs and bounded on huge ones', () => {
    const ops = editScript(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']);
    expect(ops.filter((o) => o.kind !== '=').length).toBe(5);
    const a = Array.from({ length: 60_000 }, (_, i) => String(i));
    const b = Array.from({ length: 60_000 }, (_, i) => String(i * 7));
    const big = editScript(a, b);
    // every line of a is deleted or kept, every line of b inserted or kept
    expect(big.filter((o) => o.kind !== '+').length).toBe(60_000);
    expect(big.filter((o) => o.kind !== '-').length).toBe(60_000);
  });
});
