/**
 * A typed client over ApiServer.handle(): what kubectl and the controllers use.
 * Nothing outside the api layer touches the store directly.
 */
import { kindByName, kindForObject, type ResourceKind } from './kinds';
import type { ApiServer, KubeList } from './server';
import { resourcePath } from './server';
import { isStatus, type Status } from './status';
import type { KubeObject } from './types';

/** A response: the object, or the Status of a failure; `warnings` as the apiserver's Warning headers carry them. */
export type Result<T> = { ok: true; value: T; code: number; warnings?: string[] } | { ok: false; status: Status; warnings?: string[] };

export class ApiClient {
  constructor(readonly server: ApiServer) {}

  kind(kind: string, group?: string): ResourceKind {
    const k = kindByName(kind, group);
    if (!k) throw new Error(`unknown kind ${kind}`);
    return k;
  }

  get(r: ResourceKind, namespace: string | undefined, name: string): Result<KubeObject> {
    return this.one(this.server.handle({ method: 'GET', path: resourcePath(r, namespace, name) }));
  }

  list(r: ResourceKind, namespace?: string, labelSelector?: string): Result<KubeObject[]> {
    const res = this.server.handle({ method: 'GET', path: resourcePath(r, namespace), query: labelSelector ? { labelSelector } : undefined });
    const warnings = res.warnings?.length ? { warnings: res.warnings } : {};
    if (isStatus(res.body)) return { ok: false, status: res.body, ...warnings };
    return { ok: true, value: (res.body as KubeList).items, code: res.code, ...warnings };
  }

  /**
   * Shared, read-only objects from the apiserver's cache (what a controller's informer
   * gives): no copy, so it is cheap; never mutate what it returns, deepClone before writing.
   */
  cached(r: ResourceKind, namespace?: string, labelSelector?: string): Result<KubeObject[]> {
    return { ok: true, value: this.server.listShared(r, namespace, labelSelector) as KubeObject[], code: 200 };
  }

  create(r: ResourceKind, obj: KubeObject, opts: { dryRun?: boolean } = {}): Result<KubeObject> {
    const ns = r.namespaced ? obj.metadata.namespace ?? 'default' : undefined;
    // sent to the path of the object's own version, as kubectl does (the store keeps one copy)
    return this.one(this.server.handle({ method: 'POST', path: resourcePath(kindForObject(r, obj.apiVersion), ns), body: obj, query: opts.dryRun ? { dryRun: 'All' } : undefined }));
  }

  update(r: ResourceKind, obj: KubeObject, opts: { dryRun?: boolean } = {}): Result<KubeObject> {
    const ns = r.namespaced ? obj.metadata.namespace ?? 'default' : undefined;
    return this.one(
      this.server.handle({ method: 'PUT', path: resourcePath(kindForObject(r, obj.apiVersion), ns, obj.metadata.name), body: obj, query: opts.dryRun ? { dryRun: 'All' } : undefined }),
    );
  }

  updateStatus(r: ResourceKind, obj: KubeObject): Result<KubeObject> {
    const ns = r.namespaced ? obj.metadata.namespace ?? 'default' : undefined;
    return this.one(this.server.handle({ method: 'PUT', path: resourcePath(r, ns, obj.metadata.name, 'status'), body: obj }));
  }

  delete(r: ResourceKind, namespace: string | undefined, name: string, opts: { dryRun?: boolean; gracePeriodSeconds?: number } = {}): Result<KubeObject> {
    const query: Record<string, string> = {};
    if (opts.dryRun) query.dryRun = 'All';
    if (opts.gracePeriodSeconds !== undefined) query.gracePeriodSeconds = String(opts.gracePeriodSeconds);
    return this.one(this.server.handle({ method: 'DELETE', path: resourcePath(r, namespace, name), query }));
  }

  /** GET a connect subresource such as pods/log; returns its text. */
  subresource(r: ResourceKind, namespace: string | undefined, name: string, sub: string, query: Record<string, string> = {}): Result<string> {
    const res = this.server.handle({ method: 'GET', path: resourcePath(r, namespace, name, sub), query });
    if (isStatus(res.body)) return { ok: false, status: res.body };
    return { ok: true, value: res.text ?? '', code: res.code };
  }

  private one(res: { code: number; body: unknown; warnings?: string[] }): Result<KubeObject> {
    const warnings = res.warnings?.length ? { warnings: res.warnings } : {};
    if (isStatus(res.body)) return { ok: false, status: res.body, ...warnings };
    return { ok: true, value: res.body as KubeObject, code: res.code, ...warnings };
  }
}
