/** pods/exec as the kubelet streams it (http/exec.ts): the same process in the container as the sandbox's own kubectl exec starts. */
import { describe, expect, it } from 'vitest';
import { parsePath } from '../api/server';
import { isStatus } from '../api/status';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';
import { prepareExec, type ExecOptions } from './exec';

const samples = readExamples(SAMPLES_DIR);

describe('pods/exec runs in the container', async () => {
  const sb = new Sandbox({ samples, seed: 7 });
  await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/curl/curl.yaml']);
  await sb.cluster.advance(20_000);
  const pod = (await sb.exec('kubectl get pod -l app=curl -o jsonpath={.items[0].metadata.name}')).stdout;

  function open(o: Partial<ExecOptions> & { command: string[] }) {
    const p = parsePath(`/api/v1/namespaces/default/pods/${pod}/exec`);
    if ('error' in p) throw new Error(p.error);
    const session = prepareExec(sb, p, { container: 'curl', stdin: false, tty: false, ...o });
    if (isStatus(session)) throw new Error(session.message);
    const seen = { out: '', err: '' };
    const status = new Promise<Record<string, unknown>>((res) => session.start({ out: (ch, d) => (ch === 1 ? (seen.out += d) : (seen.err += d)), exit: res }));
    return { session, seen, status };
  }

  /** Runs a command to its end (stdin, if any, closed at once): what it printed and the Status of the error channel. */
  async function exec(o: Partial<ExecOptions> & { command: string[] }): Promise<{ out: string; err: string; status: Record<string, unknown> }> {
    const { session, seen, status } = open(o);
    if (o.stdin && !o.tty) session.closeInput();
    const st = await status;
    return { ...seen, status: st };
  }

  it('a program the image lacks is the runtime\'s error (jq, the node\'s kubectl)', async () => {
    for (const program of ['jq', 'kubectl']) {
      const r = await exec({ command: [program, 'version'] });
      expect(r.status).toEqual({
        metadata: {},
        status: 'Failure',
        message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`,
        reason: 'InternalError',
        code: 500,
      });
      expect(r.out + r.err).toBe('');
    }
  });

  it('reads the container\'s files with the image\'s programs, and ash\'s words for a missing one', async () => {
    expect(await exec({ command: ['sh', '-c', 'sed -n 1p /etc/hostname; pwd; test -e examples || echo no examples'] })).toMatchObject({ out: `${pod}\n/home/curl_user\nno examples\n`, err: '', status: { status: 'Success' } });
    const r = await exec({ command: ['sh', '-c', 'echo {} | jq .'] });
    expect(r.err).toBe('sh: jq: not found\n');
    expect(r.status).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '127' }] } });
  });

  it('-it sh: the image shell\'s prompt, the container\'s environment with TERM, exit ends the session', async () => {
    const { session, seen, status } = open({ command: ['sh'], stdin: true, tty: true });
    const prompted = async (n: number): Promise<void> => {
      for (let i = 0; i < 100 && seen.out.split(/[~p] \$ /).length - 1 < n; i++) await new Promise((res) => setTimeout(res, 10));
    };
    await prompted(1);
    session.input('echo $HOME $TERM $HOSTNAME\r');
    await prompted(2);
    session.input('cd /tmp\r');
    await prompted(3);
    session.input('exit 3\r');
    expect(await status).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ message: '3' }] } });
    // busybox ash's PS1 '\\w \\$ ' for curl_user in its home, then in /tmp
    expect(seen.out).toBe(`~ $ echo $HOME $TERM $HOSTNAME\r\n/home/curl_user xterm ${pod}\r\n~ $ cd /tmp\r\n/tmp $ exit 3\r\n`);
  });

  it('-it bash in an alpine image is not in $PATH', async () => {
    const r = await exec({ command: ['bash'], stdin: true, tty: true });
    expect(r.status).toMatchObject({ reason: 'InternalError', message: expect.stringContaining('exec: "bash": executable file not found in $PATH') });
  });
});
