/** jq as jq 1.7 prints: command line → exact stdout, stderr and exit status; and kubectl's JSON through jq, sed and xargs. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';

const DOC = `echo '{"a":{"b":[1,2,{"c":"x"}]},"n":null}'`;
const PEOPLE = `echo '[{"n":"a","v":2},{"n":"b","v":1}]'`;

const CASES: [string, string, string?, number?][] = [
  [`${DOC} | jq .`, '{\n  "a": {\n    "b": [\n      1,\n      2,\n      {\n        "c": "x"\n      }\n    ]\n  },\n  "n": null\n}\n'],
  [`${DOC} | jq -c '.a.b'`, '[1,2,{"c":"x"}]\n'],
  [`${DOC} | jq -r '.a.b[2].c, .a["b"][0], .a.b[-1].c'`, 'x\n1\nx\n'],
  [`${DOC} | jq '.a.b[1:]' -c`, '[2,{"c":"x"}]\n'],
  [`${PEOPLE} | jq -r 'sort_by(.v) | map(.n) | join(",")'`, 'b,a\n'],
  [`${PEOPLE} | jq -c '.[] | select(.v > 1) | {name: .n, "val": .v}'`, '{"name":"a","val":2}\n'],
  [`${PEOPLE} | jq -c 'group_by(.v > 1) | map(length)'`, '[1,1]\n'],
  [`${PEOPLE} | jq -c 'first, last | .n'`, '"a"\n"b"\n'],
  [`echo '{"a":1,"b":2}' | jq -c 'to_entries, keys, length, has("a"), (to_entries | from_entries)'`, '[{"key":"a","value":1},{"key":"b","value":2}]\n["a","b"]\n2\ntrue\n{"a":1,"b":2}\n'],
  [`echo '{"a":1}' | jq -r '"val=\\(.a) next=\\(.a+1)"'`, 'val=1 next=2\n'],
  [`echo '"aGVsbG8="' | jq -r '@base64d, ("hi" | @base64)'`, 'hello\naGk=\n'],
  [`jq -n --arg x hi '$x, ($x | ascii_upcase)'`, '"hi"\n"HI"\n'],
  [`echo '{"a":[]}' | jq '.a[]?, .b // "default"'`, '"default"\n'],
  [`echo '"a,b"' | jq -c 'split(","), test("B"; "i"), (. | tostring), ("3" | tonumber)'`, '["a","b"]\ntrue\n"a,b"\n3\n'],
  [`echo '[3,1,2]' | jq -c 'sort, (.[] | select(. >= 2)), (if .[0] == 3 then "three" else "no" end)'`, '[1,2,3]\n3\n2\n"three"\n'],
  [`echo '{"a":1}' | jq -c '.a = 5 | .b |= 3 | .a += 1 | del(.b)'`, '{"a":6}\n'],
  [`echo '{"b":1,"a":{"d":1,"c":2}}' | jq -S -c .`, '{"a":{"c":2,"d":1},"b":1}\n'],
  [`echo '1 2 3' | jq -s -c '., add'`, '[1,2,3]\n6\n'],
  [`jq -n '[range(5)] | map(. * 2) | add, (reduce .[] as $x (0; . + $x))'`, '20\n20\n'],
  // add is reduce .[] as $x (null; . + $x): nulls vanish, strings join, objects merge
  [`echo '[null,1,2] ["a",null,"b"] [] [{"a":1},{"b":2}]' | jq -c add`, '3\n"ab"\nnull\n{"a":1,"b":2}\n'],
  [`echo '[{"a":1},{"a":null}]' | jq -c 'map(.a // "none"), [.[] | .a == null and true], (.[1].a | not)'`, '[1,"none"]\n[false,true]\ntrue\n'],
  // errors in jq's words: runtime 5, compile 3, input and usage 2; -e: 1 for null/false, 4 for no output
  [`echo '[1,2,3]' | jq '.a'`, '', 'jq: error (at <stdin>:1): Cannot index array with "a"\n', 5],
  [`echo '{"a":1}' | jq '.[0]'`, '', 'jq: error (at <stdin>:1): Cannot index object with number\n', 5],
  [`echo 'null' | jq '.[]'`, '', 'jq: error (at <stdin>:1): Cannot iterate over null\n', 5],
  [`echo '5' | jq 'keys'`, '', 'jq: error (at <stdin>:1): number (5) has no keys\n', 5],
  [`echo '{"a":"x"}' | jq '.a + 1'`, '', 'jq: error (at <stdin>:1): string ("x") and number (1) cannot be added\n', 5],
  [`echo '1' | jq '.a |'`, '', 'jq: error: syntax error, unexpected end of file (Unix shell quoting issues?) at <top-level>, line 1:\n.a |\njq: 1 compile error\n', 3],
  [`echo '1' | jq 'foo'`, '', 'jq: error: foo/0 is not defined at <top-level>, line 1:\nfoo\njq: 1 compile error\n', 3],
  [`echo '{' | jq .`, '', 'jq: parse error: Unfinished JSON term at EOF at line 2, column 0\n', 2],
  ['jq . nofile', '', 'jq: error: Could not open nofile: No such file or directory\n', 2],
  ['jq -k .', '', 'jq: Unknown option: -k\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n', 2],
  [`echo 'null' | jq -e '.x'`, 'null\n', '', 1],
  [`echo '{}' | jq -e '.[]'`, '', '', 4],
];

describe('jq', () => {
  it.each(CASES)('%s', async (line, stdout, stderr = '', code = 0) => {
    expect(await new Sandbox().exec(line)).toEqual({ code, stdout, stderr });
  });

  it('a deeply nested input or program is refused, not a crash', async () => {
    const sb = new Sandbox();
    const deep = await sb.exec(`jq -n '${'['.repeat(400)}1${']'.repeat(400)}'`);
    expect(deep).toMatchObject({ code: 3, stderr: expect.stringContaining('jq: error: memory exhausted') });
    const endless = await sb.exec(`jq -n '[range(1e9)] | length'`);
    expect(endless.code).toBe(5);
    expect(endless.stderr).toMatch(/^jq: error \(at <unknown>|^jq: error \(at <stdin>:0\)/);
  });

  it('JSON nested 2000 deep is read and printed; deeper than the limit of jq is refused with its words', async () => {
    const sb = new Sandbox();
    sb.fs.writeFile(sb.fs.resolve(sb.shell.cwd, 'deep.json'), `${'['.repeat(2000)}${']'.repeat(2000)}`);
    expect(await sb.exec('jq -c . deep.json | wc -c')).toMatchObject({ code: 0, stdout: '4001\n' });
    sb.fs.writeFile(sb.fs.resolve(sb.shell.cwd, 'deeper.json'), `${'['.repeat(10_001)}${']'.repeat(10_001)}`);
    expect(await sb.exec('jq -c . deeper.json')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^jq: parse error: Exceeds depth limit for parsing at line 1, column \d+\n$/) });
  });

  it('kubectl JSON through jq, sed and xargs, as tutorials pipe it', async () => {
    const sb = new Sandbox();
    expect((await sb.exec("kubectl get svc -n istio-system istio-ingressgateway -o json | jq -r '.status.loadBalancer.ingress[0].ip'")).stdout).toBe('172.18.255.200\n');
    const names = await sb.exec("kubectl get pods -n istio-system -o json | jq -r '.items[].metadata.name' | sed -n '/^istiod-/p' | sed 's/-[a-z0-9]*-[a-z0-9]*$//'");
    expect(names).toEqual({ code: 0, stdout: 'istiod\n', stderr: '' });
    const labels = await sb.exec("kubectl get pods -n istio-system -o json | jq -r '.items[] | select(.metadata.labels.app == \"istiod\") | .metadata.name' | xargs -I {} kubectl get pod {} -n istio-system -o jsonpath='{.metadata.labels.app}'");
    expect(labels).toEqual({ code: 0, stdout: 'istiod', stderr: '' });
  });
});
