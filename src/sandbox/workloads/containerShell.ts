/**
 * A process run in a container by `kubectl exec` — one implementation for the sandbox's own
 * kubectl (commands/kubectl/exec.ts) and for pods/exec as the kubelet streams it to the real
 * kubectl (http/exec.ts): the image's programs only, the container's files (the kubelet's
 * /etc/hosts, /etc/resolv.conf, /etc/hostname; made anew for each exec) and its environment
 * (PATH, HOSTNAME, the Kubernetes service variables, the container's env, HOME; TERM=xterm only
 * when a tty was asked for), and a missing program as the container runtime reports it.
 */
import type { Cluster } from '../cluster';
import type { CommandSpec } from '../commands/types';
import { wgetCommand } from '../commands/wget';
import { sudoCommand, tcpdumpCommand } from '../commands/tcpdump';
import { isRecord, type KubeObject } from '../api/types';
import type { PodRuntime } from '../network/fabric';
import { Shell } from '../shell/interpreter';
import { containerPrograms, imageShell, notFoundMessage, podFs, serviceEnv, shellPrompt, type ImageShell } from './podShell';
import { clusterVolumeSources, mountedFiles, type VolumeSources } from './volumes';
import { containerResourceValue, extractFieldPathAsString } from '../api/fieldpath';

export interface ContainerExec {
  cluster: Cluster;
  /** The sandbox's whole command table; the container gets the image's programs out of it. */
  commands: ReadonlyMap<string, CommandSpec>;
  pod: KubeObject;
  runtime: PodRuntime;
  container: string;
  /** The program exec starts (argv[0]: sh, /bin/sh, bash, curl…). */
  program: string;
  /** A terminal was asked for (-t): TERM=xterm is set. */
  tty: boolean;
}

/** The container's spec in the pod. */
function containerSpec(pod: KubeObject, container: string): Record<string, unknown> | undefined {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  // a container, or an init container (a native sidecar such as istio-proxy)
  return [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])].filter(isRecord).find((c) => c.name === container);
}

/** The image of a container of the pod ('' when unknown). */
export function containerImage(pod: KubeObject, container: string): string {
  const image = containerSpec(pod, container)?.image;
  return typeof image === 'string' ? image : '';
}

/** The program's name as a shell looks it up (exec of /bin/sh or /usr/bin/curl finds sh, curl). */
export const programName = (p: string): string => p.replace(/^.*\//, '');

/**
 * What containerd answers when the program exec names is not in the image (runc's
 * "executable file not found in $PATH"), as the kubelet's streaming server returns it on the
 * error channel: a Status with reason InternalError, which kubectl prints as `error: MESSAGE`.
 */
export function notInPathMessage(program: string): string {
  return `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`;
}

/**
 * The files and home of an image without a shell (FROM scratch, distroless): only what the
 * kubelet mounts, in /. Its programs (fortio's /usr/bin/fortio) still run with them.
 */
const SCRATCH: ImageShell = { flavour: 'busybox', bash: false, user: 'root', home: '/', workdir: '/', tools: [] };

/**
 * The process exec starts in the container, as a shell of the sandbox: the image's programs, the
 * container's files and environment. startsIn tells whether exec finds the program at all.
 */
export function containerShell(o: ContainerExec): Shell {
  const name = o.pod.metadata.name ?? '';
  const ns = o.pod.metadata.namespace ?? 'default';
  const image = containerImage(o.pod, o.container);
  const sh = imageShell(image);
  const origin = { kind: 'pod' as const, pod: o.runtime, container: o.container };
  // the kubelet sets no_new_privs unless the container allows privilege escalation
  const spec0 = containerSpec(o.pod, o.container);
  const noNewPrivs = !(isRecord(spec0?.securityContext) && spec0.securityContext.allowPrivilegeEscalation === true);
  const curl = o.commands.get('curl');
  const commands = new Map<string, CommandSpec>();
  for (const n of containerPrograms(image)) {
    const spec = n === 'hostname' ? hostnameCommand(name) : n === 'wget' && curl ? wgetCommand(curl) : n === 'sudo' ? sudoCommand(noNewPrivs) : n === 'tcpdump' ? tcpdumpCommand() : o.commands.get(n);
    if (spec) commands.set(n, sh && (n === 'sh' || n === 'bash') ? speaksAs(spec, notFoundMessage(sh, n)) : spec);
  }
  // alpine's /bin/ash is busybox's ash applet, the shell /bin/sh is
  const ash = commands.get('sh');
  if (sh?.flavour === 'busybox' && ash) commands.set('ash', ash);
  const home = sh ?? SCRATCH;
  const fs = podFs({ namespace: ns, podName: name, podIp: o.runtime.ip, shell: home, now: () => o.cluster.clock.now() });
  const podSpec = isRecord(o.pod.spec) ? o.pod.spec : {};
  const sources = clusterVolumeSources(o.cluster.client, o.pod, () => o.cluster.clock.now());
  const mounted = mountedFiles(podSpec, o.container, sources, o.pod.metadata);
  for (const [path, content] of Object.entries(mounted.files)) {
    fs.mkdirp(path.replace(/\/[^/]*$/, '') || '/');
    fs.writeFile(path, content);
  }
  for (const dir of mounted.mountPaths) fs.mkdirp(dir);
  const shell = new Shell(fs, o.cluster, commands, {}, origin);
  shell.vars.clear();
  const c = o.cluster.client;
  const list = (n: string): KubeObject[] => {
    const l = c.list(c.kind('Service'), n);
    return l.ok ? l.value : [];
  };
  const services = [...list(ns), ...list('default').filter((s) => s.metadata.name === 'kubernetes')];
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: name,
    ...(o.tty ? { TERM: 'xterm' } : {}),
    ...serviceEnv(services),
    ...plainEnv(o.runtime.containers.find((x) => x.name === o.container)?.env ?? {}, spec0),
    ...resolvedEnv(o.cluster, o.pod, spec0, sources),
    HOME: home.home,
    ...(sh ? { SHLVL: '1' } : {}),
  };
  for (const [key, value] of Object.entries(env)) shell.vars.set(key, { value, exported: true });
  shell.cwd = home.workdir;
  if (sh) shell.notFound = notFoundMessage(sh, o.program);
  shell.analyzer = undefined;
  return shell;
}

/**
 * The runtime's variables less the valueFrom ones: resolvedEnv gives those, and leaves out what the
 * kubelet leaves unset (an optional ConfigMap or Secret key that is missing).
 */
function plainEnv(env: Record<string, string>, container: Record<string, unknown> | undefined): Record<string, string> {
  const fromRefs = new Set((Array.isArray(container?.env) ? container.env.filter(isRecord) : []).filter((e) => isRecord(e.valueFrom)).map((e) => String(e.name)));
  return Object.fromEntries(Object.entries(env).filter(([name]) => !fromRefs.has(name)));
}

/**
 * The values the kubelet gives a container's valueFrom variables (kubernetes pkg/kubelet/kubelet_pods.go
 * makeEnvironmentVariables): podFieldSelectorRuntimeValue for the pod's fields (spec.nodeName,
 * spec.serviceAccountName, status.hostIP(s), status.podIP(s), else the metadata), the container's
 * limit or the node's allocatable for resourceFieldRef (rounded up to the divisor: cores, bytes),
 * and the key of a ConfigMap or Secret.
 */
function resolvedEnv(cluster: Cluster, pod: KubeObject, container: Record<string, unknown> | undefined, sources: VolumeSources): Record<string, string> {
  const out: Record<string, string> = {};
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const st = isRecord(pod.status) ? pod.status : {};
  const c = cluster.client;
  const ips = (v: unknown): string => (Array.isArray(v) ? v.filter(isRecord).map((x) => String(x.ip ?? '')).join(',') : '');
  for (const e of Array.isArray(container?.env) ? container.env.filter(isRecord) : []) {
    if (!isRecord(e.valueFrom) || typeof e.name !== 'string') continue;
    const vf = e.valueFrom;
    if (isRecord(vf.fieldRef)) {
      const path = String(vf.fieldRef.fieldPath ?? '');
      const byPath: Record<string, unknown> = { 'spec.nodeName': spec.nodeName, 'spec.serviceAccountName': spec.serviceAccountName, 'status.hostIP': st.hostIP, 'status.hostIPs': ips(st.hostIPs), 'status.podIP': st.podIP, 'status.podIPs': ips(st.podIPs) };
      out[e.name] = String(path in byPath ? byPath[path] ?? '' : extractFieldPathAsString(pod.metadata, path) ?? '');
    } else if (isRecord(vf.resourceFieldRef)) {
      const nodes = c.get(c.kind('Node'), undefined, String(spec.nodeName ?? ''));
      const node = nodes.ok ? nodes.value : undefined;
      const resource = String(vf.resourceFieldRef.resource ?? '').replace(/^(limits|requests)\./, '');
      const allocatable = node && isRecord(node.status) && isRecord(node.status.allocatable) ? node.status.allocatable[resource] : undefined;
      out[e.name] = containerResourceValue(vf.resourceFieldRef, container, allocatable);
    } else if (isRecord(vf.configMapKeyRef) || isRecord(vf.secretKeyRef)) {
      const secret = !isRecord(vf.configMapKeyRef);
      const ref = (secret ? vf.secretKeyRef : vf.configMapKeyRef) as Record<string, unknown>;
      const data = secret ? sources.secret(String(ref.name ?? '')) : sources.configMap(String(ref.name ?? ''));
      const value = data?.[String(ref.key ?? '')];
      if (typeof value !== 'string') continue;
      try {
        out[e.name] = secret ? atob(value) : value;
      } catch {
        // a Secret's data that is not base64: the apiserver would not have stored it; nothing to give
      }
    }
  }
  return out;
}

/** Whether exec finds `program` in the container (the image has it); if not, notInPathMessage. */
export function startsIn(shell: Shell, program: string): boolean {
  return shell.commands.has(programName(program));
}

/** The command line that runs exec's argv in the container's shell: the words as given, not re-parsed. */
export function argvLine(argv: string[]): string {
  return argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

/**
 * The prompt of an interactive shell in the container (`kubectl exec -it POD -- sh`), with the
 * image's defaults (see shellPrompt); '' for an image without a shell.
 */
export function containerPrompt(pod: KubeObject, container: string, program: string, shell: Shell): string {
  const sh = imageShell(containerImage(pod, container));
  return sh ? shellPrompt(sh, program, pod.metadata.name ?? '', shell.cwd) : '';
}

/** The image's sh or bash: the shell it starts reports a missing command in its own words. */
function speaksAs(spec: CommandSpec, notFound: (name: string) => string): CommandSpec {
  return {
    ...spec,
    run: (c) =>
      spec.run({
        ...c,
        nestedShell: (origin) => {
          const sub = c.nestedShell(origin);
          sub.notFound = notFound;
          return sub;
        },
      }),
  };
}

function hostnameCommand(podName: string): CommandSpec {
  return {
    name: 'hostname',
    summary: 'print the host name (the pod name)',
    run: async (ctx) => {
      ctx.out(`${podName}\n`);
      return 0;
    },
  };
}
