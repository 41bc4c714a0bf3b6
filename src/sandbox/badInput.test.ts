/** Hostile or broken input ends with a clear error (or under Ctrl-C), never a hang or a crash. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from './sandbox';

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
});
