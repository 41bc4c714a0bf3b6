/**
 * The terminal ⇄ sandbox message protocol. Plain JSON-serializable objects, so a Web Worker
 * (structured clone) and a WebSocket (JSON text frames) carry them unchanged.
 *
 * Requests that expect one answer (`complete`, `check`) carry an `id` echoed in the reply.
 * Command lines are answered by a stream of `output` messages, then one `exit`.
 *
 * Several terminals share one sandbox: `run`, `interrupt`, `complete` and `close` name the
 * terminal's `session` (its own shell: cwd, variables, history, running command), and its
 * `output`, `exit` and `clear` carry it back. No session means the first terminal ('1'), the
 * one `start` prepares and a snapshot keeps. Sessions run side by side (one may follow logs
 * while another sends requests); within a session, lines run one after another.
 */

import type { TrafficReport } from '../sandbox/network/traffic';

export type { TrafficReport };

export const PROTOCOL_VERSION = 1;

/** A probe of a step check: run a command silently and look at its output. */
export interface Probe {
  /** Shell command run in the sandbox (not added to history). */
  command: string;
  /** Regular expression (source) that stdout must match. */
  expect?: string;
  /** Regular expression (source) that stdout must NOT match. */
  reject?: string;
  /** Minimum number of matches of `expect` (default 1). */
  atLeast?: number;
  /** Maximum number of matches of `expect` (a split's expected range: src/traffic/split.ts). */
  atMost?: number;
  /** Expected exit status (default: any when `expect` is given, else 0). */
  status?: number;
  /** Russian text shown when the probe fails: what is still missing. */
  missing: string;
}

/**
 * A file the page hands to the sandbox as data (an edited manifest for «Применить в песочнице»):
 * written into the sandbox's file system before the command line runs, never spliced into it.
 */
export interface SandboxFile {
  /** Relative to the learner's home, e.g. "edited/ingress-service-a/gateway.yaml". */
  path: string;
  content: string;
}

/** A command line with the files it reads (an entry of the replay journal). */
export interface RunRequest {
  line: string;
  files?: SandboxFile[];
}

/** A replayed entry: a plain line, or a line with the files it needs. */
export type ReplayEntry = string | RunRequest;

export interface ProbeResult {
  ok: boolean;
  missing: string;
}

export type ClientMessage =
  | {
      type: 'start';
      scenario: string;
      seed?: number;
      /**
       * Learner commands to replay silently after the setup: the state after a reload when the
       * host has no saved snapshot of this lesson (or cannot read it).
       */
      replay?: ReplayEntry[];
      /** Start from the lesson's start state, discarding a saved snapshot («Сбросить урок»). */
      fresh?: boolean;
      cols?: number;
      rows?: number;
    }
  | { type: 'run'; line: string; files?: SandboxFile[]; session?: string }
  | { type: 'interrupt'; session?: string }
  | { type: 'complete'; id: number; line: string; cursor: number; session?: string }
  | { type: 'check'; id: number; probes: Probe[] }
  | { type: 'resize'; cols: number; rows: number }
  /** The traffic view asks for the requests recorded after trace `since` (all kept ones without it). */
  | { type: 'traffic'; id: number; since?: number }
  | { type: 'reset' }
  /** A terminal was closed: its command is stopped and its shell forgotten. */
  | { type: 'close'; session: string };

export type ServerMessage =
  | {
      type: 'ready';
      version: number;
      scenario: string;
      prompt: PromptInfo;
      history: string[];
      /** The saved snapshot of this lesson was unreadable: it was discarded and the lesson started afresh. */
      discarded?: boolean;
    }
  | { type: 'output'; stream: 'stdout' | 'stderr'; data: string; session?: string }
  | {
      type: 'exit';
      code: number;
      prompt: PromptInfo;
      session?: string;
      /** The requests recorded while the line ran (trace ids, the «Трафик» view's): the terminal marks them after the output. */
      requests?: TraceRange;
    }
  | { type: 'clear'; session?: string }
  | { type: 'completion'; id: number; start: number; end: number; candidates: string[] }
  | { type: 'checkResult'; id: number; results: ProbeResult[] }
  | ({ type: 'trafficResult'; id: number } & TrafficReport)
  | { type: 'progress'; message: string }
  | { type: 'error'; message: string };

/** Trace ids `first`…`last` (src/sandbox/network/traffic.ts), both included. */
export interface TraceRange {
  first: number;
  last: number;
}

export interface PromptInfo {
  namespace: string;
  cwd: string;
  /** A pod's shell holds the terminal (kubectl exec -it … -- sh): the prompt it prints, as is. */
  ps1?: string;
}

const CLIENT_TYPES = new Set<ClientMessage['type']>(['start', 'run', 'interrupt', 'complete', 'check', 'traffic', 'resize', 'reset', 'close']);
const SERVER_TYPES = new Set<ServerMessage['type']>(['ready', 'output', 'exit', 'clear', 'completion', 'checkResult', 'trafficResult', 'progress', 'error']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** A terminal's session id: short and plain. */
const isSession = (v: unknown): v is string => isStr(v) && /^[\w-]{1,32}$/.test(v);
const isOptSession = (v: unknown): boolean => v === undefined || isSession(v);

/** Most files one request may carry, and the largest file (the editor's share-link limit). */
export const MAX_FILES = 16;
export const MAX_FILE_CHARS = 1024 * 1024;
/** A relative path of plain segments: no "..", no "~", nothing the shell would interpret. */
const SAFE_PATH = /^(?!\.{1,2}(?:\/|$))(?!.*\/\.{1,2}(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;

export function isSafePath(p: string): boolean {
  return p.length <= 256 && SAFE_PATH.test(p);
}

function isFile(v: unknown): v is SandboxFile {
  return isObject(v) && isStr(v.path) && isSafePath(v.path) && isStr(v.content) && v.content.length <= MAX_FILE_CHARS;
}

const isFiles = (v: unknown): v is SandboxFile[] | undefined => v === undefined || (Array.isArray(v) && v.length <= MAX_FILES && v.every(isFile));

export function isReplayEntry(v: unknown): v is ReplayEntry {
  return isStr(v) || (isObject(v) && isStr(v.line) && isFiles(v.files));
}

function isProbe(v: unknown): v is Probe {
  const optNum = (x: unknown): boolean => x === undefined || isNum(x);
  return isObject(v) && isStr(v.command) && isStr(v.missing) && (v.expect === undefined || isStr(v.expect)) && optNum(v.atLeast) && optNum(v.atMost);
}

/** Validates a message from a client (the host must not trust a WebSocket peer). */
export function isClientMessage(v: unknown): v is ClientMessage {
  if (!isObject(v) || !isStr(v.type) || !CLIENT_TYPES.has(v.type as ClientMessage['type'])) return false;
  switch (v.type) {
    case 'start':
      return isStr(v.scenario) && (v.seed === undefined || isNum(v.seed)) && (v.replay === undefined || (Array.isArray(v.replay) && v.replay.every(isReplayEntry))) && (v.fresh === undefined || typeof v.fresh === 'boolean');
    case 'run':
      return isStr(v.line) && isFiles(v.files) && isOptSession(v.session);
    case 'interrupt':
      return isOptSession(v.session);
    case 'close':
      return isSession(v.session);
    case 'complete':
      return isNum(v.id) && isStr(v.line) && isNum(v.cursor) && isOptSession(v.session);
    case 'check':
      return isNum(v.id) && Array.isArray(v.probes) && v.probes.every(isProbe);
    case 'resize':
      return isNum(v.cols) && isNum(v.rows);
    case 'traffic':
      return isNum(v.id) && (v.since === undefined || isNum(v.since));
    default:
      return true;
  }
}

export function isServerMessage(v: unknown): v is ServerMessage {
  return isObject(v) && isStr(v.type) && SERVER_TYPES.has(v.type as ServerMessage['type']);
}

/** WebSocket framing: one JSON text frame per message. */
export function encode(msg: ClientMessage | ServerMessage): string {
  return JSON.stringify(msg);
}

export function decode(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
