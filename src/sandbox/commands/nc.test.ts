/** nc: busybox's applet in the alpine pods, netcat-openbsd on the node — their own error words. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR);

describe('nc', () => {
  it('talks to tcp-echo from a pod and reports failures as busybox and netcat-openbsd do', async () => {
    const sb = new Sandbox({ samples, seed: 8 });
    await steps(sb, ['kubectl apply -f samples/curl/curl.yaml', 'kubectl apply -f samples/tcp-echo/tcp-echo.yaml']);
    await sb.cluster.advance(20_000);
    expect((await sb.exec(`kubectl exec deploy/curl -- sh -c 'printf "one\\ntwo\\n" | nc tcp-echo 9000'`)).stdout).toBe('hello one\nhello two\n');
    const bad = await sb.exec('kubectl exec deploy/curl -- sh -c "echo x | nc nosuch 80"');
    expect(bad.stderr).toBe("nc: bad address 'nosuch'\ncommand terminated with exit code 1\n");
    expect((await sb.exec('kubectl exec deploy/curl -- sh -c "echo x | nc 127.0.0.1 1"')).stderr).toBe("nc: can't connect to remote host (127.0.0.1): Connection refused\ncommand terminated with exit code 1\n");
    expect((await sb.exec('nc nosuch.invalid 80')).stderr).toBe('nc: getaddrinfo for host "nosuch.invalid" port 80: Name or service not known\n');
    expect((await sb.exec('nc 127.0.0.1 1')).stderr).toBe('nc: connect to 127.0.0.1 port 1 (tcp) failed: Connection refused\n');
  });
});
