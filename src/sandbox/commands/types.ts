/** The contract between the shell and every command (builtins, coreutils, kubectl, istioctl, curl). */
import type { CancelToken } from '../core/clock';
import type { Cluster } from '../cluster';
import type { Origin } from '../network/fabric';
import type { Vfs } from '../shell/vfs';

export interface CommandContext {
  argv: string[];
  stdin: string;
  /** Environment of the command (exported variables). */
  env: Record<string, string>;
  cwd: string;
  fs: Vfs;
  cluster: Cluster;
  token: CancelToken;
  /** Where network calls start: the learner's machine, or a pod (kubectl exec). */
  origin: Origin;
  out(text: string): void;
  err(text: string): void;
  /** Runs a command line in a subshell and returns its output (for watch, kubectl exec). */
  runSubcommand(argv: string[], opts: { origin?: Origin; stdin?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A child shell sharing this one's budget and cancel token (sh -c, bash FILE). */
  nestedShell(origin?: Origin): import('../shell/interpreter').Shell;
  /**
   * Hands the terminal to an interactive shell (`kubectl exec -it POD -- sh`): the terminal's
   * next lines run in it until it exits. Only where the command line came from a terminal
   * (the top level of a session, not a script, a pipeline's source or a background job).
   */
  attachTty?: (session: import('../shell/interpreter').InteractiveShell) => void;
  /** Clears the terminal (the browser terminal handles the escape). */
  clear(): void;
  /**
   * True for a command started with `&`: it must not let time pass (background jobs of a
   * loop all start at the same moment); it reports when it would end through finishAt().
   */
  background: boolean;
  finishAt(ms: number): void;
  /** istioctl analyze's checks when an external analyzer is plugged in (src/validation): lines to print. */
  analyzer?: ShellAnalyzer;
  /** The OpenAPI v3 document of `api/v1` or `apis/G/V` (JSON), for kubectl explain, when the schemas are plugged in. */
  openApi?: OpenApiDocuments;
  /** The history of the session (for `history`). */
  history: readonly string[];
  /**
   * An editor the host offers (the page's editor) for `kubectl edit`: it receives the file
   * kubectl would open and resolves with the saved text, or undefined when closed without
   * saving. Without one, kubectl edit answers as kubectl does when it cannot start $EDITOR.
   */
  editor?: ExternalEditor;
}

export type ExternalEditor = (file: { name: string; text: string }) => Promise<string | undefined>;

export type CommandFn = (ctx: CommandContext) => Promise<number>;

export interface CommandSpec {
  name: string;
  run: CommandFn;
  /** One line for `help`. */
  summary: string;
}

/** A file named on `istioctl analyze`'s command line: the name as typed and its text. */
export interface AnalyzedFile {
  name: string;
  text: string;
}

/** istioctl analyze over the cluster (and the files given): the lines to print. */
export type ShellAnalyzer = (namespace: string | undefined, files: AnalyzedFile[]) => string[];

export type OpenApiDocuments = (groupVersionPath: string) => string | undefined;
