/**
 * kubectl edit (kubectl/pkg/cmd/edit, kubectl/pkg/cmd/util/editor): the live object as YAML
 * under kubectl's header, opened in an editor; on save the changes are applied ("edited"),
 * an unchanged or emptied file cancels, a rejected change reopens the file with the errors
 * as comments. The browser offers its own editor through CommandContext.editor; `openEdit`
 * is the same flow as a function for a page that wants to drive it itself.
 */
import { parse as parseYaml } from 'yaml';
import { qualifiedResource, qualifiedSingular, type ResourceKind } from '../../api/kinds';
import type { Status } from '../../api/status';
import { isRecord, jsonEqual, type KubeObject } from '../../api/types';
import type { Cluster } from '../../cluster';
import { flagSet } from '../args';
import { formatServerError } from './apply';
import { err, targets, type Kctx, type KubectlCommand } from './common';
import { toYaml } from './printers';

/** editoptions.go: the instructions written above the object. */
export const EDIT_HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

export type EditResult =
  | { status: 'edited' | 'cancelled'; output: string }
  /** Rejected: the message kubectl prints, and the file to reopen (errors as comments, then the edited object). */
  | { status: 'invalid'; output: string; reopen: string };

export interface EditSession {
  /** The file as kubectl writes it for the editor. */
  text: string;
  /** The file name kubectl would use (/tmp/kubectl-edit-….yaml). */
  name: string;
  save(edited: string): EditResult;
}

function statusLines(r: ResourceKind, name: string, s: Status): string {
  const causes = s.details?.causes ?? [];
  const head = `# ${qualifiedResource(r)} "${name}" was not valid:\n`;
  const body = causes.length ? causes.map((c) => `# * ${c.field ? `${c.field}: ` : ''}${c.message}\n`).join('') : `# * ${s.message}\n`;
  return `${head}${body}#\n`;
}

/** Opens an object for editing: the text for the editor and save() that applies the result. */
export function openEdit(cluster: Cluster, r: ResourceKind, namespace: string | undefined, name: string): EditSession | { error: string } {
  const c = cluster.client;
  const cur = c.get(r, r.namespaced ? namespace : undefined, name);
  if (!cur.ok) return { error: formatServerError(cur.status, 'retrieving') };
  const original = cur.value;
  return {
    name: `/tmp/kubectl-edit-${Math.floor(cluster.clock.now() % 1e9)}.yaml`,
    text: EDIT_HEADER + toYaml(original),
    save(edited: string): EditResult {
      const body = edited
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('#'))
        .join('\n');
      if (body.trim() === '') return { status: 'cancelled', output: 'Edit cancelled, saved file was empty.\n' };
      let obj: unknown;
      try {
        obj = parseYaml(body, { version: '1.1' });
      } catch (e) {
        const msg = `error: error parsing edited file: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        return { status: 'invalid', output: `${msg}\n`, reopen: `# ${msg}\n#\n${body}` };
      }
      if (jsonEqual(obj, original)) return { status: 'cancelled', output: 'Edit cancelled, no changes made.\n' };
      if (!isRecord(obj) || !isRecord(obj.metadata)) {
        const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Object \'metadata\' is missing', reason: 'BadRequest', code: 400 };
        return { status: 'invalid', output: `error: ${s.message}\n`, reopen: statusLines(r, name, s) + body };
      }
      const next = obj as KubeObject;
      if (next.metadata.name !== name || (r.namespaced && (next.metadata.namespace ?? namespace) !== namespace) || next.kind !== original.kind)
        return { status: 'invalid', output: 'error: At least one of apiVersion, kind and name was changed\n', reopen: `# error: At least one of apiVersion, kind and name was changed\n#\n${body}` };
      const res = c.update(r, next);
      if (!res.ok) {
        const out = `error: ${qualifiedResource(r)} "${name}" is invalid\n`;
        return { status: 'invalid', output: `${out}A copy of your changes has been stored to "/tmp/kubectl-edit-${Math.floor(cluster.clock.now() % 1e9)}.yaml"\nerror: Edit cancelled, no valid changes were saved.\n`, reopen: statusLines(r, name, res.status) + body };
      }
      cluster.sync();
      return { status: 'edited', output: `${qualifiedSingular(r)}/${name} edited\n` };
    },
  };
}

const FLAGS = flagSet(
  [
    '--allow-missing-template-keys=true',
    "--field-manager='kubectl-edit'",
    '-f, --filename=[]',
    "-k, --kustomize=''",
    "-o, --output=''",
    '--output-patch=false',
    '-R, --recursive=false',
    '--save-config=false',
    '--show-managed-fields=false',
    "--subresource=''",
    "--template=''",
    "--validate='strict'",
    '--windows-line-endings=false',
  ],
  { validate: 'strict' },
);

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx } = k;
  const ts = targets(k, args);
  if (!ts) return 1;
  const objs = ts.flatMap((t) => t.names.map((n) => ({ r: t.r, n })));
  if (objs.length === 0) return err(ctx, "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  for (const { r, n } of objs) {
    const s = openEdit(ctx.cluster, r, k.ns, n);
    if ('error' in s) return err(ctx, s.error);
    // editor.go: $KUBE_EDITOR, then $EDITOR, then vi; the sandbox has no terminal editor
    if (!ctx.editor) return err(ctx, `error: unable to launch the editor "${ctx.env.KUBE_EDITOR || ctx.env.EDITOR || 'vi'}"`);
    let text = s.text;
    for (;;) {
      const saved = await ctx.editor({ name: s.name, text });
      if (saved === undefined) {
        ctx.out('Edit cancelled, no changes made.\n');
        break;
      }
      const res = s.save(saved);
      if (res.status !== 'invalid') {
        ctx.out(res.output);
        break;
      }
      ctx.err(res.output);
      text = res.reopen;
    }
  }
  return 0;
}

export const editCommand: KubectlCommand = {
  name: 'edit',
  short: 'Edit a resource on the server.',
  usage: 'kubectl edit (RESOURCE/NAME | -f FILENAME) [options]',
  flags: FLAGS,
  run,
};
