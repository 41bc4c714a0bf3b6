/** Hostile or broken input ends with a clear error (or under Ctrl-C), never a hang or a crash. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from './sandbox';
import { sandboxValidation } from '../validation/sandbox';

describe('bad input', () => {
  it('a YAML alias bomb is refused', async () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) {
      const prev = String.fromCharCode(97 + i);
      const cur = String.fromCharCode(98 + i);
      bomb.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const sb = new Sandbox({ examples: { 'bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  ${bomb.join('\n  ')}\n` } });
    const t = Date.now();
    const r = await sb.exec('kubectl apply -f examples/bomb.yaml');
    expect(Date.now() - t).toBeLessThan(2000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: error parsing examples\/bomb\.yaml: error converting YAML to JSON: yaml: /);
  });

  it('a 5 MB paste is handled without hanging', async () => {
    const line = 'x'.repeat(1000);
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\ndata:\n${Array.from({ length: 5000 }, (_, i) => `  k${i}: ${line}`).join('\n')}\n`;
    expect(big.length).toBeGreaterThan(5_000_000);
    const sb = new Sandbox({ examples: { 'big.yaml': big } });
    const t = Date.now();
    const r = await sb.exec('kubectl apply -f examples/big.yaml');
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(r.stdout + r.stderr).toMatch(/configmap\/big created|error/);
  });

  it('binary junk is rejected with a YAML error', async () => {
    let junk = '';
    for (let i = 0; i < 2000; i++) junk += String.fromCharCode((i * 7919) % 256);
    const sb = new Sandbox({ examples: { 'junk.bin': junk } });
    const r = await sb.exec('kubectl apply -f examples/junk.bin');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: error parsing examples\/junk\.bin: error converting YAML to JSON: yaml: /);
  });

  it('a deeply nested document is refused', async () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const sb = new Sandbox({ examples: { 'deep.yaml': deep } });
    const r = await sb.exec('kubectl apply -f examples/deep.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: error parsing examples\/deep\.yaml: /);
  });

  it('an unknown kind gets the resource-mapping error', async () => {
    const sb = new Sandbox();
    const r = await sb.exec("kubectl apply -f - <<'EOF'\napiVersion: bar/v1\nkind: Foo\nmetadata:\n  name: x\nEOF");
    expect(r.stderr).toBe('error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "Foo" in version "bar/v1"\nensure CRDs are installed first\n');
  });

  it('`while true; do curl …; done` stops under Ctrl-C and the engine keeps working', async () => {
    const sb = new Sandbox();
    const p = sb.run('while true; do curl -s http://example.com/ > /dev/null; done');
    await new Promise((r) => setTimeout(r, 30));
    sb.interrupt();
    expect(await p).toBe(130);
    const after = await sb.exec('echo still alive');
    expect(after.stdout).toBe('still alive\n');
  });

  it('a huge seq and an endless pipe are bounded', async () => {
    const sb = new Sandbox({ maxLoopIterations: 1000 });
    const r = await sb.exec('seq 1 100000000');
    expect(r.stderr).toMatch(/too long/);
    const r2 = await sb.exec('while true; do echo y; done | head -1');
    expect(r2.code).toBe(130);
  });

  it('a runaway command substitution recursion is stopped by the step budget', async () => {
    const sb = new Sandbox({ maxSteps: 500 });
    await sb.exec("echo 'sh loop.sh' > loop.sh");
    const r = await sb.exec('sh loop.sh');
    expect(r.code).toBeGreaterThan(0);
  });

  // ---- found by the fuzzing suite (tests/fuzz, npm run fuzz) and the reproducers of issue 16 ----

  it("a file that sources itself stops at the sandbox's source nesting limit, in bash's words for that limit, status 1 (fuzz: bombs #2924: Ctrl-C took more than 100 ms to unwind 100 000 levels)", async () => {
    const sb = new Sandbox();
    const r = await sb.exec("echo 'source /tmp/s.sh' > /tmp/s.sh; source /tmp/s.sh; echo \"status $?\"");
    expect(r.stderr).toBe('bash: source: maximum source nesting level exceeded (1000)\n');
    expect(r.stdout).toBe('status 1\n');
    // nesting below the limit is untouched
    expect((await sb.exec("echo 'echo deep' > /tmp/c.sh; echo '. /tmp/c.sh' > /tmp/b.sh; . /tmp/b.sh")).stdout).toBe('deep\n');
  });

  it.each([
    ['sh FILE', "echo 'sh /tmp/r.sh' > /tmp/r.sh; sh /tmp/r.sh"],
    ['bash -c with a pipe of two', `echo 'bash -c "sh /tmp/r.sh | sh /tmp/r.sh"' > /tmp/r.sh; sh /tmp/r.sh`],
  ])('a script that starts itself (%s) ends where fork fails, in bash\'s words (jobs.c make_child), status 126 (fuzz: bombs)', async (_name, line) => {
    const sb = new Sandbox();
    const r = await sb.exec(line);
    expect(r.stderr).toBe('bash: fork: Resource temporarily unavailable\n');
    expect((await sb.exec('echo $?')).stdout).toBe('126\n');
    expect((await sb.exec('sh -c "sh -c \'exit 3\'"; echo $?')).stdout).toBe('3\n');
  });

  it.each([
    ['deep ${X:- nesting', `echo ${'${X:-'.repeat(5000)}a${'}'.repeat(5000)}`],
    ['deep $( nesting', `echo ${'$('.repeat(3000)}echo a${')'.repeat(3000)}`],
    ['deep subshells', `${'( '.repeat(3000)}echo a${' )'.repeat(3000)}`],
    ['deep if', `${'if true; then '.repeat(500)}echo a${'; fi'.repeat(500)}`],
  ])('%s ends in a bash-worded limit, not a stack overflow', async (_name, line) => {
    const sb = new Sandbox();
    const r = await sb.exec(line);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bash: вложенность глубже 100 уровней: песочница такое не выполняет\n');
    expect((await sb.exec('echo alive')).stdout).toBe('alive\n');
  });

  it('arithmetic is 64-bit like bash: 2**2**2**2**2**2**2 wraps to 2, deep parentheses hit the recursion limit', async () => {
    const sb = new Sandbox();
    expect((await sb.exec('echo $((2**2**2**2**2**2**2)) $((2**63)) $((2**64)) $((9223372036854775807 + 1))')).stdout).toBe('2 -9223372036854775808 0 -9223372036854775808\n');
    const r = await sb.exec(`echo $((${'('.repeat(5000)}1${')'.repeat(5000)}))`);
    expect(r.stderr).toMatch(/^bash: \(+1\)+: expression recursion level exceeded \(error token is "/);
    expect((await sb.exec('echo $((2**-1))')).stderr).toBe('bash: 2**-1: exponent less than 0 (error token is "1")\n');
  });

  it('${V%[} and other patterns with an unclosed [ read the [ literally, as bash does', async () => {
    const sb = new Sandbox();
    expect((await sb.exec('V=abc; echo "${V%[}" "${V%c}" "${V#[ab]}" "${V%%[!a]*}"; W="x["; echo "${W%[}"')).stdout).toBe('abc ab bc a\nx\n');
  });

  it('pattern removal and globbing stay linear on long values', async () => {
    const sb = new Sandbox();
    const r = await sb.exec(`X=$(printf '%020000d' 0); Y="\${X%%*0*0*0*0*0*0*1}"; echo \${#Y}`);
    expect(r.stdout).toBe('20000\n');
  });

  it('20 000 here-documents in one script are read in linear time', async () => {
    const sb = new Sandbox();
    const script = Array.from({ length: 20_000 }, (_, i) => `cat <<E\n${i}\nE`).join('\n');
    const r = await sb.exec(script);
    expect(r.stdout).toBe(Array.from({ length: 20_000 }, (_, i) => `${i}\n`).join(''));
  });

  it('more than 16 here-documents on one line: bash\'s limit', async () => {
    const sb = new Sandbox();
    const r = await sb.exec(`cat ${'<<E '.repeat(17)}\n${'x\nE\n'.repeat(17)}`);
    expect(r.stderr).toBe('bash: maximum here-document count exceeded\n');
    expect(r.code).toBe(2);
  });

  it('`for i in 1 2 3<4 5 6; do "kubectl ` is a syntax error (it used to loop forever in the parser)', async () => {
    const sb = new Sandbox();
    const r = await sb.exec('for i in 1 2 3<4 5 6; do "kubectl ');
    expect(r).toEqual({ code: 2, stdout: '', stderr: "bash: syntax error near unexpected token `<'\n" });
  });

  it.each([
    ["awk '/([a-z]+)*[0-9]/'", ''],
    ["grep -E '(a|a)*$b'", ''],
    ["grep -cE '(x+x+)+y'", '0\n'],
    ["awk -F '(a|a)*b' '{print NF}'", '1\n'],
  ])('catastrophic regular expressions run in linear time: %s', async (tool, out) => {
    const sb = new Sandbox();
    const r = await sb.exec(`printf '%s\\n' ${'a'.repeat(30_000)}! | ${tool}`);
    expect(r.stdout).toBe(out);
  });

  it("grep's invalid patterns get GNU grep's words", async () => {
    const sb = new Sandbox();
    for (const [pat, msg] of [
      ["'['", 'Unmatched [, [^, [:, [., or [='],
      ["-E '('", 'Unmatched ( or \\('],
      ["'a\\{2,1\\}'", 'Invalid content of \\{\\}'],
      ["'[:space:]'", 'character class syntax is [[:space:]], not [:space:]'],
    ]) {
      const r = await sb.exec(`echo x | grep ${pat}`);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `grep: ${msg}\n` });
    }
  });

  it('watch takes -n as procps does: not a number is refused, below 0.1 s means 0.1 s', async () => {
    const sb = new Sandbox({ maxLoopIterations: 1000 });
    expect(await sb.exec('watch -n x echo hi')).toEqual({ code: 1, stdout: '', stderr: "watch: failed to parse argument: 'x'\n" });
    const r = await sb.exec('SANDBOX_WATCH_IDLE=1 watch -n -1 echo hi');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Every 0\.1s: echo hi/);
  });

  it("watch's options end at the command (getopt \"+\"): the command keeps its own -n, the header is procps's", async () => {
    const sb = new Sandbox();
    const r = await sb.exec('SANDBOX_WATCH_IDLE=1 watch --interval=1 kubectl get pods -n istio-system');
    expect(r.stderr).toBe('');
    const [header, blank, columns] = r.stdout.split('\n');
    expect(header).toMatch(/^Every 1\.0s: kubectl get pods -n istio-system +sandbox: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    expect(header).toHaveLength(80);
    expect(blank).toBe('');
    expect(columns).toMatch(/^NAME +READY +STATUS/);
    expect(r.stdout).toContain('istiod-');
  });

  it('a 200 000-deep flow mapping is refused before parsing, by kubectl and by the validation engine', async () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'{a: '.repeat(200_000)}1${'}'.repeat(200_000)}\n`;
    const sb = new Sandbox({ examples: { 'deep.yaml': deep } });
    const r = await sb.exec('kubectl apply -f examples/deep.yaml');
    expect(r.stderr).toBe('error: error parsing examples/deep.yaml: error converting YAML to JSON: yaml: exceeded max depth of 200\n');
  });

  it("an anchor that contains itself is go-yaml's error (through two aliases the depth check took exponential time; issue 16)", async () => {
    const cyclic = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: &a ${'[*a, '.repeat(9)}1${']'.repeat(9)}\n`;
    const shared = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  labels: &l {a: b}\n  annotations: *l\n';
    const sb = new Sandbox({ examples: { 'cyclic.yaml': cyclic, 'shared.yaml': shared } });
    const r = await sb.exec('kubectl apply -f examples/cyclic.yaml');
    expect(r.stderr).toBe("error: error parsing examples/cyclic.yaml: error converting YAML to JSON: yaml: anchor 'a' value contains itself\n");
    expect(await sb.exec('kubectl apply -f examples/shared.yaml')).toMatchObject({ code: 0, stdout: 'configmap/shared created\n' });
    expect((await sb.exec('kubectl get cm shared -o jsonpath={.metadata.annotations.a}')).stdout).toBe('b');
  });

  /** Runs a command line and presses Ctrl-C at the engine's first pause (no stopwatch: the pause is what is tested). */
  async function interruptAtFirstPause(sb: Sandbox, line: string): Promise<{ code: number; out: string }> {
    let out = '';
    const running = sb.run(line, (s) => (out += s), (s) => (out += s));
    setTimeout(() => sb.interrupt(), 0);
    return { code: await running, out };
  }

  it('kubectl apply of 3000 documents pauses between them: Ctrl-C stops it and the sandbox goes on (issue 16)', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join('---\n');
    const sb = new Sandbox({ examples: { 'many.yaml': many } });
    const r = await interruptAtFirstPause(sb, 'kubectl apply -f examples/many.yaml');
    expect(r.code).toBe(130);
    expect(r.out).toMatch(/\^C\n$/);
    expect(r.out.match(/created/g)?.length ?? 0).toBeLessThan(3000);
    expect((await sb.exec('echo alive')).stdout).toBe('alive\n');
  });

  it('watch -n 1e9 in virtual time still hears Ctrl-C (it sleeps 31 days in steps)', async () => {
    const sb = new Sandbox();
    let out = '';
    // Ctrl-C once the first screen is out, i.e. while watch sleeps
    const running = sb.run('watch -n 1e9 echo hi', (s) => {
      out += s;
      if (s.includes('hi\n')) setTimeout(() => sb.interrupt(), 0);
    });
    expect(await running).toBe(130);
    expect(out).toMatch(/^Every 2678400\.0s: echo hi/);
  });

  it('wc counts lines, words, characters and bytes as GNU wc does', async () => {
    const sb = new Sandbox();
    expect((await sb.exec("printf 'a b\\tc\\n😀é x\\n' | wc")).stdout).toBe('      2       5      15\n');
    expect((await sb.exec("printf 'a b\\tc\\n😀é x\\n' | wc -m")).stdout).toBe('11\n');
    expect((await sb.exec("printf 'a b\\tc\\n😀é x\\n' | wc -c -l")).stdout).toBe('      2      15\n');
    expect((await sb.exec('seq 1 500000 > /tmp/big; cat /tmp/big /tmp/big /tmp/big > /tmp/big2; wc -l /tmp/big2')).stdout).toBe('1500000 /tmp/big2\n');
  });

  it('a YAML error names its line, as go-yaml does', async () => {
    const sb = new Sandbox();
    const r = await sb.exec("kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n    c: d\nEOF");
    expect(r.stderr).toMatch(/^error: error parsing STDIN: error converting YAML to JSON: yaml: line [67]: /);
  });

  it('a for loop over 200 000 words meets the loop budget, not a JavaScript argument limit (push(...words) overflowed)', async () => {
    const sb = new Sandbox();
    const r = await sb.exec('for i in $(seq 1 200000); do true; done');
    expect(r.stderr).toBe('(песочница: цикл остановлен после 10000 итераций)\n');
    expect((await sb.exec('echo $(seq 1 200000) | wc -w')).stdout).toBe('200000\n');
  });

  it('a word that doubles without end stops at 16 MiB with bash\'s allocation error, not an internal error', async () => {
    const sb = new Sandbox();
    const r = await sb.exec('X=$(seq 1 10327); while true; do X="$X$X"; done');
    expect(r.stderr).toMatch(/^bash: xrealloc: cannot allocate \d+ bytes \(песочница: в одном слове не больше 16 МиБ\)\n$/);
    expect((await sb.exec('echo alive')).stdout).toBe('alive\n');
  });

  it('a redirection whose directory does not exist fails before the command, as bash opens it first (>> too)', async () => {
    const sb = new Sandbox();
    expect(await sb.exec('echo a >> http://example.com/; echo $?')).toEqual({ code: 0, stdout: '1\n', stderr: 'bash: http://example.com/: No such file or directory\n' });
    expect((await sb.exec('echo a >> /tmp/z; echo b >> /tmp/z; cat /tmp/z')).stdout).toBe('a\nb\n');
  });

  it("curl -D to a place it cannot open stops before the transfer with curl's error (it was a TypeError)", async () => {
    const sb = new Sandbox();
    expect(await sb.exec('curl -o /dev/null -D /nonexistent/h http://example.com/')).toEqual({ code: 23, stdout: '', stderr: 'curl: Failed to open /nonexistent/h\n' });
    expect((await sb.exec('curl -s -D ~ http://example.com/')).stderr).toBe('curl: Failed to open /home/learner\n'); // ~ is the shell's tilde expansion
  });

  it('tee and touch name a file they cannot create in GNU words (they were internal errors)', async () => {
    const sb = new Sandbox();
    expect(await sb.exec('echo hi | tee /tmp/ok /nonexistent/x; echo $?; cat /tmp/ok')).toEqual({ code: 0, stdout: 'hi\n1\nhi\n', stderr: 'tee: /nonexistent/x: No such file or directory\n' });
    expect(await sb.exec('touch /nonexistent/y')).toEqual({ code: 1, stdout: '', stderr: "touch: cannot touch '/nonexistent/y': No such file or directory\n" });
  });

  it('a word of thousands of unclosed [ is an ordinary word (glob patterns without a closing ] stay literal)', async () => {
    const sb = new Sandbox();
    const word = `$[${'$['.repeat(9000)}1`;
    expect((await sb.exec(`echo ${word}`)).stdout).toBe(`${word}\n`);
  });

  it('openssl stops at Ctrl-C while WebCrypto searches for an RSA key\'s primes (it waited for the key: up to a second)', async () => {
    const sb = new Sandbox();
    let out = '';
    // Ctrl-C once `echo` is done, i.e. while openssl waits for the key
    const running = sb.run('echo go; openssl genrsa 4096', (s) => {
      out += s;
      if (s === 'go\n') setTimeout(() => sb.interrupt(), 0);
    });
    expect(await running).toBe(130);
    expect(out).not.toContain('PRIVATE KEY');
    expect((await sb.exec('echo alive')).stdout).toBe('alive\n');
  });

  it('a YAML document larger than etcd stores is refused before parsing (a 3.5 MiB one took a second in one block); the others still apply', async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: 40_000 }, (_, i) => `  k${i}: ${'v'.repeat(40)}`).join('\n')}\n`;
    const sb = new Sandbox({ examples: { 'big.yaml': big, 'small.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: small\n' } });
    const r = await sb.exec('kubectl apply -f examples/big.yaml -f examples/small.yaml');
    expect(r).toEqual({ code: 1, stdout: 'configmap/small created\n', stderr: 'error: error reading examples/big.yaml: a YAML document of 1.9 MiB is larger than the sandbox reads (1.5 MiB, the largest object etcd stores)\n' });
    // many documents of an ordinary size are read one by one, whatever their total
    const many = Array.from({ length: 3 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: part${i}\ndata:\n${Array.from({ length: 15_000 }, (_, j) => `  k${j}: ${'v'.repeat(40)}`).join('\n')}\n`).join('');
    sb.fs.writeFile('/tmp/many.yaml', many);
    expect((await sb.exec('kubectl apply -f /tmp/many.yaml')).stdout).toBe('configmap/part0 created\nconfigmap/part1 created\nconfigmap/part2 created\n');
  });

  it('splitting a million fields hears Ctrl-C (`for i in $(seq 1 989160)` split them in one block)', async () => {
    const sb = new Sandbox();
    let out = '';
    const running = sb.run(
      // the split is the line's last work: only a pause inside it can hear the Ctrl-C
      'X=$(seq 1 989160); echo go; : $X $X',
      (s) => {
        out += s;
        if (s === 'go\n') setTimeout(() => sb.interrupt(), 0);
      },
      (s) => (out += s),
    );
    expect(await running).toBe(130);
    expect(out).toMatch(/^go\n\^C\n$/);
    expect((await sb.exec('echo $(seq 1 5) "a  b" x$(echo "1 2")y')).stdout).toBe('1 2 3 4 5 a  b x1 2y\n');
  });

  it('Ctrl-C and the budgets end a line inside `source` too (they were printed as the file\'s error and the line went on)', async () => {
    const sb = new Sandbox();
    const r = await sb.exec("echo 'while true; do :; done' > /tmp/l.sh; source /tmp/l.sh; echo after");
    expect(r).toEqual({ code: 130, stdout: '', stderr: '(песочница: цикл остановлен после 10000 итераций)\n' });
    expect(await sb.exec("echo 'echo (' > /tmp/e.sh; source /tmp/e.sh; echo after")).toEqual({ code: 0, stdout: 'after\n', stderr: "bash: /tmp/e.sh: syntax error near unexpected token `('\n" });
    expect(await sb.exec("echo 'echo hi; X=1' > /tmp/ok.sh; . /tmp/ok.sh; echo $X")).toEqual({ code: 0, stdout: 'hi\n1\n', stderr: '' });
  });

  it('fields that are mappings with a `toString` key never reach String() (defaults, selectors and the kubelet threw TypeError)', async () => {
    const deployment = (name: string, app: string): string =>
      `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"r"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":${app}}},"template":{"metadata":{"labels":{"app":"r"}},"spec":{"containers":[{"name":${name},"image":"nginx"}]}}}}`;
    const sb = new Sandbox();
    sb.fs.writeFile('/tmp/a.json', deployment('{"toString":{"a":1},"valueOf":{"b":2}}', '"r"'));
    sb.fs.writeFile('/tmp/b.json', deployment('"c"', '{"toString":{"a":1}}'));
    expect(await sb.exec('kubectl apply -f /tmp/a.json')).toEqual({ code: 0, stdout: 'deployment.apps/r created\n', stderr: '' });
    expect((await sb.exec('kubectl get pods')).stderr).toBe('');
    expect((await sb.exec('kubectl apply -f /tmp/b.json')).stderr).toMatch(/^The Deployment "r" is invalid: /);
  });

  it("a Service port's name and an EnvoyFilter's priority that are mappings with a `toString` key are field errors, not TypeError (found by npm run fuzz, type-confusion)", async () => {
    const confusing = '{"toString":{"a":1},"valueOf":{"b":2}}';
    const sb = new Sandbox();
    sb.fs.writeFile('/tmp/svc.json', `{"apiVersion":"v1","kind":"Service","metadata":{"name":"orders"},"spec":{"type":"NodePort","selector":{"app":"orders"},"ports":[{"name":${confusing},"port":9090},{"name":${confusing},"port":{"toString":1}}]}}`);
    const svc = await sb.exec('kubectl apply -f /tmp/svc.json');
    expect(svc.stderr).toMatch(/^The Service "orders" is invalid: \n\* spec\.ports\[1\]\.port: Invalid value: .*\n\* spec\.ports\[1\]\.name: Duplicate value: /);
    const analyzing = new Sandbox(sandboxValidation);
    analyzing.fs.writeFile('/tmp/ef.yaml', 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: ef\nspec:\n  priority: {toString: toString}\n  configPatches:\n  - applyTo: HTTP_FILTER\n    patch:\n      operation: INSERT_BEFORE\n      value: {name: x}\n');
    const ef = await analyzing.exec('istioctl analyze /tmp/ef.yaml');
    expect(ef.stdout + ef.stderr).toContain('Error [IST0106] (EnvoyFilter ef /tmp/ef.yaml:6) Schema validation error: spec.priority: Invalid value: "object"');
    expect(ef.stdout + ef.stderr).not.toMatch(/TypeError|internal error/);
  });
});
