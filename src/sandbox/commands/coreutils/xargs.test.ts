/** xargs and column as GNU findutils and util-linux print them: command line → exact output and status. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';

const XARGS: [string, string, string?, number?][] = [
  ['echo a b c | xargs', 'a b c\n'],
  ["printf 'a\\nb\\nc\\n' | xargs -n 2 echo X", 'X a b\nX c\n'],
  ["printf 'a b\\nc\\nd e f\\n' | xargs -L 2 echo", 'a b c\nd e f\n'],
  ["printf 'a\\n  b c\\n' | xargs -I {} echo file-{}.txt", 'file-a.txt\nfile-b c.txt\n'],
  ["printf \"'a b' c\\n\" | xargs -n1", 'a b\nc\n'],
  ["printf 'a\\\\ b c\\n' | xargs -n1", 'a b\nc\n'],
  ["printf 'a,b,c' | xargs -d , -n1 echo", 'a\nb\nc\n'],
  ["printf 'a b\\0c\\0' | xargs -0 -n1 echo", 'a b\nc\n'],
  ["printf 'a\\nSTOP\\nb\\n' | xargs -E STOP echo", 'a\n'],
  ["printf '' | xargs echo hi", 'hi\n'],
  ["printf '' | xargs -r echo hi", ''],
  ["printf '\\n\\n' | xargs --no-run-if-empty echo hi", ''],
  ['echo a | xargs -t echo', 'a\n', 'echo a\n'],
  // exit statuses (xargs.c XargsStatusValues)
  ['echo x | xargs false', '', '', 123],
  ["echo x | xargs sh -c 'exit 255'", '', 'xargs: sh: exited with status 255; aborting\n', 124],
  ['echo x | xargs nosuchcmd', '', 'xargs: nosuchcmd: No such file or directory\n', 127],
  ["printf \"'a b c\\n\" | xargs", '', 'xargs: unmatched single quote; by default quotes are special to xargs unless you use the -0 option\n', 1],
  ['echo a | xargs -n x', '', 'xargs: invalid number "x" for -n option\nUsage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\nTry \'xargs --help\' for more information.\n', 1],
  ['echo a | xargs -k', '', "xargs: invalid option -- 'k'\nUsage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\nTry 'xargs --help' for more information.\n", 1],
];

const COLUMN: [string, string, string?, number?][] = [
  ["printf 'NAME AGE\\nistiod 1d\\ningress-gateway 2d\\n' | column -t", 'NAME             AGE\nistiod           1d\ningress-gateway  2d\n'],
  ["printf 'a:b:c\\nlonger::x\\n' | column -t -s : -o ' | '", 'a      | b | c\nlonger |   | x\n'],
  ["printf 'a   b\\n\\n  c d\\n' | column -t", 'a  b\nc  d\n'],
  ['seq 1 30 | column', '1\t4\t7\t10\t13\t16\t19\t22\t25\t28\n2\t5\t8\t11\t14\t17\t20\t23\t26\t29\n3\t6\t9\t12\t15\t18\t21\t24\t27\t30\n'],
  ['column nofile', '', 'column: nofile: No such file or directory\n', 1],
  ['column -k', '', "column: invalid option -- 'k'\nTry 'column --help' for more information.\n", 1],
];

describe('xargs', () => {
  it.each(XARGS)('%s', async (line, stdout, stderr = '', code = 0) => {
    expect(await new Sandbox().exec(line)).toEqual({ code, stdout, stderr });
  });

  it("runs the sandbox's commands: kubectl deletes what kubectl listed", async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create namespace demo-a && kubectl create namespace demo-b');
    const r = await sb.exec("kubectl get ns -o name | grep demo- | xargs kubectl delete");
    expect(r).toEqual({ code: 0, stdout: 'namespace "demo-a" deleted\nnamespace "demo-b" deleted\n', stderr: '' });
  });

  it('a sh -c run by xargs exits its own shell only', async () => {
    expect(await new Sandbox().exec("echo x | xargs sh -c 'exit 3'; echo after $?")).toEqual({ code: 0, stdout: 'after 123\n', stderr: '' });
  });
});

describe('column', () => {
  it.each(COLUMN)('%s', async (line, stdout, stderr = '', code = 0) => {
    expect(await new Sandbox().exec(line)).toEqual({ code, stdout, stderr });
  });
});
