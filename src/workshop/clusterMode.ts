/**
 * What the workshop server needs of the real-cluster mode (`--cluster KUBECONFIG`,
 * src/workshop/cluster/): the server owns rooms, tokens, sockets and sequence numbers; the
 * cluster module owns namespaces and PTYs. A room created while the server has a cluster
 * module is a 'cluster' room: its participants' terminal frames are `pty-input`/`pty-resize`
 * and `pty-output`, not the sandbox protocol.
 */
import type { NamespaceMapping } from './namespaceMap';

export interface ClusterPty {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(): void;
}

export interface ClusterMode {
  /** The room was created: shared preparation (may be slow; the room is 'preparing' until it resolves). */
  prepareRoom?(room: string): Promise<void>;
  /**
   * A participant joined: their namespace, ServiceAccount, quota…, and a further namespace of
   * theirs for each namespace the room's lessons (`lessonDirs`, examples/ directories such as
   * "authorization") use besides their primary one. Returns the namespace shown in the roster.
   */
  provision(room: string, participantId: string, name: string, lessonDirs?: readonly string[]): Promise<{ namespace: string; extraNamespaces?: string[] }>;
  /** Opens (or reopens after a reconnect) the participant's PTY running the real kubectl. */
  openPty(room: string, participantId: string, size: { cols: number; rows: number }, onData: (data: string) => void, onExit: (code: number) => void): ClusterPty;
  /** The namespace mapping of a lesson's examples/ directory (e.g. "resilience") for a participant's namespace (lessonFiles.ts). */
  lessonMapping?(lessonDir: string, namespace: string): NamespaceMapping | undefined;
  /** A participant was reset by the instructor: their namespaces back to the lesson's start. */
  resetParticipant?(room: string, participantId: string, lessonDirs?: readonly string[]): Promise<void>;
  /** The room ended or expired: delete its namespaces. */
  cleanupRoom(room: string): Promise<void>;
}

/** What src/workshop/cluster/index.ts exports for `npm run workshop -- --cluster KUBECONFIG`. */
export interface ClusterModule {
  /** `dataDir`: the server's --data dir (participants' kubeconfigs and HOMEs are kept under it); `examplesDir`: copied into each HOME. */
  createClusterMode(kubeconfig: string, opts?: { dataDir?: string; examplesDir?: string }): Promise<ClusterMode>;
}
