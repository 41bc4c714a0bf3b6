import { describe, expect, it } from 'vitest';
import type { Command, List, SimpleCommand, Word } from './ast';
import { isIncomplete, parse, ParseError, parsePaced } from './parser';

/** A compact rendering of a parsed script, to write the tests as tables. */
function show(list: List): string {
  const word = (w: Word): string =>
    w
      .map((p) => {
        if (p.t === 'lit') return p.quoted ? `'${p.v}'` : p.v;
        if (p.t === 'param') return `\${${p.name}${p.op ?? ''}${p.arg ? show1(p.arg) : ''}}`;
        if (p.t === 'cmd') return `$(${show(p.script)})`;
        if (p.t === 'procsub') return `<(${show(p.script)})`;
        return `$((${p.expr}))`;
      })
      .join('');
  const show1 = (w: Word): string => word(w);
  const cmd = (c: Command): string => {
    switch (c.type) {
      case 'simple': {
        const s = c as SimpleCommand;
        const parts = [...s.assigns.map((a) => `${a.name}=${word(a.value)}`), ...s.words.map(word)];
        for (const r of s.redirects) parts.push(r.heredoc ? `<<[${r.heredoc.expand ? '' : 'raw:'}${JSON.stringify(r.heredoc.body)}]` : `${r.fd}${r.op}${r.target ? word(r.target) : ''}`);
        return parts.join(' ');
      }
      case 'for':
        return `for ${c.variable} in ${(c.items ?? []).map(word).join(' ')} { ${show(c.body)} }`;
      case 'while':
        return `${c.until ? 'until' : 'while'} ${show(c.condition)} { ${show(c.body)} }`;
      case 'if':
        return `if ${c.branches.map((b) => `${show(b.condition)} then ${show(b.body)}`).join(' elif ')}${c.otherwise ? ` else ${show(c.otherwise)}` : ''} fi`;
      case 'group':
        return `${c.subshell ? '(' : '{'} ${show(c.body)} ${c.subshell ? ')' : '}'}`;
      case 'function':
        return `function ${c.name} ${cmd(c.body)}`;
    }
  };
  return list.items
    .map((ao) => {
      const pl = (p: (typeof ao)['first']) => `${p.negate ? '! ' : ''}${p.commands.map(cmd).join(' | ')}`;
      return `${pl(ao.first)}${ao.rest.map((r) => ` ${r.op} ${pl(r.pipeline)}`).join('')}${ao.background ? ' &' : ''}`;
    })
    .join('; ');
}

describe('parser', () => {
  it.each([
    ['echo hello world', 'echo hello world'],
    ["echo 'a b' \"c d\"", "echo 'a b' 'c d'"],
    ['echo a\\ b', "echo a' 'b"],
    ['echo $HOME ${USER} "$X/y"', "echo ${HOME} ${USER} ''${X}'/y'"],
    ['echo ${X:-def} ${#X}', 'echo ${X:-def} ${Xlen}'],
    ['echo "$(kubectl get pods)"', "echo ''$(kubectl get pods)''"],
    ['echo `date`', 'echo $(date)'],
    ['echo $((1 + 2))', 'echo $((1 + 2))'],
    ['a | b | c', 'a | b | c'],
    ['a && b || c', 'a && b || c'],
    ['a; b\nc', 'a; b; c'],
    ['a &', 'a &'],
    ['X=1 Y="2 3" cmd', "X=1 Y='2 3' cmd"],
    ['X=', 'X='],
    ['cmd > out 2>&1', 'cmd 1>out 2>&1'],
    ['cmd >> log 2>/dev/null', 'cmd 1>>log 2>/dev/null'],
    ['cat < in', 'cat 0<in'],
    ['grep x <<< "text"', "grep x 0<<<'text'"],
    ['for i in 1 2 3; do echo $i; done', 'for i in 1 2 3 { echo ${i} }'],
    ['for i in $(seq 1 3)\ndo\n  echo $i\ndone', 'for i in $(seq 1 3) { echo ${i} }'],
    ['while true; do curl x; done', 'while true { curl x }'],
    ['until false; do break; done', 'until false { break }'],
    ['if [ -f a ]; then echo y; elif true; then echo z; else echo n; fi', 'if [ -f a ] then echo y elif true then echo z else echo n fi'],
    ['{ a; b; } > f', '{ a; b }'],
    ['(cd /tmp && ls)', '( cd /tmp && ls )'],
    ['! grep x f', '! grep x f'],
    ['echo a # comment', 'echo a'],
    ['# only a comment', ''],
    ['echo "a\\"b" \'c\\d\'', "echo 'a\"b' 'c\\d'"],
    ['kubectl get pods -o jsonpath=\'{.items[*].metadata.name}\'', "kubectl get pods -o jsonpath='{.items[*].metadata.name}'"],
    ["curl -w '%{http_code}\\n' http://x/", "curl -w '%{http_code}\\n' http://x/"],
    ['echo a \\\n  b', 'echo a b'],
    // function definitions: POSIX `name() compound`, bash `function name [()] compound` (parse.y function_def)
    ['f(){ echo hi; }; f', 'function f { echo hi }; f'],
    ['f () {\n  echo $1\n}', 'function f { echo ${1} }'],
    ['f()\n{ echo a; }', 'function f { echo a }'],
    ['function g { echo a; }', 'function g { echo a }'],
    ['function g() ( echo a )', 'function g ( echo a )'],
    ['f() if true; then echo y; fi', 'function f if true then echo y fi'],
    [':(){ :|:& };:', 'function : { : | : & }; :'],
  ])('%j', (src, want) => {
    expect(show(parse(src))).toBe(want);
  });

  it('reads here-documents, expanding unless the delimiter is quoted', () => {
    expect(show(parse('kubectl apply -f - <<EOF\nkind: $K\nEOF\necho done'))).toBe('kubectl apply -f - <<["kind: $K\\n"]; echo done');
    expect(show(parse("cat <<'EOF'\n$X\nEOF"))).toBe('cat <<[raw:"$X\\n"]');
    expect(show(parse('cat <<-EOF\n\tindented\n\tEOF'))).toBe('cat <<["indented\\n"]');
  });

  it.each([
    ['echo "unterminated', true],
    ["echo 'x", true],
    ['for i in 1 2; do echo', true],
    ['if true; then', true],
    ['| grep x', false],
    ['a && && b', false],
    ['echo )', false],
    ['f() {', true],
    ['function f', true],
    ['f() echo hi', false],
    ['function { echo; }', false],
    ['echo f()', false],
  ])('rejects %j (incomplete=%s)', (src, incomplete) => {
    try {
      parse(src);
      throw new Error('parsed');
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).incomplete).toBe(incomplete);
      expect((e as ParseError).message).toMatch(/^bash: /);
    }
  });
});

describe('isIncomplete (interactive continuation)', () => {
  it.each([
    ['echo hi', false],
    ['for i in 1 2; do', true],
    ['cat <<EOF', true],
    ['cat <<EOF\nx', true],
    ['cat <<EOF\nx\nEOF', false],
    ['echo "open', true],
    ['kubectl get pods |', true],
    ['a &&', true],
    ['echo a \\', true],
    ['echo )', false],
  ])('%j → %s', (src, want) => {
    expect(isIncomplete(src)).toBe(want);
  });
});

describe('parsePaced (a whole pasted script, read with pauses for Ctrl-C)', () => {
  it('reads what parse() reads, pausing every 256 commands of a script of 20 000 here-documents', async () => {
    const script = Array.from({ length: 20_000 }, (_, i) => `cat <<EOF\nline ${i} $X $(echo x)\nEOF`).join('\n');
    let pauses = 0;
    const list = await parsePaced(script, async () => {
      pauses++;
    });
    expect(list).toEqual(parse(script));
    expect(pauses).toBe(Math.floor(20_000 / 256));
  });

  it('stops where a pause throws (Ctrl-C) and still reports syntax errors after the last command', async () => {
    const script = Array.from({ length: 1000 }, () => 'echo a').join('\n');
    await expect(parsePaced(script, () => Promise.reject(new Error('^C')))).rejects.toThrow('^C');
    await expect(parsePaced(`${script}\necho )`, async () => undefined)).rejects.toThrow("bash: syntax error near unexpected token `)'");
    expect(await parsePaced('{ echo a; (echo b); }; echo c', async () => undefined)).toEqual(parse('{ echo a; (echo b); }; echo c'));
  });
});

