/**
 * pods/exec: a command run in a container of a pod, as the kubelet's streaming server runs it
 * (k8s.io/kubelet/pkg/cri/streaming and remotecommand). The transport (WebSocket channels,
 * see node.ts) is not this module's business: it gets stdin and hands out stdout, stderr and
 * the final Status (the error channel of v4/v5.channel.k8s.io).
 *
 * The process is the one the sandbox's own kubectl exec starts (workloads/containerShell.ts):
 * the image's programs, the container's files and environment; a program the image lacks is
 * the container runtime's error, returned as the kubelet returns it (an InternalError Status).
 *
 * With a TTY and a shell without -c (`kubectl exec -it POD -- sh`) the session is interactive:
 * the image shell's prompt, echo and line editing as the terminal driver does, one command line per Enter.
 */
import { parsePath } from '../api/server';
import { isStatus, type Status } from '../api/status';
import { isRecord, type KubeObject } from '../api/types';
import type { Sandbox } from '../sandbox';
import type { Shell } from '../shell/interpreter';
import { hasShell } from '../workloads/podShell';
import { argvLine, containerPrompt, containerShell, notInPathMessage, startsIn } from '../workloads/containerShell';
import { statusOf } from './handler';
import { containerStatus } from '../controllers/kubelet';

type Parsed = Exclude<ReturnType<typeof parsePath>, { error: string }>;

export interface ExecOptions {
  command: string[];
  container?: string;
  stdin: boolean;
  tty: boolean;
}

export interface ExecIo {
  out(channel: 1 | 2, data: string): void;
  /** The command ended: the Status for the error channel. */
  exit(status: Record<string, unknown>): void;
}

/** Checks the pod and container the way the apiserver and kubelet do before upgrading. */
export function prepareExec(sb: Sandbox, p: Parsed, o: ExecOptions): ExecSession | Status {
  const res = sb.cluster.server.handle({ method: 'GET', path: `/api/v1/namespaces/${p.namespace}/pods/${p.name}` });
  if (isStatus(res.body)) return res.body;
  const pod = res.body as KubeObject;
  if (o.command.length === 0) return statusOf(400, 'BadRequest', 'you must specify at least one command for the container');
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const names = (Array.isArray(spec.containers) ? spec.containers : []).filter(isRecord).map((c) => String(c.name));
  const inits = (Array.isArray(spec.initContainers) ? spec.initContainers : []).filter(isRecord).map((c) => String(c.name));
  const container = o.container || names[0];
  // kubernetes pkg/registry/core/pod/strategy.go ExecLocation: the init containers are named too
  if (!o.container && names.length > 1)
    return statusOf(400, 'BadRequest', `a container name must be specified for pod ${p.name}, choose one of: [${names.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`);
  if (!names.includes(container) && !inits.includes(container)) return statusOf(400, 'BadRequest', `container ${container} is not valid for pod ${p.name}`);
  const cs = containerStatus(pod.status, container);
  if (!cs || !isRecord(cs.state) || !cs.state.running) return statusOf(400, 'BadRequest', `container not found ("${container}")`);
  const rt = sb.cluster.network.podByName(p.namespace ?? '', p.name ?? '');
  if (!rt) return statusOf(400, 'BadRequest', 'pod not running');
  const shell = containerShell({ cluster: sb.cluster, commands: sb.commands, pod, runtime: rt, container, program: o.command[0], tty: o.tty });
  return new ExecSession(sb, shell, { ...o, container }, () => containerPrompt(pod, container, o.command[0], shell));
}

export class ExecSession {
  private stdinText = '';
  private line = '';
  private stdinClosed = false;
  private started = false;
  private done = false;
  private io: ExecIo | undefined;
  private busy: Promise<void> = Promise.resolve();
  private escape = '';

  constructor(
    private readonly sb: Sandbox,
    private readonly shell: Shell,
    readonly opts: ExecOptions,
    /** The prompt of the image's shell (an interactive session). */
    private readonly prompt: () => string,
  ) {}

  private get interactive(): boolean {
    const argv = this.opts.command;
    return this.opts.tty && this.opts.stdin && argv.length === 1 && hasShell(undefined, argv[0]) !== undefined; // sh, bash, ash (whether the image has it: start)
  }

  /** Starts the command; without stdin it runs at once, with stdin once stdin is closed. */
  start(io: ExecIo): void {
    this.io = io;
    // the runtime cannot start a program the image does not have
    if (!startsIn(this.shell, this.opts.command[0])) {
      this.started = true;
      this.done = true;
      io.exit({ metadata: {}, status: 'Failure', message: notInPathMessage(this.opts.command[0]), reason: 'InternalError', code: 500 });
      return;
    }
    if (this.interactive) {
      this.started = true;
      io.out(1, this.prompt());
      return;
    }
    if (!this.opts.stdin) void this.runOnce();
  }

  input(data: string): void {
    if (this.done) return;
    if (this.interactive) {
      for (const ch of data) this.key(ch);
      return;
    }
    this.stdinText += data;
  }

  /** stdin ended (v5 close frame, or the client half-closed). */
  closeInput(): void {
    if (this.stdinClosed) return;
    this.stdinClosed = true;
    if (this.interactive) this.finish(0);
    else if (!this.started) void this.runOnce();
  }

  kill(): void {
    this.done = true;
    this.shell.interrupt();
  }

  private async runOnce(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const nl = (s: string): string => (this.opts.tty ? s.replace(/\r?\n/g, '\r\n') : s);
    const code = await this.shell.run(argvLine(this.opts.command), { stdin: this.stdinText, out: (s) => this.io?.out(1, nl(s)), err: (s) => this.io?.out(this.opts.tty ? 1 : 2, nl(s)) }, { addToHistory: false });
    this.finish(code);
  }

  private finish(code: number): void {
    if (this.done) return;
    this.done = true;
    if (code === 0) this.io?.exit({ metadata: {}, status: 'Success' });
    else
      this.io?.exit({
        metadata: {},
        status: 'Failure',
        message: `command terminated with non-zero exit code: error executing command [${this.opts.command.join(' ')}], exit code ${code}`,
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
      });
  }

  /** The terminal driver of an interactive session: echo, erase, ^C, ^D, Enter. */
  private key(ch: string): void {
    const io = this.io!;
    if (this.escape) {
      this.escape += ch;
      if (/^\x1b(\[[0-9;]*[A-Za-z~]|O.|[^[O])$/.test(this.escape)) this.escape = '';
      return;
    }
    if (ch === '\x1b') {
      this.escape = ch;
      return;
    }
    if (ch === '\r' || ch === '\n') {
      io.out(1, '\r\n');
      const line = this.line;
      this.line = '';
      this.busy = this.busy.then(() => this.runLine(line));
      return;
    }
    if (ch === '\x7f' || ch === '\b') {
      if (this.line) {
        this.line = this.line.slice(0, -1);
        io.out(1, '\b \b');
      }
      return;
    }
    if (ch === '\x03') {
      this.shell.interrupt();
      this.line = '';
      io.out(1, `^C\r\n${this.prompt()}`);
      return;
    }
    if (ch === '\x04') {
      if (!this.line) {
        io.out(1, '\r\n');
        this.finish(0);
      }
      return;
    }
    if (ch >= ' ') {
      this.line += ch;
      io.out(1, ch);
    }
  }

  private async runLine(line: string): Promise<void> {
    if (this.done) return;
    const m = /^\s*exit(?:\s+(\d+))?\s*$/.exec(line);
    if (m) {
      this.finish(Number(m[1] ?? this.shell.lastStatus));
      return;
    }
    if (line.trim()) {
      await this.shell.run(line, { out: (s) => this.io?.out(1, s.replace(/\r?\n/g, '\r\n')), err: (s) => this.io?.out(1, s.replace(/\r?\n/g, '\r\n')) });
      this.sb.cluster.sync();
      // `exit` further into a line (`false || exit 3`) ends the shell as well
      if (this.shell.exited) {
        this.finish(this.shell.lastStatus);
        return;
      }
    }
    if (!this.done) this.io?.out(1, this.prompt());
  }
}
