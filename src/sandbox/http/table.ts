/**
 * Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` turns a get or
 * list into a meta.k8s.io/v1 Table (k8s.io/apimachinery/pkg/apis/meta/v1/types.go Table), with
 * the columns of the sandbox's own printers (the same ones `kubectl get` uses in the sandbox),
 * so the real kubectl prints the same table. Columns that only `-o wide` shows have priority 1.
 * rows[].object carries PartialObjectMetadata (includeObject=Metadata, the default), the whole
 * object (Object) or nothing (None).
 */
import type { ResourceKind } from '../api/kinds';
import type { KubeObject } from '../api/types';
import { tableFor } from '../commands/kubectl/printers';

export const TABLE_ACCEPT = /as=Table/;

/** Column names as the apiserver's printers declare them ("Nominated Node", "Cluster-IP", "Port(s)"). */
const COLUMN_NAMES: Record<string, string> = { 'POD-SELECTOR': 'Pod-Selector', SERVICEACCOUNTS: 'ServiceAccounts' };

export function columnName(header: string): string {
  if (COLUMN_NAMES[header]) return COLUMN_NAMES[header];
  return header
    .toLowerCase()
    .split(' ')
    .map((w) => (w ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ')
    .replace(/(^|[- ])ip\b/gi, (m) => m.toUpperCase())
    .replace(/-Ip\b/g, '-IP');
}

const DESCRIPTIONS: Record<string, string> = {
  Name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  Age: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

export function toTable(r: ResourceKind, version: string, items: KubeObject[], now: number, includeObject: string, listMeta: Record<string, unknown>): unknown {
  const objs = [...items];
  const wide = tableFor(r, objs, now, true);
  const narrow = tableFor(r, [], now, false).headers.length;
  const columnDefinitions = wide.headers.map((h, i) => {
    const name = columnName(h);
    return { name, type: 'string', format: name === 'Name' ? 'name' : '', description: DESCRIPTIONS[name] ?? '', priority: i < narrow ? 0 : 1 };
  });
  const apiVersion = r.group ? `${r.group}/${version}` : version;
  const rows = wide.rows.map((cells, i) => {
    const o = objs[i];
    const row: Record<string, unknown> = { cells };
    if (includeObject === 'Object') row.object = { ...o, apiVersion };
    else if (includeObject !== 'None') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions, rows };
}
