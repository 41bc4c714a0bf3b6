/** sed as GNU sed 4.9 prints: table of command lines → exact stdout, stderr and exit status. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';

const FILE = "printf 'a\\nb\\nc\\nd\\n' > f.txt; ";

const CASES: [string, string, string?, number?][] = [
  ["sed 's/b/B/' f.txt", 'a\nB\nc\nd\n'],
  ["sed -n '2,3p' f.txt", 'b\nc\n'],
  ["sed -n '$p' f.txt", 'd\n'],
  ["sed '2d;4d' f.txt", 'a\nc\n'],
  ["sed -e 's/b/1/' -e 's/c/2/' f.txt", 'a\n1\n2\nd\n'],
  ["sed -n '/b/,/c/p' f.txt", 'b\nc\n'],
  ["sed '/b/!d' f.txt", 'b\n'],
  ["sed -n '0,/b/p' f.txt", 'a\nb\n'],
  ["sed '1~2d' f.txt", 'b\nd\n'],
  ["sed '2,+1d' f.txt", 'a\nd\n'],
  ["sed '3,1d' f.txt", 'a\nb\nd\n'],
  ["sed -n '/b/{s/b/BB/;p}' f.txt", 'BB\n'],
  ["sed '2i\\\ninserted' f.txt", 'a\ninserted\nb\nc\nd\n'],
  ["sed '2a appended' f.txt", 'a\nb\nappended\nc\nd\n'],
  ["sed '2,3c changed' f.txt", 'a\nchanged\nd\n'],
  ["sed = f.txt | sed 'N;s/\\n/ /'", '1 a\n2 b\n3 c\n4 d\n'],
  ['sed 2q f.txt', 'a\nb\n'],
  ["sed 'q5' f.txt", 'a\n', '', 5],
  ["sed '$!N;P;D' f.txt", 'a\nb\nc\nd\n'],
  ["sed -n 'h;n;G;p' f.txt", 'b\na\nd\nc\n'],
  ["echo hello world | sed -E 's/(\\w+) (\\w+)/\\2 \\1/'", 'world hello\n'],
  ["echo hello world | sed 's/\\(hello\\) \\(world\\)/\\2 \\1/'", 'world hello\n'],
  ["echo aaa | sed 's/a/b/2g'", 'abb\n'],
  ["echo aaa | sed 's/a/b/2'", 'aba\n'],
  ["echo abc | sed 's/x*/-/g'", '-a-b-c-\n'],
  ["echo baaac | sed 's/a*/x/g'", 'xbxcx\n'],
  ["echo 'foo bar' | sed 's/[a-z]*/(&)/g'", '(foo) (bar)\n'],
  ["echo Hello | sed 's/hello/bye/I'", 'bye\n'],
  ["echo a/b/c | sed 's|/|_|g'", 'a_b_c\n'],
  ["echo a/b | sed 's/\\//:/'", 'a:b\n'],
  ["echo 'a.b' | sed 's/a.b/[&]/; s/\\./dot/'", '[adotb]\n'],
  ["echo foo | sed 's/o/\\U&/g'", 'fOO\n'],
  ["echo 'foo bar' | sed -E 's/(\\w+)/\\u\\1/g'", 'Foo Bar\n'],
  ["echo hello | sed 'y/elo/ELO/'", 'hELLO\n'],
  ["echo x | sed ':a;s/x/y/;ta'", 'y\n'],
  ["echo 'a+b' | sed 's/a+b/ok/'", 'ok\n'],
  ["echo 'aab' | sed -E 's/a+b/ok/'", 'ok\n'],
  ["printf 'a\\nb' | sed 's/b/c/'", 'a\nc'],
  ["echo a | sed -n p", 'a\n'],
  ["echo a | sed -s -n -e p -e p", 'a\na\n'],
  // errors: compile.c's messages with the character count, exit 1; unreadable input exit 2
  ["sed 's/a/b' f.txt", '', "sed: -e expression #1, char 5: unterminated `s' command\n", 1],
  ["sed -e p -e 's/a/b' f.txt", '', "sed: -e expression #2, char 5: unterminated `s' command\n", 1],
  ["sed 'k' f.txt", '', "sed: -e expression #1, char 1: unknown command: `k'\n", 1],
  ["sed 's/a/b/gg' f.txt", '', "sed: -e expression #1, char 8: multiple `g' options to `s' command\n", 1],
  ["sed 's/a/b/x' f.txt", '', "sed: -e expression #1, char 7: unknown option to `s'\n", 1],
  ["sed 's/a/b/0' f.txt", '', "sed: -e expression #1, char 7: number option to `s' command may not be zero\n", 1],
  ["sed 's/a/\\3/' f.txt", '', "sed: -e expression #1, char 7: invalid reference \\3 on `s' command's RHS\n", 1],
  ["sed 'y/ab/c/' f.txt", '', "sed: -e expression #1, char 7: strings for `y' command are different lengths\n", 1],
  ["sed 'p x' f.txt", '', 'sed: -e expression #1, char 3: extra characters after command\n', 1],
  ["sed '1,3q' f.txt", '', 'sed: -e expression #1, char 4: command only uses one address\n', 1],
  ["sed '{p' f.txt", '', "sed: -e expression #1, char 0: unmatched `{'\n", 1],
  ["sed '}' f.txt", '', "sed: -e expression #1, char 1: unexpected `}'\n", 1],
  ["sed '/x' f.txt", '', 'sed: -e expression #1, char 2: unterminated address regex\n', 1],
  ["sed 'bfoo' f.txt", '', "sed: can't find label for jump to `foo'\n", 1],
  ["sed 's/\\(/x/' f.txt", '', 'sed: -e expression #1, char 7: Unmatched ( or \\(\n', 1],
  ["sed '1' f.txt", '', 'sed: -e expression #1, char 1: missing command\n', 1],
  ['sed p nofile', '', "sed: can't read nofile: No such file or directory\n", 2],
  ['sed -n p nofile f.txt', 'a\nb\nc\nd\n', "sed: can't read nofile: No such file or directory\n", 2],
  ["sed -i 's/a/b/'", '', 'sed: no input files\n', 1],
  ['sed -k p', '', "sed: invalid option -- 'k'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n", 1],
];

describe('sed', () => {
  it.each(CASES)('%s', async (line, stdout, stderr = '', code = 0) => {
    const sb = new Sandbox();
    expect(await sb.exec(FILE + line)).toEqual({ code, stdout, stderr });
  });

  it('-i edits the file in place, -i.bak keeps the original beside it', async () => {
    const sb = new Sandbox();
    expect(await sb.exec(`${FILE}sed -i 's/a/X/;$d' f.txt && cat f.txt`)).toEqual({ code: 0, stdout: 'X\nb\nc\n', stderr: '' });
    expect((await sb.exec("sed -i.bak 's/X/Y/' f.txt && cat f.txt f.txt.bak")).stdout).toBe('Y\nb\nc\nX\nb\nc\n');
  });

  it('an endless script (:a;ba) hears Ctrl-C', async () => {
    const sb = new Sandbox();
    const run = sb.exec("echo x | sed ':a;ba'");
    setTimeout(() => sb.shell.interrupt(), 50);
    const r = await run;
    expect(r.code).toBe(130);
  });

  it('a pattern space that would outgrow memory stops with sed panic status 4', async () => {
    const sb = new Sandbox();
    const r = await sb.exec("seq 1 40 | sed -n 'H;g;H'");
    expect(r).toMatchObject({ code: 4, stderr: "sed: couldn't re-allocate memory\n" });
  });
});
