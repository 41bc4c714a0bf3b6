/**
 * The sandbox: a cluster, a file system with the course's manifests, and a shell with the
 * commands. This is the one object the terminal (Web Worker), the CLI and the tests create.
 */
import { Cluster } from './cluster';
import { breathe, ManualClock, type Clock } from './core/clock';
import { COREUTILS } from './commands/coreutils';
import { curl } from './commands/curl';
import { nc } from './commands/nc';
import { fortio } from './commands/fortio';
import { pilotAgent } from './commands/pilotAgent';
import { openssl } from './commands/openssl';
import { istioctl } from './commands/istioctl';
import { kubectl } from './commands/kubectl/index';
import { currentNamespace, setNamespace } from './commands/kubectl/kubeconfig';
import { complete, type Completion } from './shell/completion';
import type { AnalyzedFile, CommandSpec, OpenApiDocuments } from './commands/types';
import type { SchemaValidator } from './api/admission';
import { KINDS } from './api/kinds';
import { ISTIO_VERSION } from '../istio/version';
import type { KubeObject } from './api/types';
import { Shell, type ShellOptions } from './shell/interpreter';
import { ParseError, parsePaced } from './shell/parser';
import { HOME, Vfs } from './shell/vfs';
import { assertSnapshot, restoreShell, shellSnapshot, SNAPSHOT_LOG_LINES, SNAPSHOT_VERSION, type SandboxSnapshot } from './snapshot';

export interface SandboxOptions extends ShellOptions {
  clock?: Clock;
  seed?: number;
  /** Files to place under ~/examples (relative path → content). */
  examples?: Record<string, string>;
  /** Where to mount them (default ~/examples). */
  mountPoint?: string;
  /** Istio's samples/ (our own copies in the repository's samples/), mounted under ~/samples. */
  samples?: Record<string, string>;
  /**
   * Schema validation for admission (e.g. `schemaValidator` from src/validation): its field
   * errors reject `kubectl apply` the way the apiserver would.
   */
  validator?: SchemaValidator;
  /**
   * `istioctl analyze` over the cluster's objects (e.g. analyzeObjects + formatIstioctl from
   * src/validation): returns the lines istioctl prints. Without it a small built-in set runs.
   */
  analyzer?: (objects: KubeObject[], namespace: string | undefined, files: AnalyzedFile[]) => string[];
  /** The OpenAPI v3 documents `kubectl explain` reads (openApiDocument of src/sandbox/http/openapi.ts). */
  openApi?: OpenApiDocuments;
}

/** The id of the first terminal's session (the shell a snapshot keeps). */
export const MAIN_SESSION = '1';

/** Sandbox.fromSnapshot's token to its constructor (see there). */
const RESTORING: unique symbol = Symbol('restoring');

export class Sandbox {
  readonly cluster: Cluster;
  readonly fs: Vfs;
  readonly shell: Shell;
  readonly commands = new Map<string, CommandSpec>();
  /** The shells of further terminals on this sandbox (see shellOf); the first terminal's is `shell`. */
  private readonly sessions = new Map<string, Shell>();
  private opts: SandboxOptions;

  /** With RESTORING (fromSnapshot only): restore() follows at once, so the cluster starts bare (ClusterOptions.bare). */
  constructor(opts: SandboxOptions = {}, restoring?: typeof RESTORING) {
    this.opts = opts;
    this.cluster = new Cluster({ clock: opts.clock, seed: opts.seed, bare: restoring === RESTORING });
    this.fs = new Vfs(() => this.cluster.clock.now());
    setNamespace(this.fs, 'default');
    if (opts.examples) this.fs.mount(opts.mountPoint ?? `${HOME}/examples`, opts.examples);
    if (opts.samples) this.fs.mount(`${HOME}/samples`, opts.samples);
    for (const c of [...COREUTILS, kubectl, istioctl, curl, nc, fortio, pilotAgent, openssl, this.shCommand('sh'), this.shCommand('bash'), this.helpCommand()]) this.commands.set(c.name, c);
    this.shell = new Shell(this.fs, this.cluster, this.commands, opts);
    this.useValidation(opts);
  }

  /**
   * Plugs in schema validation for admission and/or the analyzers of `istioctl analyze`
   * (see SandboxOptions). Also after construction: the browser loads the validation engine
   * while the learner reads, and the sandbox works with the built-in checks until then.
   */
  useValidation({ validator, analyzer, openApi }: Pick<SandboxOptions, 'validator' | 'analyzer' | 'openApi'>): void {
    if (openApi) {
      this.opts = { ...this.opts, openApi };
      for (const sh of this.shells()) sh.openApi = openApi;
    }
    if (validator) {
      this.opts = { ...this.opts, validator };
      this.cluster.server.admission.registerValidator('schema', validator);
    }
    if (analyzer) {
      this.opts = { ...this.opts, analyzer };
      this.shell.analyzer = (ns, files) => {
        const c = this.cluster.client;
        const objs = KINDS.filter((k) => k.group.endsWith('istio.io') || ['Namespace', 'Service', 'Pod', 'Deployment', 'Secret'].includes(k.kind)).flatMap((k) => {
          const l = c.list(k);
          return l.ok ? l.value : [];
        });
        return analyzer(objs, ns, files);
      };
      for (const sh of this.sessions.values()) sh.analyzer = this.shell.analyzer;
    }
  }

  private shells(): Shell[] {
    return [this.shell, ...this.sessions.values()];
  }

  /**
   * The shell of terminal `session` on this sandbox: each terminal is its own shell session
   * (working directory, variables, history, `$?`, its running command and Ctrl-C) over the one
   * cluster and file system (so the kubeconfig's namespace is shared, as it is a file). The first
   * terminal ('1' or no id) is `shell`; another is created on first use, in ~ with the variables
   * the first terminal exports at that moment (the lesson's INGRESS_HOST and the like), as a new
   * terminal window gets the environment its session was started with.
   */
  shellOf(session?: string): Shell {
    if (session === undefined || session === MAIN_SESSION) return this.shell;
    let sh = this.sessions.get(session);
    if (!sh) {
      sh = new Shell(this.fs, this.cluster, this.commands, this.opts);
      for (const [k, v] of this.shell.vars) if (v.exported) sh.vars.set(k, { ...v });
      sh.analyzer = this.shell.analyzer;
      sh.openApi = this.shell.openApi;
      sh.editor = this.shell.editor;
      this.sessions.set(session, sh);
    }
    return sh;
  }

  /** A terminal was closed: its running command is stopped and its shell forgotten. */
  closeSession(session: string): void {
    const sh = this.sessions.get(session);
    if (!sh) return;
    sh.interrupt();
    this.sessions.delete(session);
  }

  /** Runs a command line (in terminal `session`'s shell); output goes to the callbacks. Resolves with the exit status. */
  run(line: string, out: (s: string) => void = () => undefined, err: (s: string) => void = () => undefined, session?: string): Promise<number> {
    return this.shellOf(session).run(line, { out, err });
  }

  /** Runs and returns stdout/stderr (tests). */
  exec(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return this.shell.capture(line);
  }

  /** Tab completion at `cursor` in `line` (relative to terminal `session`'s working directory). */
  complete(line: string, cursor: number = line.length, session?: string): Completion {
    // in a pod's shell (kubectl exec -it): the container's programs and files
    const pod = this.shellOf(session).interactive?.shell;
    if (pod)
      return complete(line, cursor, {
        commands: [...pod.commands.keys(), 'cd', 'export', 'pwd', 'unset', 'exit'],
        fs: pod.fs,
        cwd: pod.cwd,
        client: this.cluster.client,
        namespace: currentNamespace(this.fs),
      });
    return complete(line, cursor, {
      commands: [...this.commands.keys(), 'cd', 'export', 'pwd', 'unset', 'source', 'exit'],
      fs: this.fs,
      cwd: this.shellOf(session).cwd,
      client: this.cluster.client,
      namespace: currentNamespace(this.fs),
    });
  }

  /** What a prompt shows: the kubeconfig namespace and the working directory (with ~); in a pod's shell, its prompt. */
  prompt(session?: string): { namespace: string; cwd: string; ps1?: string } {
    const sh = this.shellOf(session);
    // a pod's shell holding the terminal (kubectl exec -it): its own prompt, e.g. "/ # "
    if (sh.interactive) return { namespace: currentNamespace(this.fs), cwd: sh.interactive.shell.cwd, ps1: sh.interactive.prompt() };
    const dir = sh.cwd;
    const cwd = dir === HOME ? '~' : dir.startsWith(`${HOME}/`) ? `~${dir.slice(HOME.length)}` : dir;
    return { namespace: currentNamespace(this.fs), cwd };
  }

  /**
   * The whole observable state as plain JSON (take it between commands). Captured: the
   * apiserver's objects and resourceVersion counter (uids, timestamps), the clock's time, the
   * PRNG state, ClusterIP / pod IP / LoadBalancer IP allocators, the kubelet's memory, container
   * logs (the newest `maxLogLines` per container, default SNAPSHOT_LOG_LINES = 1000), each
   * proxy's load-balancer / outlier-detection / in-flight state and stats, port-forwards, the
   * file system (mounted examples by reference), the first terminal's shell: cwd, variables,
   * history and last status. Not captured: other terminals' shells (a reload reopens the first), running or background jobs (`cmd &`'s pending end, `wait`), derived
   * caches (istiod, mesh config, address tables: re-derived), and the options (validator,
   * analyzer, examples: pass the same ones to the sandbox you restore into).
   */
  snapshot(opts: { maxLogLines?: number } = {}): SandboxSnapshot {
    return {
      version: SNAPSHOT_VERSION,
      cluster: this.cluster.snapshot(opts.maxLogLines ?? SNAPSHOT_LOG_LINES),
      fs: this.fs.snapshot(),
      shell: shellSnapshot(this.shell),
    };
  }

  /**
   * Replaces this sandbox's state with a snapshot. Meant for a fresh sandbox constructed with
   * the same options (examples, mountPoint, validator…) and any clock: a clock behind the
   * snapshot's time is moved forward when it can skip (ManualClock, WarpClock); a clock ahead
   * keeps its time. No controller runs and no watch event fires while restoring, so nothing is
   * created, logged or recorded twice. Throws an Error, leaving the sandbox unchanged, when the
   * version is unknown, the shape is malformed, or it refers to example files not mounted here.
   */
  restore(snapshot: unknown): void {
    assertSnapshot(snapshot);
    this.fs.restore(snapshot.fs);
    this.cluster.restore(snapshot.cluster);
    restoreShell(this.shell, snapshot.shell);
  }

  /** A new sandbox with `opts`, restored from `snapshot` (see restore()). */
  static fromSnapshot(snapshot: unknown, opts: SandboxOptions = {}): Sandbox {
    // the starting objects a new cluster makes (bootstrap: namespaces, node, Istio) are all replaced
    const sb = new Sandbox(opts, RESTORING);
    sb.restore(snapshot);
    return sb;
  }

  /**
   * An independent copy on its own ManualClock at the same time: probe commands run in it
   * (step checks) leave no access-log lines or load-balancer moves in this sandbox.
   */
  fork(): Sandbox {
    return Sandbox.fromSnapshot(this.snapshot({ maxLogLines: Infinity }), { ...this.opts, clock: new ManualClock(this.cluster.clock.now()) });
  }

  /** Ctrl-C in terminal `session`; without one, in every terminal (the sandbox is being replaced). */
  interrupt(session?: string): void {
    if (session === undefined) for (const sh of this.shells()) sh.interrupt();
    else this.shellOf(session).interrupt();
  }

  private shCommand(name: string): CommandSpec {
    return {
      name,
      summary: `run a script: ${name} -c '…' or ${name} FILE`,
      run: async (ctx) => {
        const args = ctx.argv.slice(1);
        let script: string;
        // the positional parameters: `sh -c 'cmd' NAME A B` sets $0 to NAME and $1… to A B; `sh FILE A B`, $1… to A B
        let positional: string[] = [];
        if (args[0] === '-c') {
          script = args[1] ?? '';
          positional = args.slice(3);
        } else if (args[0]) {
          positional = args.slice(1);
          try {
            script = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, args[0]));
          } catch {
            ctx.err(`${name}: ${args[0]}: No such file or directory\n`);
            return 127;
          }
        } else script = ctx.stdin;
        const sub = ctx.nestedShell(ctx.origin);
        for (const [k, v] of Object.entries(ctx.env)) sub.vars.set(k, { value: v, exported: true });
        sub.cwd = ctx.cwd;
        sub.positional = positional;
        let list;
        try {
          list = await parsePaced(script, () => breathe(ctx.token));
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          ctx.err(`${name}: ${e.message.replace(/^bash: /, '')}\n`);
          return 2;
        }
        return sub.execScript(list, { stdin: '', out: ctx.out, err: ctx.err });
      },
    };
  }

  private helpCommand(): CommandSpec {
    return {
      name: 'help',
      summary: 'list the commands of the sandbox',
      run: async (ctx) => {
        const rows = [...this.commands.values()].sort((a, b) => a.name.localeCompare(b.name)).map((c) => `  ${c.name.padEnd(10)} ${c.summary}\n`);
        ctx.out(
          `The sandbox is a simulated Kubernetes cluster with Istio ${ISTIO_VERSION}. Commands:\n${rows.join('')}\nShell: quoting, $VAR, $(…), pipes, && || ;, for/while loops, here-documents (kubectl apply -f - <<EOF).\nBuiltins: cd pwd export unset test [ read source exit true false.\nThe course's manifests are in ~/examples.\n`,
        );
        return 0;
      },
    };
  }
}
