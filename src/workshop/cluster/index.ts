/**
 * The real-cluster mode of the workshop server (`npm run workshop -- --cluster KUBECONFIG`): each
 * participant gets a namespace of their own (provision.ts) and a terminal running the real kubectl
 * in a PTY (pty.ts); the room's end deletes its namespaces. The server's side of the contract is
 * src/workshop/clusterMode.ts.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isolationAvailable } from './isolate';
import type { ClusterMode, ClusterPty } from '../clusterMode';
import { KubeApi } from './kubeApi';
import { cleanupRoom, DEFAULT_LIMITS, namespaceFor, namespacesLabelled, participantSelector, provisionParticipant, roomLabel, type ExtraNamespaceSpec, type ParticipantLimits, type Provisioned } from './provision';
import { spawnParticipantPty, type ParticipantPty } from './pty';
import { extraNamespacesOf, lessonMapping, seedMappedExamples } from './lessonFiles';

export { cleanupRoom, extraNamespaceName, namespaceFor, provisionParticipant } from './provision';
export { spawnParticipantPty } from './pty';
export { extraNamespacesOf, lessonMapping, seedMappedExamples } from './lessonFiles';
export { MESH_WIDE_LESSONS, meshWideAdaptation } from './meshWide';

export interface ClusterModeOptions {
  /** The server's --data dir: participants' kubeconfigs and HOMEs go under <dataDir>/cluster. */
  dataDir?: string;
  kubectl?: string;
  istioctl?: string;
  limits?: ParticipantLimits;
  /** The course's examples/ (copied into each participant's HOME); default ./examples. */
  examplesDir?: string;
  /** Start shells isolated from the server's files (isolate.ts); default: when the machine allows it. */
  isolate?: boolean;
}

/** What the admin kubeconfig must be allowed to do (checked at start with SelfSubjectAccessReview). */
const NEEDED: { verb: string; resource: string; group: string; subresource?: string }[] = [
  { verb: 'create', resource: 'namespaces', group: '' },
  { verb: 'delete', resource: 'namespaces', group: '' },
  { verb: 'create', resource: 'roles', group: 'rbac.authorization.k8s.io' },
  { verb: 'create', resource: 'rolebindings', group: 'rbac.authorization.k8s.io' },
  { verb: 'create', resource: 'serviceaccounts', group: '', subresource: 'token' },
];

/** Input typed before the PTY exists (provisioning after a restart) waits here, up to this much. */
const MAX_EARLY_INPUT = 64 * 1024;
/** How long a reset waits for the old namespaces to be gone (a real cluster finalizes them). */
const NAMESPACE_GONE_MS = 120_000;

export async function createClusterMode(kubeconfig: string, opts: ClusterModeOptions = {}): Promise<ClusterMode> {
  const api = KubeApi.fromFile(kubeconfig);
  await assertCanProvision(api);
  const root = join(resolve(opts.dataDir ?? 'workshop-data'), 'cluster');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const limits = opts.limits ?? DEFAULT_LIMITS;
  // what a participant's shell must not see: the data dir (token secret, the others' kubeconfigs),
  // the server user's HOME (cloud credentials) and the admin kubeconfig
  const examplesDir = resolve(opts.examplesDir ?? 'examples');
  const isolate = opts.isolate ?? isolationAvailable();
  const hide = isolate ? [...new Set([resolve(opts.dataDir ?? 'workshop-data'), homedir(), resolve(kubeconfig)])] : undefined;
  if (!isolate)
    process.stderr.write('workshop: --cluster: participants\' shells cannot be isolated on this machine (unshare with user namespaces is not available): they can read the server user\'s files; run the server in a container or VM of its own\n');
  const seats = new Map<string, Provisioned>();
  /** Open terminals by room: the room's end closes them. */
  const open = new Map<string, Set<ParticipantPty>>();
  const key = (room: string, participant: string): string => `${room}/${participant}`;
  const seatDir = (room: string, participant: string): string => join(root, roomLabel(room), namespaceFor(room, participant));
  /** Each room's further lesson namespaces (from the lessons it was provisioned for). */
  const roomExtras = new Map<string, ExtraNamespaceSpec[]>();
  const extrasOf = (room: string, lessonDirs: readonly string[] | undefined): ExtraNamespaceSpec[] => {
    if (lessonDirs) roomExtras.set(room, extraNamespacesOf(examplesDir, lessonDirs));
    return roomExtras.get(room) ?? [];
  };

  const provision = async (room: string, participant: string, lessonDirs?: readonly string[]): Promise<Provisioned> => {
    const p = await provisionParticipant(api, room, participant, limits, extrasOf(room, lessonDirs));
    seats.set(key(room, participant), p);
    return p;
  };

  return {
    async provision(room, participant, _name, lessonDirs) {
      const p = await provision(room, participant, lessonDirs);
      return { namespace: p.namespace, extraNamespaces: p.extraNamespaces };
    },

    lessonMapping(lessonDir, namespace) {
      return /^[a-z0-9-]+$/.test(lessonDir) && existsSync(join(examplesDir, lessonDir)) ? lessonMapping(examplesDir, lessonDir, namespace) : undefined;
    },

    openPty(room, participant, size, onData, onExit): ClusterPty {
      let pty: ParticipantPty | undefined;
      let killed = false;
      let early = '';
      let cols = size.cols;
      let rows = size.rows;
      const start = (seat: Provisioned): void => {
        if (killed) return;
        // the lessons' manifests with their namespace mapped to the participant's (lessonFiles.ts)
        const seed = [{ from: examplesDir, to: 'examples', copy: (from: string, to: string) => seedMappedExamples(from, to, seat.namespace) }];
        const p = spawnParticipantPty({ kubeconfig: seat.kubeconfig, namespace: seat.namespace, cols, rows, dir: seatDir(room, participant), kubectl: opts.kubectl, istioctl: opts.istioctl, hide, seed });
        pty = p;
        const inRoom = open.get(room) ?? new Set<ParticipantPty>();
        open.set(room, inRoom.add(p));
        p.onData(onData);
        p.onExit((code) => {
          inRoom.delete(p);
          onExit(code);
        });
        if (early) pty.write(early);
        early = '';
      };
      const seat = seats.get(key(room, participant));
      if (seat) start(seat);
      else
        // the server restarted: the namespace is there, the token is not (it lived in memory)
        provision(room, participant).then(start, (e: unknown) => {
          onData(`\r\nНе удалось подготовить ваш namespace на кластере: ${e instanceof Error ? e.message : String(e)}\r\nСообщите ведущему.\r\n`);
          onExit(1);
        });
      return {
        write: (data) => {
          if (pty) pty.write(data);
          else if (early.length + data.length <= MAX_EARLY_INPUT) early += data;
        },
        resize: (c, r) => {
          cols = c;
          rows = r;
          pty?.resize(c, r);
        },
        kill: () => {
          killed = true;
          pty?.kill();
        },
      };
    },

    async resetParticipant(room, participant, lessonDirs) {
      // their own namespace and the further ones, found by label
      const selector = participantSelector(room, participant);
      const names = new Set([namespaceFor(room, participant), ...(await namespacesLabelled(api, selector))]);
      for (const ns of names) await api.must('DELETE', `/api/v1/namespaces/${ns}`, undefined, [404]);
      const until = Date.now() + NAMESPACE_GONE_MS;
      for (const ns of names)
        while ((await api.request('GET', `/api/v1/namespaces/${ns}`)).status !== 404) {
          if (Date.now() > until) throw new Error(`namespace ${ns} is still terminating after ${NAMESPACE_GONE_MS / 1000} s`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      await provision(room, participant, lessonDirs);
    },

    async cleanupRoom(room) {
      for (const p of open.get(room) ?? []) p.kill();
      open.delete(room);
      await cleanupRoom(api, room);
      for (const k of [...seats.keys()]) if (k.startsWith(`${room}/`)) seats.delete(k);
      roomExtras.delete(room);
      rmSync(join(root, roomLabel(room)), { recursive: true, force: true });
    },
  };
}

/** Fails at start, in words an organiser understands, when the kubeconfig cannot provision participants. */
async function assertCanProvision(api: KubeApi): Promise<void> {
  for (const n of NEEDED) {
    const r = await api.must('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: n.verb, group: n.group, resource: n.resource, ...(n.subresource ? { subresource: n.subresource } : {}) } },
    });
    const allowed = (r.body.status as { allowed?: unknown } | undefined)?.allowed === true;
    if (!allowed) throw new Error(`the kubeconfig's user may not ${n.verb} ${n.resource}${n.subresource ? `/${n.subresource}` : ''}${n.group ? `.${n.group}` : ''}: the cluster mode needs a cluster-admin kubeconfig`);
  }
}
