/**
 * Tab completion on the host side (the engine has none yet): command names, kubectl and
 * istioctl subcommands, resource types, namespaces, and paths in the sandbox's file system.
 */
import type { Sandbox } from '../sandbox/index';

export interface Completion {
  start: number;
  end: number;
  candidates: string[];
}

const KUBECTL_VERBS = ['annotate', 'apply', 'config', 'create', 'delete', 'describe', 'edit', 'exec', 'explain', 'get', 'label', 'logs', 'patch', 'port-forward', 'rollout', 'scale', 'set', 'top', 'version'];
const ISTIOCTL_VERBS = ['analyze', 'install', 'proxy-config', 'proxy-status', 'version', 'x'];
const RESOURCES = ['configmaps', 'deployments', 'destinationrules', 'endpoints', 'gateways', 'namespaces', 'nodes', 'pods', 'replicasets', 'serviceentries', 'services', 'virtualservices'];
const BUILTINS = ['cd', 'pwd', 'export', 'unset', 'test', 'read', 'source', 'exit', 'true', 'false', 'for', 'while', 'if'];

interface Word {
  text: string;
  start: number;
}

/** Splits the text before the cursor into words (quotes are kept as typed). */
export function wordsBefore(line: string, cursor: number): { words: Word[]; current: Word } {
  const head = line.slice(0, cursor);
  const words: Word[] = [];
  const re = /[^\s|;&]+|[|;&]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(head))) words.push({ text: m[0], start: m.index });
  const endsInSpace = head.length === 0 || /[\s|;&]$/.test(head);
  const current = endsInSpace ? { text: '', start: cursor } : (words.pop() as Word);
  // only the words of the current simple command
  let i = words.length;
  while (i > 0 && !/^[|;&]+$/.test(words[i - 1].text)) i--;
  return { words: words.slice(i), current };
}

function filter(options: Iterable<string>, prefix: string): string[] {
  return [...new Set(options)].filter((o) => o.startsWith(prefix)).sort();
}

export function complete(sandbox: Sandbox, line: string, cursor: number): Completion {
  const { words, current } = wordsBefore(line, cursor);
  const result = (candidates: string[]): Completion => ({ start: current.start, end: cursor, candidates });
  if (words.length === 0 && !current.text.includes('/')) return result(filter([...sandbox.commands.keys(), ...BUILTINS], current.text));
  const cmd = words[0]?.text;
  const prev = words[words.length - 1]?.text;
  const positional = words.slice(1).filter((w, i, all) => !w.text.startsWith('-') && !(i > 0 && /^(-n|--namespace|-f|-l|-c|-o)$/.test(all[i - 1].text)));
  if ((cmd === 'kubectl' || cmd === 'istioctl') && (prev === '-n' || prev === '--namespace')) return result(filter(namespaces(sandbox), current.text));
  if (cmd === 'kubectl' && !current.text.startsWith('-') && prev !== '-f') {
    if (positional.length === 0) return result(filter(KUBECTL_VERBS, current.text));
    if (positional.length === 1 && ['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'patch', 'explain'].includes(positional[0].text))
      return result(filter(RESOURCES, current.text));
  }
  if (cmd === 'istioctl' && positional.length === 0 && !current.text.startsWith('-')) return result(filter(ISTIOCTL_VERBS, current.text));
  return pathCompletion(sandbox, current, cursor);
}

function namespaces(sandbox: Sandbox): string[] {
  try {
    const list = sandbox.cluster.client.list(sandbox.cluster.client.kind('Namespace'));
    return list.ok ? list.value.flatMap((o) => (o.metadata.name ? [o.metadata.name] : [])) : [];
  } catch {
    return [];
  }
}

function pathCompletion(sandbox: Sandbox, current: Word, cursor: number): Completion {
  const text = current.text;
  const slash = text.lastIndexOf('/');
  const dirPart = slash >= 0 ? text.slice(0, slash + 1) : '';
  const base = slash >= 0 ? text.slice(slash + 1) : text;
  const fs = sandbox.fs;
  const cwd = sandbox.shell.cwd;
  let dir: string;
  try {
    dir = fs.resolve(cwd, dirPart === '' ? '.' : dirPart.replace(/^~(?=\/|$)/, fs.resolve('/', '~')));
    if (!fs.isDir(dir)) return { start: current.start, end: cursor, candidates: [] };
    const names = fs
      .list(dir)
      .filter((n) => n.startsWith(base) && (base.startsWith('.') || !n.startsWith('.')))
      .sort()
      .map((n) => dirPart + n + (fs.isDir(`${dir === '/' ? '' : dir}/${n}`) ? '/' : ''));
    return { start: current.start, end: cursor, candidates: names };
  } catch {
    return { start: current.start, end: cursor, candidates: [] };
  }
}
