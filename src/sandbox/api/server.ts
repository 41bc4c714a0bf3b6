/**
 * A Kubernetes-shaped apiserver: REST requests in, objects or Status out.
 *
 *   GET    /api/v1/namespaces/demo/pods                      list
 *   GET    /apis/apps/v1/namespaces/demo/deployments/web     get
 *   POST   /apis/networking.istio.io/v1/namespaces/demo/virtualservices
 *   PUT    …/name            replace (resourceVersion must match when given)
 *   PUT    …/name/status     status subresource (spec is kept)
 *   DELETE …/name
 *   GET    /apis/apps/v1/deployments                         list across namespaces
 *
 *   PATCH  …/name            json patch, merge patch, strategic merge patch, server-side apply
 *                            (ApiRequest.contentType; see patch.ts and managedFields.ts)
 *
 * Query: labelSelector, fieldSelector, limit/continue, dryRun=All, fieldManager (records
 * metadata.managedFields), fieldValidation=Ignore|Warn (unknown fields become warnings),
 * force (apply). Deleting a namespace deletes what it contains; owner references are
 * garbage-collected by the controllers.
 */
import type { Clock } from '../core/clock';
import { isoSeconds } from '../core/clock';
import type { Random } from '../core/random';
import { randomSuffix, uuid } from '../core/random';
import { AdmissionChain, type Operation } from './admission';
import { KINDS, kindFor, qualifiedResource, type ResourceKind } from './kinds';
import { matches, parseSelector, SelectorParseError } from './labels';
import { alreadyExists, badRequest, conflict, forbiddenFor, invalid, methodNotAllowed, notFound, type FieldError, type Status } from './status';
import { FieldSelectorError, matchesFields, parseFieldSelector, type FieldRequirement } from './fieldSelector';
import { conflictMessage, recordUpdate, serverSideApply } from './managedFields';
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch';
import { parse as parseYaml } from 'yaml';
import { deepClone, isRecord, jsonEqual, type KubeObject } from './types';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** PATCH only: the patch's media type (application/merge-patch+json, …). */
  contentType?: string;
}

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'] as const;

export interface KubeList {
  apiVersion: string;
  kind: string; // e.g. PodList
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

export interface ApiResponse {
  code: number;
  body: KubeObject | KubeList | Status;
  /** Plain-text answers of connect subresources (pods/log). */
  text?: string;
  /** Warnings for the client (HTTP `Warning: 299 - "…"` headers), e.g. unknown fields under fieldValidation=Warn. */
  warnings?: string[];
}

/** A subresource served by something else than the store (the kubelet for pods/log). */
export type SubresourceHandler = (obj: KubeObject, query: Record<string, string>) => { code: number; text: string } | Status;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent {
  type: WatchEventType;
  resource: ResourceKind;
  object: KubeObject;
}

interface ParsedPath {
  resource: ResourceKind;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The store in a snapshot: every object (in insertion order) and the resourceVersion counter. */
export interface ApiServerSnapshot {
  resourceVersion: number;
  objects: KubeObject[];
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The store: every object by key (`group/plural/namespace/name`, in insertion order) and, beside
 * it, by resource, so a list reads only the objects of its resource (the apiserver's storage is
 * keyed per resource too) — a scan of the whole store per list made each kubectl apply of a file
 * with thousands of ConfigMaps slower than the one before it (the controllers list after every write).
 */
class ObjectStore extends Map<string, KubeObject> {
  private byResource = new Map<string, Map<string, KubeObject>>();
  override set(k: string, o: KubeObject): this {
    super.set(k, o);
    // Map's constructor adds nothing here (no initial entries), so the index exists by now
    const r = resourceOfKey(k);
    const bucket = this.byResource.get(r);
    if (bucket) bucket.set(k, o);
    else this.byResource.set(r, new Map([[k, o]]));
    return this;
  }
  override delete(k: string): boolean {
    this.byResource.get(resourceOfKey(k))?.delete(k);
    return super.delete(k);
  }
  override clear(): void {
    this.byResource.clear();
    super.clear();
  }
  /** The entries of one resource (`rkey`). */
  ofResource(r: string): Iterable<[string, KubeObject]> {
    return this.byResource.get(r) ?? [];
  }
}

/** `group/plural` of a store key. */
function resourceOfKey(k: string): string {
  return k.slice(0, k.indexOf('/', k.indexOf('/') + 1));
}

export class ApiServer {
  readonly admission = new AdmissionChain();
  private objects = new ObjectStore();
  private rv = 1000;
  private watchers = new Set<(e: WatchEvent) => void>();
  private subresources = new Map<string, SubresourceHandler>();
  /** Shifts creation timestamps into the past (used to build an aged starting state). */
  timeShiftMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rng: Random,
  ) {}

  /** Increases on every write: lets reconcilers skip work when nothing changed. */
  get revision(): number {
    return this.rv;
  }

  watch(cb: (e: WatchEvent) => void): () => void {
    this.watchers.add(cb);
    return () => this.watchers.delete(cb);
  }

  registerSubresource(plural: string, sub: string, h: SubresourceHandler): void {
    this.subresources.set(`${plural}/${sub}`, h);
  }

  handle(req: ApiRequest): ApiResponse {
    const p = parsePath(req.path);
    if ('error' in p) return { code: 404, body: notFoundPath(p.error) };
    const res = this.serve(p, req);
    const deprecated = deprecationWarning(p.resource);
    return deprecated ? { ...res, warnings: withWarnings([deprecated], res.warnings ?? []) } : res;
  }

  private serve(p: ParsedPath, req: ApiRequest): ApiResponse {
    if (p.subresource === 'scale' && p.name && (p.resource.kind === 'Deployment' || p.resource.kind === 'ReplicaSet')) return this.scale(p, req);
    if (req.method === 'GET' && p.name && p.subresource && p.subresource !== 'status') {
      const h = this.subresources.get(`${p.resource.plural}/${p.subresource}`);
      const obj = this.objects.get(key(p.resource, p.namespace, p.name));
      if (!obj) return { code: 404, body: notFound(qualifiedResource(p.resource), p.name) };
      if (!h) return { code: 404, body: notFoundPath('the server could not find the requested resource') };
      const r = h(deepClone(obj), req.query ?? {});
      if ('kind' in r) return { code: r.code, body: r };
      return { code: r.code, body: obj, text: r.text };
    }
    const q = req.query ?? {};
    const dryRun = q.dryRun === 'All';
    const w: WriteOptions = { dryRun, fieldManager: q.fieldManager || undefined, fieldValidation: q.fieldValidation };
    if (w.fieldManager !== undefined && w.fieldManager.length > 128)
      return { code: 422, body: invalid('', '', '', [{ field: 'fieldManager', type: 'TooLong', detail: 'may not be longer than 128 characters' }]) };
    switch (req.method) {
      case 'GET':
        return p.name ? this.get(p) : this.list(p, q.labelSelector, q);
      case 'POST':
        if (p.name) return { code: 405, body: methodNotAllowed('the server does not allow this method on the requested resource') };
        return this.create(p, req.body, w);
      case 'PUT':
        if (!p.name) return { code: 405, body: methodNotAllowed('the server does not allow this method on the requested resource') };
        return this.update(p, req.body, w);
      case 'PATCH':
        if (!p.name) return { code: 405, body: methodNotAllowed('the server does not allow this method on the requested resource') };
        return this.patch(p, req.body, req.contentType ?? '', w, q.force === 'true');
      case 'DELETE':
        if (!p.name) return { code: 405, body: methodNotAllowed('the server does not allow this method on the requested resource') };
        return this.delete(p, dryRun, q.gracePeriodSeconds === undefined ? undefined : Number(q.gracePeriodSeconds));
    }
  }

  // ---- verbs ---------------------------------------------------------------------------

  /**
   * The scale subresource (autoscaling/v1 Scale) of deployments and replicasets: GET, PUT and
   * PATCH read and write spec.replicas (kubectl scale patches it).
   */
  private scale(p: ParsedPath, req: ApiRequest): ApiResponse {
    const r = p.resource;
    const k = key(r, p.namespace, p.name!);
    const old = this.objects.get(k);
    if (!old) return { code: 404, body: notFound(qualifiedResource(r), p.name!) };
    const toScale = (o: KubeObject): KubeObject => {
      const spec = isRecord(o.spec) ? o.spec : {};
      const st = isRecord(o.status) ? o.status : {};
      const sel = isRecord(spec.selector) && isRecord(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
        spec: { replicas: spec.replicas ?? 1 },
        status: { replicas: Number(st.replicas ?? 0), selector: Object.entries(sel).map(([a, b]) => `${a}=${String(b)}`).join(',') },
      };
    };
    if (req.method === 'GET') return { code: 200, body: toScale(old) };
    let wanted: unknown = req.body;
    const cur = toScale(old);
    try {
      if (req.method === 'PATCH') {
        const type = (req.contentType ?? '').split(';')[0].trim();
        const doc = typeof req.body === 'string' ? (JSON.parse(req.body) as unknown) : req.body;
        wanted = type === 'application/json-patch+json' ? jsonPatch(cur, doc) : mergePatch(cur, doc);
      } else if (req.method !== 'PUT') return { code: 405, body: methodNotAllowed('the server does not allow this method on the requested resource') };
    } catch (e) {
      return { code: 422, body: { ...invalid('Scale', 'autoscaling', p.name!, []), message: e instanceof Error ? e.message : String(e), details: undefined } };
    }
    const replicas = isRecord(wanted) && isRecord(wanted.spec) ? wanted.spec.replicas : undefined;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
      return { code: 422, body: invalid('Scale', 'autoscaling', p.name!, [{ field: 'spec.replicas', type: 'Invalid', value: replicas, detail: 'must be greater than or equal to 0' }]) };
    const next = deepClone(old);
    next.spec = { ...(next.spec ?? {}), replicas };
    const res = this.update({ ...p, subresource: undefined }, next, { dryRun: req.query?.dryRun === 'All', fieldManager: req.query?.fieldManager || undefined });
    if (isStatusBody(res.body)) return res;
    return { code: 200, body: toScale(res.body as KubeObject) };
  }

  private get(p: ParsedPath): ApiResponse {
    const obj = this.objects.get(key(p.resource, p.namespace, p.name!));
    if (!obj) return { code: 404, body: notFound(qualifiedResource(p.resource), p.name!) };
    return { code: 200, body: present(obj, p) };
  }

  private list(p: ParsedPath, labelSelector?: string, q: Record<string, string> = {}): ApiResponse {
    let reqs;
    let fields: FieldRequirement[];
    try {
      reqs = parseSelector(labelSelector ?? '');
      fields = parseFieldSelector(q.fieldSelector ?? '', p.resource);
    } catch (e) {
      return { code: 400, body: badRequest(e instanceof SelectorParseError || e instanceof FieldSelectorError ? e.message : String(e)) };
    }
    const prefix = p.resource.namespaced && p.namespace !== undefined ? `${rkey(p.resource)}/${p.namespace}/` : `${rkey(p.resource)}/`;
    const items: KubeObject[] = [];
    for (const [k, o] of this.objects.ofResource(rkey(p.resource))) if (k.startsWith(prefix) && matches(o.metadata.labels, reqs) && (fields.length === 0 || matchesFields(o, fields))) items.push(o);
    items.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const gv = p.resource.group ? `${p.resource.group}/${p.version}` : p.version;
    const page = paginate(items, q.limit, q.continue, this.rv);
    if ('code' in page) return page;
    const metadata: KubeList['metadata'] = { resourceVersion: page.rv };
    if (page.continue) Object.assign(metadata, { continue: page.continue, remainingItemCount: page.remaining });
    return { code: 200, body: { apiVersion: gv, kind: `${p.resource.kind}List`, metadata, items: page.items.map((o) => present(o, p)) } };
  }

  private create(p: ParsedPath, body: unknown, w: WriteOptions): ApiResponse {
    const dryRun = w.dryRun;
    const shaped = this.shapeBody(p, body);
    if (isResponse(shaped)) return shaped;
    const obj = shaped;
    const r = p.resource;
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomSuffix(this.rng, 5);
    const name = obj.metadata.name ?? '';
    const metaErrs = validateMeta(obj, r);
    if (metaErrs.length) return { code: 422, body: invalid(r.kind, r.group, name, metaErrs) };
    if (r.namespaced && !this.objects.has(`/namespaces//${p.namespace}`))
      return { code: 404, body: notFound('namespaces', p.namespace!) };
    const k = key(r, p.namespace, name);
    if (this.objects.has(k)) return { code: 409, body: alreadyExists(qualifiedResource(r), name) };
    const now = this.clock.now() - this.timeShiftMs;
    obj.metadata.uid = uuid(this.rng);
    obj.metadata.creationTimestamp = isoSeconds(now);
    if (hasGeneration(r)) obj.metadata.generation = 1;
    if (w.fieldManager) recordUpdate(undefined, obj, w.fieldManager, isoSeconds(this.clock.now()));
    const req = { operation: 'CREATE' as const, resource: r, object: obj, dryRun };
    const checked = fieldValidation(this.admission.run(req), w.fieldValidation);
    const errs = checked.errs;
    let warnings = checked.warnings;
    if (errs.length) return rejection(r, p.version, obj.metadata.name ?? name, errs);
    const verdict = this.admission.runWebhooks(req);
    if (verdict.denied) return { code: verdict.denied.code ?? 400, body: verdict.denied, warnings: withWarnings(warnings, verdict.warnings) };
    warnings = withWarnings(warnings, verdict.warnings);
    const refused = this.admission.runForbidding(req);
    if (refused !== undefined) return { code: 403, body: forbiddenFor(qualifiedResource(r), obj.metadata.name ?? name, refused), warnings };
    if (dryRun) return { code: 201, body: present(obj, p), warnings };
    obj.metadata.resourceVersion = String(++this.rv);
    this.objects.set(key(r, p.namespace, obj.metadata.name ?? name), obj);
    this.emit('ADDED', r, obj);
    return { code: 201, body: present(obj, p), warnings };
  }

  private update(p: ParsedPath, body: unknown, w: WriteOptions): ApiResponse {
    const dryRun = w.dryRun;
    const shaped = this.shapeBody(p, body);
    if (isResponse(shaped)) return shaped;
    const obj = shaped;
    const r = p.resource;
    const k = key(r, p.namespace, p.name!);
    const old = this.objects.get(k);
    if (!old) return { code: 404, body: notFound(qualifiedResource(r), p.name!) };
    if (obj.metadata.name && obj.metadata.name !== p.name)
      return { code: 400, body: badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${p.name})`) };
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion)
      return { code: 409, body: conflict(qualifiedResource(r), p.name!, 'the object has been modified; please apply your changes to the latest version and try again') };
    let next: KubeObject;
    let warnings: string[] | undefined;
    if (p.subresource === 'status') {
      next = deepClone(old);
      next.status = obj.status;
    } else {
      next = obj;
      if (old.status !== undefined) next.status = old.status;
      else delete next.status;
      next.metadata = { ...obj.metadata };
      next.metadata.name = old.metadata.name;
      next.metadata.namespace = old.metadata.namespace;
      next.metadata.uid = old.metadata.uid;
      next.metadata.creationTimestamp = old.metadata.creationTimestamp;
      if (old.metadata.deletionTimestamp) next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      const metaErrs = validateMeta(next, r);
      if (metaErrs.length) return { code: 422, body: invalid(r.kind, r.group, p.name!, metaErrs) };
      if (w.fieldManager) recordUpdate(old, next, w.fieldManager, isoSeconds(this.clock.now()));
      const req = { operation: 'UPDATE' as const, resource: r, object: next, oldObject: old, dryRun };
      const checked = fieldValidation(this.admission.run(req), w.fieldValidation);
      warnings = checked.warnings;
      const errs = checked.errs;
      if (errs.length) return rejection(r, p.version, p.name!, errs);
      const verdict = this.admission.runWebhooks(req);
      warnings = withWarnings(warnings, verdict.warnings);
      if (verdict.denied) return { code: verdict.denied.code ?? 400, body: verdict.denied, warnings };
      if (old.metadata.generation !== undefined)
        next.metadata.generation = jsonEqual(generationFields(r, old), generationFields(r, next)) ? old.metadata.generation : old.metadata.generation + 1;
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (jsonEqual(stripRv(old), stripRv(next))) return { code: 200, body: present(old, p), warnings };
    if (dryRun) return { code: 200, body: present(next, p), warnings };
    next.metadata.resourceVersion = String(++this.rv);
    this.objects.set(k, next);
    this.emit('MODIFIED', r, next);
    return { code: 200, body: present(next, p), warnings };
  }

  /**
   * PATCH: the patch is applied to the stored object (in the requested version) and the
   * result goes through update(), so admission, generation and no-op detection are shared.
   * An apply patch on a missing object creates it.
   */
  private patch(p: ParsedPath, body: unknown, contentType: string, w: WriteOptions, force: boolean): ApiResponse {
    const r = p.resource;
    const type = contentType.split(';')[0].trim();
    if (!(PATCH_TYPES as readonly string[]).includes(type))
      return { code: 415, body: { ...badRequest(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`), reason: 'UnsupportedMediaType' as Status['reason'], code: 415 } };
    let doc: unknown = body;
    if (typeof body === 'string') {
      try {
        doc = type === 'application/apply-patch+yaml' ? parseYaml(body) : JSON.parse(body);
      } catch (e) {
        return { code: 400, body: badRequest(`error decoding patch: ${e instanceof Error ? e.message : String(e)}`) };
      }
    }
    const old = this.objects.get(key(r, p.namespace, p.name!));
    if (type === 'application/apply-patch+yaml') {
      if (!w.fieldManager) return { code: 400, body: badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set') };
      if (!isRecord(doc)) return { code: 400, body: badRequest('error decoding YAML: the body of the request was in an unknown format') };
      const applied = this.shapeBody(p, doc);
      if (isResponse(applied)) return applied;
      applied.apiVersion = r.group ? `${r.group}/${p.version}` : p.version;
      const res = serverSideApply(old ? present(old, p) : undefined, applied, w.fieldManager, force, isoSeconds(this.clock.now()));
      if ('conflicts' in res) {
        const st = conflict(qualifiedResource(r), p.name!, '');
        return {
          code: 409,
          body: {
            ...st,
            message: conflictMessage(res.conflicts),
            details: { causes: res.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}"${c.operation === 'Update' ? ` using ${c.apiVersion}` : ''}`, field: c.field })) },
          },
        };
      }
      const plain: WriteOptions = { ...w, fieldManager: undefined };
      return old ? this.update(p, res.object, plain) : this.create(p, res.object, plain);
    }
    if (!old) return { code: 404, body: notFound(qualifiedResource(r), p.name!) };
    let patched: unknown;
    try {
      const cur = present(old, p);
      if (type === 'application/json-patch+json') patched = jsonPatch(cur, doc);
      else if (type === 'application/merge-patch+json') patched = mergePatch(cur, doc);
      else {
        // strategic merge is defined by the Go types' merge keys: custom resources have none (apiserver: 415)
        if (r.group.endsWith('istio.io'))
          return {
            code: 415,
            body: { ...badRequest(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`), reason: 'UnsupportedMediaType' as Status['reason'], code: 415 },
          };
        patched = strategicMergePatch(cur, doc);
      }
    } catch (e) {
      if (e instanceof PatchError) return { code: 422, body: { ...invalid(r.kind, r.group, p.name!, []), message: e.message, details: undefined } };
      throw e;
    }
    if (!isRecord(patched) || !isRecord(patched.metadata)) return { code: 400, body: badRequest('the body of the request was in an unknown format') };
    return this.update(p, patched, w);
  }

  private delete(p: ParsedPath, dryRun: boolean, gracePeriodSeconds: number | undefined): ApiResponse {
    const r = p.resource;
    const k = key(r, p.namespace, p.name!);
    const old = this.objects.get(k);
    if (!old) return { code: 404, body: notFound(qualifiedResource(r), p.name!) };
    if (dryRun) return { code: 200, body: present(old, p) };
    // Pods terminate gracefully: the kubelet removes them once their containers stopped; a grace
    // period of 0 (kubectl delete --force) removes the object at once (kubernetes
    // pkg/registry/core/pod/strategy.go CheckGracefulDelete, apiserver's graceful deletion: 0 = immediate)
    if (r.kind === 'Pod' && gracePeriodSeconds !== 0 && !old.metadata.deletionTimestamp) {
      const next = deepClone(old);
      next.metadata.deletionTimestamp = isoSeconds(this.clock.now() + 1000);
      next.metadata.resourceVersion = String(++this.rv);
      this.objects.set(k, next);
      this.emit('MODIFIED', r, next);
      return { code: 200, body: present(next, p) };
    }
    this.objects.delete(k);
    this.rv++;
    this.emit('DELETED', r, old);
    if (r.kind === 'Namespace') {
      for (const [ok, o] of [...this.objects]) {
        if (o.metadata.namespace === p.name) {
          this.objects.delete(ok);
          const rk = KINDS.find((x) => rkey(x) === ok.split('/').slice(0, 2).join('/'));
          if (rk) this.emit('DELETED', rk, o);
        }
      }
    }
    return { code: 200, body: present(old, p) };
  }

  /**
   * The informer-cache view controllers read from: the stored objects themselves, not
   * copies. Callers must treat them as read-only (the store replaces objects on every
   * write, so a reference never changes under the reader). Sorted like list().
   */
  listShared(r: ResourceKind, namespace?: string, labelSelector?: string): readonly KubeObject[] {
    const reqs = parseSelector(labelSelector ?? '');
    const prefix = r.namespaced && namespace !== undefined ? `${rkey(r)}/${namespace}/` : `${rkey(r)}/`;
    const items: KubeObject[] = [];
    for (const [k, o] of this.objects.ofResource(rkey(r))) if (k.startsWith(prefix) && matches(o.metadata.labels, reqs)) items.push(o);
    return items.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  /** Removes an object at once, skipping graceful termination (the kubelet's final delete). */
  forceRemove(r: ResourceKind, namespace: string | undefined, name: string): void {
    const k = key(r, namespace, name);
    const old = this.objects.get(k);
    if (!old) return;
    this.objects.delete(k);
    this.rv++;
    this.emit('DELETED', r, old);
  }

  // ---- snapshot ---------------------------------------------------------------------------

  snapshot(): ApiServerSnapshot {
    return { resourceVersion: this.rv, objects: [...this.objects.values()].map(deepClone) };
  }

  /**
   * Replaces the whole store (objects keep their uids, resourceVersions and timestamps). No
   * watch events fire: the caller re-derives what watchers cache. Throws before changing
   * anything when an object is of an unknown kind.
   */
  restore(s: ApiServerSnapshot): void {
    const objects = new ObjectStore();
    for (const o of s.objects) objects.set(storeKey(o), deepClone(o));
    this.objects = objects;
    this.rv = s.resourceVersion;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private shapeBody(p: ParsedPath, body: unknown): KubeObject | ApiResponse {
    if (!isRecord(body) || !isRecord(body.metadata ?? {}))
      return { code: 400, body: badRequest('the body of the request was in an unknown format') };
    const obj = deepClone(body) as KubeObject;
    obj.metadata = isRecord(obj.metadata) ? obj.metadata : {};
    const r = p.resource;
    const gv = r.group ? `${r.group}/${p.version}` : p.version;
    if (obj.kind !== undefined && obj.kind !== r.kind)
      return { code: 400, body: badRequest(`the kind of the object (${String(obj.kind)}) does not match the resource (${r.plural})`) };
    if (obj.apiVersion !== undefined && obj.apiVersion !== gv)
      return { code: 400, body: badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`) };
    if (r.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== p.namespace)
        return { code: 400, body: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
      obj.metadata.namespace = p.namespace;
    } else delete obj.metadata.namespace;
    if (p.name && !obj.metadata.name) obj.metadata.name = p.name;
    // Stored in the preferred version; Istio's v1, v1beta1 and v1alpha3 share one schema.
    obj.apiVersion = r.group ? `${r.group}/${r.versions[0]}` : r.versions[0];
    obj.kind = r.kind;
    return obj;
  }

  private emit(type: WatchEventType, resource: ResourceKind, object: KubeObject): void {
    for (const w of [...this.watchers]) w({ type, resource, object });
  }
}

interface WriteOptions {
  dryRun: boolean;
  fieldManager?: string;
  /** Strict (default here), Warn or Ignore: what unknown fields do. */
  fieldValidation?: string;
}

/** fieldValidation=Warn|Ignore: unknown fields stop being errors (Warn reports them back). */
function fieldValidation(all: FieldError[], mode: string | undefined): { errs: FieldError[]; warnings?: string[] } {
  if (mode !== 'Warn' && mode !== 'Ignore') return { errs: all };
  const unknown = all.filter((e) => /^unknown field/.test(e.detail ?? ''));
  const errs = all.filter((e) => !unknown.includes(e));
  return { errs, warnings: mode === 'Warn' && unknown.length ? unknown.map((e) => `unknown field "${e.field}"`) : undefined };
}

/**
 * limit/continue: the continue token is what the apiserver's etcd3 store hands out (base64 of
 * {"v":"meta.k8s.io/v1","rv":N,"start":"<next key>"}); here the key is namespace/name.
 */
function paginate(items: KubeObject[], limit: string | undefined, token: string | undefined, rv: number): { items: KubeObject[]; rv: string; continue?: string; remaining?: number } | ApiResponse {
  let start = 0;
  let listRv = String(rv);
  if (token) {
    let parsed: { v?: string; rv?: number; start?: string };
    try {
      parsed = JSON.parse(atob(token)) as typeof parsed;
    } catch {
      parsed = {};
    }
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.start !== 'string')
      return { code: 400, body: badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)') };
    const at = parsed.start;
    start = items.findIndex((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` >= at);
    if (start < 0) start = items.length;
    listRv = String(parsed.rv ?? rv);
  }
  const n = limit !== undefined && /^\d+$/.test(limit) && Number(limit) > 0 ? Number(limit) : Infinity;
  const page = items.slice(start, start + n);
  const rest = items.length - start - page.length;
  if (rest <= 0) return { items: page, rv: listRv };
  const next = items[start + page.length];
  const cont = btoa(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(listRv), start: `${next.metadata.namespace ?? ''}/${next.metadata.name}` }));
  return { items: page, rv: listRv, continue: cont, remaining: rest };
}

/**
 * The warning the apiserver adds to every request for a deprecated resource version
 * (k8s.io/apiserver pkg/endpoints/deprecation WarningMessage; core/v1 Endpoints carries
 * `+k8s:prerelease-lifecycle-gen:deprecated=1.33` with EndpointSlice as its replacement).
 */
function deprecationWarning(r: ResourceKind): string | undefined {
  if (r.group === '' && r.kind === 'Endpoints') return 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';
  return undefined;
}

/**
 * What a change of bumps metadata.generation: the spec, or for an EndpointSlice (which has
 * none) everything but its metadata, and its labels (kubernetes
 * pkg/registry/discovery/endpointslice/strategy.go PrepareForUpdate).
 */
function generationFields(r: ResourceKind, o: KubeObject): unknown {
  if (r.kind === 'EndpointSlice') return { addressType: o.addressType, endpoints: o.endpoints, ports: o.ports, labels: o.metadata.labels };
  return o.spec;
}

/** Kinds whose spec changes bump metadata.generation (workload controllers and custom resources). */
function hasGeneration(r: ResourceKind): boolean {
  // RBAC's registry strategies leave metadata.generation unset (kubernetes pkg/registry/rbac/*/strategy.go)
  return r.group !== '' && r.group !== 'rbac.authorization.k8s.io';
}

/**
 * Unknown fields fail decoding before admission (kubectl's default --validate=strict asks for
 * strict field validation): 400 "strict decoding error"; everything else is 422 Invalid.
 */
function rejection(r: ResourceKind, version: string, name: string, errs: FieldError[]): ApiResponse {
  const unknown = errs.filter((e) => /^unknown field/.test(e.detail ?? ''));
  if (unknown.length)
    return {
      code: 400,
      body: badRequest(`${r.kind} in version "${version}" cannot be handled as a ${r.kind}: strict decoding error: ${unknown.map((e) => `unknown field "${e.field}"`).join(', ')}`),
    };
  return { code: 422, body: invalid(r.kind, r.group, name, errs) };
}

function isStatusBody(b: ApiResponse['body']): boolean {
  return (b as { kind?: string }).kind === 'Status';
}

function isResponse(v: KubeObject | ApiResponse): v is ApiResponse {
  return typeof (v as ApiResponse).code === 'number' && 'body' in v;
}

function stripRv(o: KubeObject): KubeObject {
  return { ...o, metadata: { ...o.metadata, resourceVersion: undefined } };
}

function rkey(r: ResourceKind): string {
  return `${r.group}/${r.plural}`;
}

function key(r: ResourceKind, namespace: string | undefined, name: string): string {
  return `${rkey(r)}/${r.namespaced ? namespace ?? '' : ''}/${name}`;
}

/** Where a stored object lives in the store; throws for a kind this apiserver does not serve. */
export function storeKey(o: KubeObject): string {
  const r = kindFor(String(o.apiVersion), String(o.kind));
  if (!r) throw new Error(`unknown kind ${String(o.apiVersion)}/${String(o.kind)}`);
  return key(r, o.metadata.namespace, o.metadata.name ?? '');
}

function present(o: KubeObject, p: ParsedPath): KubeObject {
  const c = deepClone(o);
  if (p.resource.group) c.apiVersion = `${p.resource.group}/${p.version}`;
  return c;
}

function notFoundPath(msg: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: msg, reason: 'NotFound', code: 404 };
}

function validateMeta(obj: KubeObject, r: ResourceKind): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name;
  if (!name) errs.push({ field: 'metadata.name', type: 'Required', detail: 'name or generateName is required' });
  else {
    const re = r.kind === 'Namespace' || r.kind === 'Service' ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
    if (typeof name !== 'string' || !re.test(name) || name.length > 253) {
      const rule =
        re === DNS1123_LABEL
          ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
          : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
      errs.push({ field: 'metadata.name', type: 'Invalid', value: name, detail: rule });
    }
  }
  const labels = obj.metadata.labels;
  if (labels !== undefined && !isRecord(labels)) errs.push({ field: 'metadata.labels', type: 'Invalid', value: labels, detail: 'must be a map of strings' });
  else if (labels)
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v !== 'string')
        errs.push({ field: `metadata.labels`, type: 'Invalid', value: v, detail: `label value for "${k}" must be a string` });
      else if (v.length > 63 || (v !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v)))
        errs.push({
          field: 'metadata.labels',
          type: 'Invalid',
          value: v,
          detail: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        });
    }
  return errs;
}

export function parsePath(path: string): ParsedPath | { error: string } {
  const parts = path.split('?')[0].split('/').filter(Boolean);
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return { error: 'the server could not find the requested resource' };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  const resource = KINDS.find((k) => k.group === group && k.plural === plural && k.versions.includes(version));
  if (!resource) return { error: 'the server could not find the requested resource' };
  if (!resource.namespaced && namespace !== undefined) return { error: 'the server could not find the requested resource' };
  return { resource, version, namespace, name, subresource };
}

/** Builds the REST path for a kind. */
export function resourcePath(r: ResourceKind, namespace?: string, name?: string, subresource?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.versions[0]}` : `/api/${r.versions[0]}`;
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${namespace}` : '';
  return `${base}${ns}/${r.plural}${name ? `/${name}` : ''}${subresource ? `/${subresource}` : ''}`;
}

export type { Operation };

/** Warnings of field validation and of the webhooks, in that order (undefined when there are none). */
function withWarnings(a: string[] | undefined, b: string[]): string[] | undefined {
  const all = [...(a ?? []), ...b];
  return all.length ? all : undefined;
}
