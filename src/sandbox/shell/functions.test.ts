/**
 * Shell functions as bash has them: `name() compound` and `function name [()] compound`,
 * $1 … $# "$@" inside, `local`, `return N`, `shift`, recursion; the sandbox's depth limit
 * (FUNCNEST's words) and process limit (the fork bomb), both stopped by Ctrl-C.
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

describe('shell functions', () => {
  it.each([
    ['f(){ echo hi; }; f', 'hi\n'],
    ['function f { echo hi; }; f; f', 'hi\nhi\n'],
    ['function f() ( echo sub )\nf', 'sub\n'],
    ['f() {\n  echo "$#:$1:$2"\n}\nf a "b c"', '2:a:b c\n'],
    ['f() { for x; do echo "[$x]"; done; }; f 1 "2 3" ""', '[1]\n[2 3]\n[]\n'],
    ['f() { printf "<%s>" "$@"; echo; }; f a "b  c"; f', '<a><b  c>\n<>\n'],
    ['f() { echo $*; }; f a   b', 'a b\n'],
    ['f() { shift; echo "$@"; shift 5; echo $?; }; f a b c', 'b c\n1\n'],
    ['f() { local v=in; echo $v; }; v=out; f; echo $v', 'in\nout\n'],
    ['f() { local v; v=in; }; f; echo "[${v:-unset}]"', '[unset]\n'],
    ['f() { g=global; }; f; echo $g', 'global\n'],
    ['f() { return 3; echo no; }; f; echo $?', '3\n'],
    ['f() { false; return; }; f; echo $?', '1\n'],
    ['fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 6', '720\n'],
    ['f() { echo out; }; f | tr a-z A-Z', 'OUT\n'],
    ['true() { echo shadowed; }; true', 'shadowed\n'], // functions come before builtins
    ['f() { echo a; }; unset -f f; f', ''],
    ['( f() { echo in; }; f ); f', 'in\n'],
    ['echo "$#"; set -- ; echo $1', '0\n\n'],
  ])('%j', async (script, stdout) => {
    expect((await new Sandbox().exec(script)).stdout).toBe(stdout);
  });

  it('a function name may be any word without quotes or $ (`:` too), the body must be a compound command', async () => {
    expect((await new Sandbox().exec(':() { echo colon; }; :')).stdout).toBe('colon\n');
    expect(await new Sandbox().exec('f() echo hi')).toEqual({ code: 2, stdout: '', stderr: "bash: syntax error near unexpected token `echo'\n" });
  });

  it('return and local outside a function are bash\'s errors', async () => {
    expect(await new Sandbox().exec('return 1; echo after $?')).toEqual({ code: 0, stdout: 'after 1\n', stderr: "bash: return: can only `return' from a function or sourced script\n" });
    expect(await new Sandbox().exec('local x')).toEqual({ code: 1, stdout: '', stderr: 'bash: local: can only be used in a function\n' });
  });

  it('return ends a sourced file', async () => {
    const sb = new Sandbox();
    sb.fs.writeFile('/tmp/lib.sh', 'echo one\nreturn 4\necho two\n');
    expect(await sb.exec('. /tmp/lib.sh; echo $?')).toEqual({ code: 0, stdout: 'one\n4\n', stderr: '' });
  });

  it('sh -c and sh FILE take positional parameters', async () => {
    const sb = new Sandbox();
    sb.fs.writeFile('/tmp/s.sh', 'echo "$#:$1:$2"\n');
    expect((await sb.exec("sh -c 'echo $1-$2' name a b; sh /tmp/s.sh x 'y z'")).stdout).toBe('a-b\n2:x:y z\n');
  });

  it('endless recursion stops at the sandbox depth in FUNCNEST\'s words, or at FUNCNEST when it is set; the line ends with status 1', async () => {
    const sb = new Sandbox();
    expect(await sb.exec('deep() { deep; }; deep; echo not reached')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bash: deep: maximum function nesting level exceeded (1000)\n(песочница: рекурсия функции остановлена на глубине 1000)\n',
    });
    expect(await sb.exec('FUNCNEST=5; n=0; f() { n=$((n+1)); f; }; f; echo $n')).toEqual({ code: 1, stdout: '', stderr: 'bash: f: maximum function nesting level exceeded (5)\n' });
    expect((await sb.exec('echo $n; echo alive')).stdout).toBe('5\nalive\n');
  });

  it('the fork bomb meets the process limit: bash\'s fork messages, status 126, and the sandbox lives on', async () => {
    const sb = new Sandbox();
    const r = await sb.exec(':(){ :|:& };:');
    expect(r.code).toBe(126);
    expect(r.stderr).toBe(
      `${'bash: fork: retry: Resource temporarily unavailable\n'.repeat(4)}bash: fork: Resource temporarily unavailable\n(песочница: одновременно не больше 256 процессов — fork-бомба остановлена)\n`,
    );
    expect((await sb.exec('bomb() { bomb & bomb; }; bomb')).code).toBe(126);
    expect((await sb.exec('echo alive')).stdout).toBe('alive\n');
  });

  it.each([
    ['f() { sleep 0.001; f; }; f'],
    ['f() { while true; do :; done; }; f'],
    ['g() { :; }; f() { while true; do g | g & g; done; }; f'],
  ])('Ctrl-C stops %j within 100 ms', async (script) => {
    const sb = new Sandbox();
    const running = sb.run(script);
    await new Promise((r) => setTimeout(r, 20));
    const pressed = performance.now();
    sb.interrupt();
    const code = await running;
    const took = performance.now() - pressed;
    expect(code).toBe(130);
    // a shared CI machine is no stopwatch: the bound here is loose, `npm run fuzz` measures 100 ms
    expect(took).toBeLessThan(1000);
    expect((await sb.exec('echo alive')).stdout).toBe('alive\n');
  });
});
