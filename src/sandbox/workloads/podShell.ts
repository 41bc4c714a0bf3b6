/**
 * What `kubectl exec -it POD -- sh` finds in a container: which shells its image has, the user
 * and working directory, the prompt its shell prints, the files the kubelet mounts into every
 * container (/etc/hosts, /etc/resolv.conf, /etc/hostname) and the environment (the container's
 * env and the Kubernetes service variables).
 */
import type { KubeObject } from '../api/types';
import { isRecord } from '../api/types';
import { Vfs } from '../shell/vfs';
import { lookupImage, parseImage } from './images';

export type ShellFlavour = 'busybox' | 'debian';

export interface ImageShell {
  flavour: ShellFlavour;
  /** bash is installed (Debian/Ubuntu-based images); busybox images have only sh (ash). */
  bash: boolean;
  user: string;
  home: string;
  /** The image's WORKDIR (where the shell starts). */
  workdir: string;
  /** Programs besides the shell's own applets. */
  tools: string[];
}

/**
 * The applets of busybox (alpine) and the programs of a Debian/Ubuntu base that the sandbox implements:
 * coreutils, and sed, xargs (findutils) and diff (diffutils), which are Essential packages there and
 * applets in busybox's default configuration (editors/sed.c, findutils/xargs.c, editors/diff.c).
 * jq is in none of the sample images (curlimages/curl adds only curl to alpine; Istio's base image
 * installs no jq); `column` comes with bsdmainutils, which only Istio's proxy image installs.
 */
export const POD_COREUTILS = ['echo', 'printf', 'cat', 'ls', 'grep', 'sort', 'uniq', 'head', 'tail', 'wc', 'seq', 'sleep', 'tr', 'base64', 'cut', 'awk', 'tee', 'mkdir', 'rm', 'touch', 'date', 'clear', 'env', 'which', 'hostname', 'sed', 'xargs', 'diff'];

/**
 * The shell of a container's image, or undefined for images without one (scratch/distroless:
 * fortio, go-httpbin, pause). Sources: fake-service's Dockerfile (FROM alpine, `apk add curl`,
 * ENTRYPOINT /app/fake-service, no WORKDIR, root); curlimages/curl (alpine, USER curl_user,
 * WORKDIR /home/curl_user); istio/proxyv2 (Ubuntu base with bash and curl, USER istio-proxy);
 * nginx, httpbin, the bookinfo and helloworld samples (Debian/Ubuntu, root); fortio/fortio
 * (FROM scratch); mccutchen/go-httpbin (distroless).
 */
export function imageShell(image: string): ImageShell | undefined {
  const kind = lookupImage(image)?.kind;
  const repo = parseImage(image).repository;
  const root = { user: 'root', home: '/root', workdir: '/' };
  switch (kind) {
    case 'fake-service':
      return { flavour: 'busybox', bash: false, ...root, tools: ['curl', 'wget'] };
    case 'sleep':
      return { flavour: 'busybox', bash: false, ...root, tools: ['wget'] };
    case 'curl':
      return { flavour: 'busybox', bash: false, user: 'curl_user', home: '/home/curl_user', workdir: '/home/curl_user', tools: ['curl'] };
    case 'proxyv2':
    case 'pilot':
      // istio/istio docker/Dockerfile.base (ubuntu:noble): curl, bsdmainutils (column), sudo, tcpdump…;
      // pilot/docker/Dockerfile.proxyv2 adds pilot-agent and envoy
      return { flavour: 'debian', bash: true, user: 'istio-proxy', home: '/home/istio-proxy', workdir: '/', tools: ['curl', 'column', 'sudo', 'tcpdump', ...(kind === 'proxyv2' ? ['pilot-agent'] : [])] };
    case 'nginx':
      return { flavour: 'debian', bash: true, ...root, tools: ['curl'] };
    case 'httpbin':
      return repo.includes('go-httpbin') ? undefined : { flavour: 'debian', bash: true, ...root, tools: [] };
    case 'bookinfo':
      // samples/bookinfo/src/ratings/Dockerfile: node:18.16-slim with curl, WORKDIR /opt/microservices,
      // USER 1000 (the node image's "node"); istio.io's getting started curls productpage from it
      if (repo.endsWith('-ratings-v1') || repo.endsWith('-ratings-v2')) return { flavour: 'debian', bash: true, user: 'node', home: '/home/node', workdir: '/opt/microservices', tools: ['curl'] };
      return { flavour: 'debian', bash: true, ...root, tools: [] };
    case 'helloworld':
      return { flavour: 'debian', bash: true, ...root, tools: [] };
    default:
      return undefined;
  }
}

/**
 * The programs a container of `image` can run, by name: its shell and applets when it has a shell, and
 * the program a shell-less image is built around (fortio/fortio: FROM scratch with /usr/bin/fortio).
 */
export function containerPrograms(image: string): string[] {
  const sh = imageShell(image);
  const own = lookupImage(image)?.kind === 'fortio' ? ['fortio'] : [];
  if (!sh) return own;
  return [...POD_COREUTILS, ...(sh.flavour === 'busybox' ? ['nc'] : []), ...sh.tools, ...(sh.bash ? ['sh', 'bash'] : ['sh']), ...own];
}

/** Whether `program` (as exec names it: sh, /bin/sh, bash…) is a shell the image has. */
export function hasShell(sh: ImageShell | undefined, program: string): boolean | undefined {
  const name = program.replace(/^\/(?:usr\/)?bin\//, '');
  if (name !== 'sh' && name !== 'bash' && name !== 'ash') return undefined;
  if (!sh) return false;
  if (name === 'bash') return sh.bash;
  if (name === 'ash') return sh.flavour === 'busybox';
  return true;
}

/**
 * The prompt the shell prints with the image's defaults: busybox ash's PS1 is '\w \$ '
 * ("/ # " for root), dash's is "# " / "$ ", bash's from Debian's /etc/bash.bashrc
 * '\u@\h:\w\$ ' ("root@POD:/# ").
 */
export function shellPrompt(sh: ImageShell, program: string, hostname: string, cwd: string): string {
  const sign = sh.user === 'root' ? '#' : '$';
  const w = cwd === sh.home ? '~' : cwd.startsWith(`${sh.home}/`) ? `~${cwd.slice(sh.home.length)}` : cwd;
  const name = program.replace(/^\/(?:usr\/)?bin\//, '');
  if (name === 'bash') return `${sh.user}@${hostname}:${w}${sign} `;
  if (sh.flavour === 'debian') return `${sign} `;
  return `${w} ${sign} `;
}

/** What the shell says for a command the image lacks: ash "sh: X: not found", dash "sh: 1: X: not found", bash "bash: X: command not found". */
export function notFoundMessage(sh: ImageShell, program: string): (name: string) => string {
  const name = program.replace(/^\/(?:usr\/)?bin\//, '');
  if (name === 'bash') return (n) => `bash: ${n}: command not found`;
  if (sh.flavour === 'debian') return (n) => `sh: 1: ${n}: not found`;
  return (n) => `sh: ${n}: not found`;
}

const envName = (service: string): string => service.toUpperCase().replace(/-/g, '_');

/**
 * The Kubernetes service variables of a container (kubelet envvars.FromServices): for each
 * Service with a ClusterIP in the pod's namespace, and the `kubernetes` Service of default:
 * NAME_SERVICE_HOST, NAME_SERVICE_PORT (first port), NAME_SERVICE_PORT_<PORTNAME>, NAME_PORT,
 * NAME_PORT_<port>_<PROTO> and its _PROTO, _PORT, _ADDR.
 */
export function serviceEnv(services: KubeObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const svc of services) {
    const spec = isRecord(svc.spec) ? svc.spec : {};
    const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
    if (!ip || ip === 'None') continue;
    const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isRecord);
    if (!ports.length) continue;
    const n = envName(svc.metadata.name ?? '');
    env[`${n}_SERVICE_HOST`] = ip;
    env[`${n}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (typeof p.name === 'string' && p.name) env[`${n}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    const proto = (typeof ports[0].protocol === 'string' ? ports[0].protocol : 'TCP').toLowerCase();
    env[`${n}_PORT`] = `${proto}://${ip}:${ports[0].port}`;
    for (const p of ports) {
      const pr = (typeof p.protocol === 'string' ? p.protocol : 'TCP').toLowerCase();
      const key = `${n}_PORT_${p.port}_${pr.toUpperCase()}`;
      env[key] = `${pr}://${ip}:${p.port}`;
      env[`${key}_PROTO`] = pr;
      env[`${key}_PORT`] = String(p.port);
      env[`${key}_ADDR`] = ip;
    }
  }
  return env;
}

/**
 * The files the kubelet mounts into each container (kubelet_pods.go managedHostsFileContent,
 * the resolv.conf of dnsPolicy ClusterFirst as containerd writes it), and the home and working
 * directories of the image.
 */
export function podFs(opts: { namespace: string; podName: string; podIp: string; shell: ImageShell; now: () => number }): Vfs {
  const fs = new Vfs(opts.now);
  fs.mkdirp('/etc');
  fs.writeFile(
    '/etc/hosts',
    `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${opts.podIp}\t${opts.podName}\n`,
  );
  fs.writeFile('/etc/resolv.conf', `search ${opts.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
  fs.writeFile('/etc/hostname', `${opts.podName}\n`);
  for (const d of ['/tmp', '/bin', '/usr/bin', '/var', opts.shell.home, opts.shell.workdir]) fs.mkdirp(d);
  return fs;
}
