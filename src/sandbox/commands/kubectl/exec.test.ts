/** kubectl exec's exit status: a program missing from the image vs. a shell's own 127. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../../testing';

const samples = readExamples(SAMPLES_DIR);

describe('kubectl exec -- sh -c', () => {
  it('passes on the 127 of a command the shell did not find, with its message, instead of blaming sh', async () => {
    const sb = new Sandbox({ samples, seed: 6 });
    await steps(sb, ['kubectl apply -f samples/curl/curl.yaml']);
    await sb.cluster.advance(20_000);
    const r = await sb.exec('kubectl exec deploy/curl -- sh -c "nosuch"');
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/nosuch: (command )?not found\ncommand terminated with exit code 127\n$/);
    expect(r.stderr).not.toContain('executable file not found');
    // the program itself missing from the image is still the runtime's error
    expect((await sb.exec('kubectl exec deploy/curl -- nosuch')).stderr).toContain('exec: "nosuch": executable file not found in $PATH: unknown\n');
  });
});
