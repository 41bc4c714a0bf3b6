/** Coreutils over big inputs: GNU's results, and long work that hears Ctrl-C (found by npm run fuzz, issue 16). */
import { describe, expect, it } from 'vitest';
import { AbortError, CancelSource } from '../core/clock';
import { Sandbox } from '../sandbox';
import { sortPaced } from './coreutils';

describe('coreutils on big inputs', () => {
  it('sort, uniq and tail of 300 000 lines give what GNU prints', async () => {
    const sb = new Sandbox();
    expect((await sb.exec('seq 1 300000 | sort -rn | uniq -c | tail -3')).stdout).toBe('      1 3\n      1 2\n      1 1\n');
    expect((await sb.exec('seq 1 300000 | sort | head -3')).stdout).toBe('1\n10\n100\n');
    expect((await sb.exec('seq 1 300000 | sort -n -u | tail -n +299999')).stdout).toBe('299999\n300000\n');
  });

  it('head and tail take their line counts as GNU does', async () => {
    const sb = new Sandbox();
    expect((await sb.exec("printf 'a\\nb\\nc\\n' | head -n -1")).stdout).toBe('a\nb\n');
    expect((await sb.exec("printf 'a\\nb\\nc' | head -2")).stdout).toBe('a\nb\n');
    expect((await sb.exec("printf 'a\\n\\nb' | tail -2")).stdout).toBe('\nb\n');
    expect((await sb.exec('seq 10 | tail -n -2')).stdout).toBe('9\n10\n');
    expect((await sb.exec("printf '\\n' | tail -5")).stdout).toBe('\n');
    expect(await sb.exec('seq 3 | head -n x')).toEqual({ code: 1, stdout: '', stderr: "head: invalid number of lines: 'x'\n" });
    expect(await sb.exec('seq 3 | tail -n 1e9')).toEqual({ code: 1, stdout: '', stderr: "tail: invalid number of lines: '1e9'\n" });
  });

  it('head and tail -c count bytes as GNU does', async () => {
    const sb = new Sandbox();
    expect((await sb.exec("printf 'abcdefghij' | head -c 3")).stdout).toBe('abc');
    expect((await sb.exec('echo hello world | head -c 5; echo')).stdout).toBe('hello\n');
    expect((await sb.exec("printf 'abcdefghij' | head -c -3")).stdout).toBe('abcdefg');
    expect((await sb.exec("printf 'abcdefghij' | tail -c 3")).stdout).toBe('hij');
    expect((await sb.exec("printf 'abcdefghij' | tail -c +8")).stdout).toBe('hij');
    expect((await sb.exec("printf 'abc' | head --bytes=10")).stdout).toBe('abc');
    expect(await sb.exec("printf 'abc' | head -c x")).toEqual({ code: 1, stdout: '', stderr: "head: invalid number of bytes: 'x'\n" });
  });

  it('uniq -c, -d and -u count runs of equal lines', async () => {
    const sb = new Sandbox();
    expect((await sb.exec("printf 'a\\na\\nb\\nc\\nc\\nc\\n' | uniq -c")).stdout).toBe('      2 a\n      1 b\n      3 c\n');
    expect((await sb.exec("printf 'a\\na\\nb\\nc\\nc\\nc\\n' | uniq -d")).stdout).toBe('a\nc\n');
    expect((await sb.exec("printf 'a\\na\\nb\\nc\\nc\\nc\\n' | uniq -u")).stdout).toBe('b\n');
  });

  it('the paced sort orders as a stable sort does, across its runs', async () => {
    const items = Array.from({ length: 40_000 }, (_, i) => ({ key: (i * 7919) % 101, i }));
    const sorted = await sortPaced(items, (a, b) => a.key - b.key, new CancelSource().token);
    expect(sorted).toEqual([...items].sort((a, b) => a.key - b.key));
  });

  it('the paced sort hears Ctrl-C (Array.prototype.sort of 700 000 lines was one block of a third of a second)', async () => {
    const items = Array.from({ length: 400_000 }, (_, i) => String((i * 7919) % 400_009));
    const ctrlC = new CancelSource();
    setTimeout(() => ctrlC.cancel(), 0);
    await expect(sortPaced(items, (a, b) => (a < b ? -1 : a > b ? 1 : 0), ctrlC.token)).rejects.toBeInstanceOf(AbortError);
  });
});
