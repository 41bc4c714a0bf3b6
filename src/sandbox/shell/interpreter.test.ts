import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

async function run(script: string, sb = new Sandbox()): Promise<{ code: number; stdout: string; stderr: string }> {
  return sb.exec(script);
}

describe('shell execution', () => {
  it.each([
    ['echo hello', 'hello\n'],
    ['X=world; echo "hello $X"', 'hello world\n'],
    ['echo ${UNSET:-default}', 'default\n'],
    ['X=abc; echo ${#X}', '3\n'],
    ['F=file.yaml; echo ${F%.yaml} ${F#file.}', 'file yaml\n'],
    ['echo $(echo nested $(echo deep))', 'nested deep\n'],
    ['echo ~ ~/x a~ "~" ~x', '/home/learner /home/learner/x a~ ~ ~x\n'], // tilde expansion (bash: unquoted, at the start, alone or before /)
    ['X=~/a; echo $X', '/home/learner/a\n'],
    ['echo $((2 * (3 + 4)))', '14\n'],
    ['i=1; i=$((i+1)); echo $i', '2\n'],
    ['X="a   b"; echo $X; echo "$X"', 'a b\na   b\n'],
    ['for i in $(seq 1 3); do echo -n $i; done; echo', '123\n'],
    ['for f in a b; do echo $f; done | sort -r', 'b\na\n'],
    ['i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i', '3\n'],
    ['if [ "a" = "a" ]; then echo yes; else echo no; fi', 'yes\n'],
    ['false || echo fallback', 'fallback\n'],
    ['true && echo ok', 'ok\n'],
    ['echo one; false; echo $?', 'one\n1\n'],
    ['printf "%s-%d\\n" a 7', 'a-7\n'],
    ['seq 3 | wc -l', '3\n'],
    ['printf "b\\na\\nb\\n" | sort | uniq -c', '      1 a\n      2 b\n'],
    ['seq 10 | head -3 | tail -1', '3\n'],
    ['echo "a b c" | awk \'{print $2}\'', 'b\n'],
    ['echo hello | tr a-z A-Z', 'HELLO\n'],
    ['echo x > /tmp/f; echo y >> /tmp/f; cat /tmp/f', 'x\ny\n'],
    ['cat <<EOF\nv=$((1+1))\nEOF', 'v=2\n'],
    ["cat <<'EOF'\nv=$((1+1))\nEOF", 'v=$((1+1))\n'],
    ['grep -c a <<< "a\nb\na"', '2\n'],
    ['export A=1; env | grep ^A=', 'A=1\n'],
    ['cd /tmp && pwd', '/tmp\n'],
    // process substitution: a /dev/fd path holding the list's output, 63 first (bash subst.c), closed after the command
    ['cat <(echo hello)', 'hello\n'],
    ['echo <(true) <(true)', '/dev/fd/63 /dev/fd/62\n'],
    ['cat <(echo a) <(echo b); ls /dev/fd | wc -l', 'a\nb\n0\n'],
    ['grep -c x < <(printf "x\\ny\\nx\\n")', '2\n'],
    ['echo "$HOME"', '/home/learner\n'],
    ['ls ~/examples 2>/dev/null; echo $?', '2\n'],
  ])('%j', async (script, want) => {
    const r = await run(script);
    expect(r.stdout).toBe(want);
  });

  it('read takes one line at a time off a loop\'s redirected or piped input', async () => {
    expect((await run('printf "a b\\nc d\\n" > f\nwhile read x y; do echo "[$x|$y]"; done < f')).stdout).toBe('[a|b]\n[c|d]\n');
    expect((await run('printf "1\\n2\\n3\\n" | while read n; do echo "n=$n"; done')).stdout).toBe('n=1\nn=2\nn=3\n');
    // a last line without a newline: read assigns it but fails, so the loop does not see it
    expect((await run('printf "x\\ny" | while read v; do echo "$v"; done')).stdout).toBe('x\n');
    // a command inside the loop reads what is left of the input
    expect((await run('printf "h\\nr1\\nr2\\n" > f\n{ read head; echo "head=$head"; cat; } < f')).stdout).toBe('head=h\nr1\nr2\n');
    expect((await run('read a b <<< "1 2 3"; echo "$a/$b"')).stdout).toBe('1/2 3\n');
  });

  it('reports unknown commands the way bash does', async () => {
    const r = await run('kubeclt get pods');
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('bash: kubeclt: command not found\n');
  });

  it('reports syntax errors', async () => {
    const r = await run('for i in 1 2; do');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/syntax error/);
  });

  it('stops an endless loop at the iteration bound', async () => {
    const sb = new Sandbox({ maxLoopIterations: 50 });
    const r = await sb.exec('while true; do echo x; done');
    expect(r.code).toBe(130);
    expect(r.stdout.split('\n').length).toBeGreaterThan(40);
    expect(r.stderr).toMatch(/цикл остановлен после 50 итераций/);
  });

  it('Ctrl-C interrupts a running loop', async () => {
    const sb = new Sandbox();
    let out = '';
    const p = sb.run('while true; do curl -s http://example.com/ > /dev/null; done', (s) => (out += s));
    setTimeout(() => sb.interrupt(), 20);
    const code = await p;
    expect(code).toBe(130);
    void out;
  });

  it('stops at the step budget', async () => {
    const sb = new Sandbox({ maxSteps: 100, maxLoopIterations: 1_000_000 });
    const r = await sb.exec('while true; do true; done');
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('(песочница: командная строка остановлена после 100 команд — это предел одной строки)\n');
  });

  it('keeps variables and the working directory between commands', async () => {
    const sb = new Sandbox();
    await sb.exec('export NS=demo; cd /tmp');
    const r = await sb.exec('echo $NS $(pwd)');
    expect(r.stdout).toBe('demo /tmp\n');
  });

  it('globs files of the virtual file system', async () => {
    const sb = new Sandbox({ examples: { 'x/a.yaml': 'a', 'x/b.yaml': 'b', 'x/c.txt': 'c' } });
    const r = await sb.exec('ls examples/x/*.yaml');
    expect(r.stdout).toBe('examples/x/a.yaml  examples/x/b.yaml\n');
    const r2 = await sb.exec('cat examples/x/*.yaml');
    expect(r2.stdout).toBe('ab');
  });

  it('sleep advances the cluster clock', async () => {
    const sb = new Sandbox();
    const t0 = sb.cluster.clock.now();
    await sb.exec('sleep 2.5');
    expect(sb.cluster.clock.now() - t0).toBe(2500);
  });
});
