import { describe, expect, it } from 'vitest';
import { connect } from './testSupport';

/** The pod of ServiceA in the service-a-service-b lesson's start state (fake-service on alpine, with a sidecar). */
async function lesson() {
  const t = connect();
  await t.conn.start('service-a-service-b');
  await t.conn.run('POD=$(kubectl get pods -n demo -l app=service-a-app -o jsonpath="{.items[0].metadata.name}"); echo $POD');
  const pod = t.output().trim();
  t.clearOutput();
  const run = async (line: string): Promise<{ code: number; out: string }> => {
    t.clearOutput();
    const code = await t.conn.run(line);
    return { code, out: t.output() };
  };
  return { ...t, pod, run };
}

describe('kubectl exec -it POD -- sh: the pod’s shell in the terminal', () => {
  it('has the pod’s prompt, files, hostname and environment; exit returns to the node', async () => {
    const { conn, pod, run } = await lesson();
    expect(await run(`kubectl exec -it ${pod} -n demo -- sh`)).toEqual({ code: 0, out: '' });
    // busybox ash of alpine (fake-service's base image) as root: PS1 '\w \$ '
    expect(conn.prompt.ps1).toBe('/ # ');
    expect((await run('cat /etc/resolv.conf')).out).toBe('search demo.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const hosts = (await run('cat /etc/hosts')).out;
    expect(hosts).toMatch(/^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    expect(hosts).toMatch(new RegExp(`\\n10\\.244\\.\\d+\\.\\d+\\t${pod}\\n$`));
    expect((await run('hostname')).out).toBe(`${pod}\n`);
    const env = (await run('env')).out;
    expect(env).toContain(`HOSTNAME=${pod}\n`);
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(env).toContain('KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443\n');
    expect(env).toMatch(/\nSERVICE_A_SERVICE_HOST=10\.\d+\.\d+\.\d+\n/);
    expect(env).toContain('\nNAME=service-a\n'); // the container's own env (fake-service's NAME)
    expect(env).not.toContain('learner');
    await run('cd /etc');
    expect(conn.prompt.ps1).toBe('/etc # ');
    expect(await run('kubectl get pods')).toEqual({ code: 127, out: 'sh: kubectl: not found\n' });
    // `exit` exits with the last status, as sh does: kubectl reports it
    expect(await run('exit')).toEqual({ code: 127, out: 'command terminated with exit code 127\n' });
    expect(conn.prompt.ps1).toBeUndefined();
    expect(conn.prompt.cwd).toBe('~');
    expect((await run('hostname; echo $?')).out).toBe('bash: hostname: command not found\n127\n');
  });

  it('curl from inside the pod goes through the pod’s sidecar (a line in its access log)', async () => {
    const { conn, pod, run } = await lesson();
    await run(`kubectl exec -it ${pod} -n demo -c service-a -- sh`);
    const r = await run('curl -s -H "User-Agent: from-pod-shell" http://service-a.demo/');
    expect(r.out).toContain('"name": "service-a"');
    await run('exit 3');
    expect(conn.prompt.ps1).toBeUndefined();
    // the pod calls its own Service: the request leaves through its sidecar and comes back in through it
    const log = (await run(`kubectl logs ${pod} -n demo -c istio-proxy | grep from-pod-shell`)).out.trim().split('\n');
    expect(log).toHaveLength(2);
    expect(log.filter((l) => l.includes(' outbound|80||service-a.demo.svc.cluster.local '))).toHaveLength(1);
    expect(log.filter((l) => l.includes(' inbound|9090|| '))).toHaveLength(1);
  });

  it('busybox wget fetches through the sidecar too, with busybox’s messages', async () => {
    const { pod, run } = await lesson();
    await run(`kubectl exec -it ${pod} -n demo -- sh`);
    expect((await run('wget -qO- http://service-a.demo/')).out).toContain('"name": "service-a"');
    const loud = (await run('wget -O- service-a.demo/')).out;
    expect(loud).toMatch(/^Connecting to service-a\.demo \(10\.\d+\.\d+\.\d+:80\)\nwriting to stdout\n\{/);
    expect(loud).toMatch(/\n-                    100% \|\*{32}\| +\d+  0:00:00 ETA\nwritten to stdout\n$/);
    expect((await run('wget -q http://nosuch/; echo $?')).out).toBe("wget: bad address 'nosuch'\n1\n");
  });

  it('a non-zero exit is told as kubectl tells it', async () => {
    const { pod, run } = await lesson();
    await run(`kubectl exec -it ${pod} -n demo -- sh`);
    expect(await run('exit 3')).toEqual({ code: 3, out: 'command terminated with exit code 3\n' });
  });

  it('bash where the image has it (the sidecar’s Ubuntu image), the runtime’s error where it has none', async () => {
    const { conn, pod, run } = await lesson();
    const noBash = await run(`kubectl exec -it ${pod} -n demo -c service-a -- bash`);
    expect(noBash.code).toBe(1);
    expect(noBash.out).toBe(
      'error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown\n',
    );
    await run(`kubectl exec -it ${pod} -n demo -c istio-proxy -- bash`);
    expect(conn.prompt.ps1).toBe(`istio-proxy@${pod}:/$ `);
    expect(await run('nosuch')).toEqual({ code: 127, out: 'bash: nosuch: command not found\n' });
    await run('exit');
    await run('kubectl run fortio --image=fortio/fortio -n demo --restart=Never -- server && sleep 20');
    const distroless = await run('kubectl exec -it fortio -n demo -c fortio -- sh');
    expect(distroless.out).toContain('exec: "sh": executable file not found in $PATH: unknown\n');
    expect(conn.prompt.ps1).toBeUndefined();
  });

  it('Tab completes the container’s programs and files in its shell', async () => {
    const { conn, pod, run } = await lesson();
    await run(`kubectl exec -it ${pod} -n demo -- sh`);
    expect((await conn.complete('host', 4)).candidates).toEqual(['hostname']);
    expect((await conn.complete('kubec', 5)).candidates).toEqual([]);
    expect((await conn.complete('cat /etc/reso', 13)).candidates).toEqual(['/etc/resolv.conf']);
  });

  it('a shell the image lacks fails without -it too; kubectl exec POD -- cmd without -it runs the command and returns, as before', async () => {
    const { conn, pod, run } = await lesson();
    const r = await run(`kubectl exec ${pod} -n demo -- curl -s http://service-a.demo/`);
    expect(r.code).toBe(0);
    expect(r.out).toContain('"name": "service-a"');
    expect(conn.prompt.ps1).toBeUndefined();
    const noBash = await run(`kubectl exec ${pod} -n demo -c service-a -- bash -c 'echo hi'`);
    expect(noBash).toEqual({ code: 1, out: expect.stringContaining('exec: "bash": executable file not found in $PATH: unknown\n') });
    expect(await run(`kubectl exec ${pod} -n demo -c service-a -- sh -c 'echo hi'`)).toEqual({ code: 0, out: 'hi\n' });
  });
});
