/**
 * OpenAPI v3 (KEP-2896): `/openapi/v3` lists one document per group-version, each at
 * `/openapi/v3/apis/G/V?hash=…`. Built from the project's schema bundle
 * (src/validation/schema/schemas.gen.json, the same schemas admission validates with).
 *
 * kubectl reads it for two things:
 *  - `kubectl explain`: the component schema whose x-kubernetes-group-version-kind names the kind;
 *  - field validation: a PATCH operation of the kind that declares the `fieldValidation` query
 *    parameter means the server validates strictly, so kubectl sends `fieldValidation=Strict`
 *    and skips its client-side check (k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go).
 */
import { KUBERNETES_VERSION } from '../../istio/version';
import { bundle } from '../../validation/schema/registry';
import type { JsonSchema } from '../../validation/schema/types';
import { KINDS, type ResourceKind } from '../api/kinds';
import { PATCH_TYPES } from '../api/server';
import { sortVersions } from './discovery';

type Obj = Record<string, unknown>;

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** A stable hash of a document's identity, as the apiserver puts in serverRelativeURL (ETag). */
function hashOf(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 + s.charCodeAt(i), 2246822519) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).toUpperCase().repeat(8);
}

function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const k of KINDS) for (const v of sortVersions(k.versions)) seen.set(`${k.group}/${v}`, { group: k.group, version: v });
  return [...seen.values()];
}

export function openApiRoot(): unknown {
  const paths: Obj = {};
  for (const { group, version } of groupVersions()) {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(p)}` };
  }
  return { paths };
}

const cache = new Map<string, string>();

/** The document for `api/v1` or `apis/G/V` (JSON text), or undefined when not served. */
export function openApiDocument(path: string): string | undefined {
  const hit = cache.get(path);
  if (hit) return hit;
  const gv = groupVersions().find((x) => gvPath(x.group, x.version) === path);
  if (!gv) return undefined;
  const kinds = KINDS.filter((k) => k.group === gv.group && k.versions.includes(gv.version));
  const schemas: Obj = {};
  const roots = new Map<string, ResourceKind>();
  for (const k of kinds) {
    const entry = bundle.kinds.find((e) => e.group === k.group && e.version === gv.version && e.kind === k.kind) ?? bundle.kinds.find((e) => e.group === k.group && e.kind === k.kind);
    if (entry) roots.set(entry.schema, k);
  }
  const todo = [...roots.keys()];
  while (todo.length) {
    const name = todo.pop()!;
    if (schemas[name] || !bundle.$defs[name]) continue;
    const refs: string[] = [];
    const s = convert(bundle.$defs[name], refs) as Obj;
    addPatchMeta(name, s);
    const k = roots.get(name);
    if (k) {
      s['x-kubernetes-group-version-kind'] = [{ group: k.group, version: gv.version, kind: k.kind }];
      if (Array.isArray(s.required)) s.required = (s.required as string[]).filter((r) => r !== 'apiVersion' && r !== 'kind');
      if (Array.isArray(s.required) && (s.required as string[]).length === 0) delete s.required;
    }
    schemas[name] = s;
    todo.push(...refs);
  }
  const paths: Obj = {};
  for (const k of kinds) Object.assign(paths, pathsFor(k, gv.version, [...roots].find(([, r]) => r === k)?.[0]));
  const doc = JSON.stringify({ openapi: '3.0.0', info: { title: 'Kubernetes', version: KUBERNETES_VERSION }, paths, components: { schemas } });
  cache.set(path, doc);
  return doc;
}

/**
 * The strategic-merge metadata of the built-in kinds' list fields (k8s.io/api struct tags
 * patchStrategy/patchMergeKey, published as x-kubernetes-patch-* in the apiserver's OpenAPI):
 * kubectl apply computes its patch from these, so without them it would resend whole lists.
 */
const PATCH_META: Record<string, Record<string, string | 'set'>> = {
  'core.v1.PodSpec': {
    containers: 'name',
    initContainers: 'name',
    ephemeralContainers: 'name',
    volumes: 'name',
    imagePullSecrets: 'name',
    hostAliases: 'ip',
    topologySpreadConstraints: 'topologyKey',
    resourceClaims: 'name',
    schedulingGates: 'name',
  },
  'core.v1.Container': { env: 'name', ports: 'containerPort', volumeMounts: 'mountPath', volumeDevices: 'devicePath' },
  'core.v1.EphemeralContainer': { env: 'name', ports: 'containerPort', volumeMounts: 'mountPath', volumeDevices: 'devicePath' },
  'core.v1.ServiceSpec': { ports: 'port' },
  'meta.v1.ObjectMeta': { ownerReferences: 'uid', finalizers: 'set' },
  'core.v1.PodStatus': { conditions: 'type' },
  'core.v1.NodeStatus': { conditions: 'type', addresses: 'type' },
  'apps.v1.DeploymentStatus': { conditions: 'type' },
  'apps.v1.ReplicaSetStatus': { conditions: 'type' },
};

function addPatchMeta(defName: string, s: Obj): void {
  const entry = Object.entries(PATCH_META).find(([suffix]) => defName.endsWith(`.${suffix}`));
  const props = s.properties as Record<string, Obj> | undefined;
  if (!entry || !props) return;
  for (const [field, key] of Object.entries(entry[1])) {
    const p = props[field];
    if (!p) continue;
    p['x-kubernetes-patch-strategy'] = 'merge';
    if (key !== 'set') {
      p['x-kubernetes-patch-merge-key'] = key;
      p['x-kubernetes-list-type'] = 'map';
      p['x-kubernetes-list-map-keys'] = field === 'ports' && defName.endsWith('ServiceSpec') ? ['port', 'protocol'] : [key];
    } else p['x-kubernetes-list-type'] = 'set';
  }
}

/** draft-07 → OpenAPI 3.0 schema: refs into components, `$ref` with siblings wrapped in allOf. */
function convert(s: JsonSchema, refs: string[]): unknown {
  const out: Obj = {};
  for (const [key, v] of Object.entries(s)) {
    if (key === '$ref' || key === 'additionalProperties' || key === 'const' || key === 'if' || key === 'then' || key === '$id' || key === '$schema') continue;
    if (key === 'properties' && v && typeof v === 'object') out.properties = Object.fromEntries(Object.entries(v as Record<string, JsonSchema>).map(([n, p]) => [n, convert(p, refs)]));
    else if ((key === 'items' || key === 'not') && v && typeof v === 'object') out[key] = convert(v as JsonSchema, refs);
    else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(v)) out[key] = (v as JsonSchema[]).map((x) => convert(x, refs));
    else out[key] = v;
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = convert(s.additionalProperties, refs);
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/\$defs\//, '');
    refs.push(name);
    const ref = `#/components/schemas/${name}`;
    if (Object.keys(out).length === 0) return { $ref: ref };
    return { ...out, allOf: [{ $ref: ref }] };
  }
  return out;
}

const q = (name: string, description: string, type = 'string'): Obj => ({ name, in: 'query', description, schema: { type, uniqueItems: true } });
const DRY_RUN = q('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = q('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.');
const FIELD_VALIDATION = q(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
);
const FORCE = q('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.', 'boolean');

function pathsFor(k: ResourceKind, version: string, schema: string | undefined): Obj {
  const gvk = { group: k.group, version, kind: k.kind };
  const base = k.group ? `/apis/${k.group}/${version}` : `/api/${version}`;
  const coll = `${base}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
  const body = schema ? { $ref: `#/components/schemas/${schema}` } : { type: 'object' };
  const json = { 'application/json': { schema: body }, 'application/yaml': { schema: body } };
  const op = (action: string, params: Obj[], extra: Obj = {}): Obj => ({
    description: `${action} ${k.kind}`,
    operationId: `${action}${k.kind}`,
    tags: [k.group || 'core_v1'],
    parameters: params,
    responses: { '200': { description: 'OK', content: json }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  return {
    [coll]: {
      get: op('list', [q('labelSelector', 'A selector to restrict the list of returned objects by their labels.'), q('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'), q('limit', 'limit', 'integer'), q('continue', 'continue'), q('watch', 'watch', 'boolean')]),
      post: op('post', [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], { requestBody: { content: json, required: true } }),
    },
    [`${coll}/{name}`]: {
      get: op('get', []),
      put: op('put', [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], { requestBody: { content: json, required: true } }),
      patch: op('patch', [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], {
        requestBody: { content: Object.fromEntries(PATCH_TYPES.filter((t) => !(k.group.endsWith('istio.io') && t === 'application/strategic-merge-patch+json')).map((t) => [t, { schema: { type: 'object' } }])), required: true },
      }),
      delete: op('delete', [DRY_RUN]),
    },
  };
}
