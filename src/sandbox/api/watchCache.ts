/**
 * The watch cache (the apiserver's cacher, k8s.io/apiserver/pkg/storage/cacher): a bounded
 * history of watch events with their resourceVersions, so a client can resume a watch from a
 * resourceVersion it saw, and gets `410 Gone` ("too old resource version") once that version
 * has left the window.
 */
import type { ResourceKind } from './kinds';
import type { ApiServer, WatchEventType } from './server';
import type { KubeObject } from './types';

export interface CachedEvent {
  type: WatchEventType;
  resource: ResourceKind;
  object: KubeObject;
  rv: number;
}

export type WatchFilter = (o: KubeObject) => boolean;

export class WatchCache {
  private events: CachedEvent[] = [];
  private listeners = new Set<(e: CachedEvent) => void>();
  /** The oldest resourceVersion a watch can resume from. */
  private oldest: number;

  constructor(
    private readonly server: ApiServer,
    private readonly capacity = 4096,
  ) {
    this.oldest = server.revision;
    server.watch((e) => {
      // a deleted object carries the resourceVersion of its deletion (etcd's delete revision)
      const rv = e.type === 'DELETED' ? server.revision : Number(e.object.metadata.resourceVersion ?? server.revision);
      const object = e.type === 'DELETED' ? { ...e.object, metadata: { ...e.object.metadata, resourceVersion: String(rv) } } : e.object;
      const ev: CachedEvent = { type: e.type, resource: e.resource, object, rv };
      this.events.push(ev);
      if (this.events.length > this.capacity) {
        const dropped = this.events.splice(0, this.events.length - this.capacity);
        this.oldest = dropped[dropped.length - 1].rv;
      }
      for (const l of [...this.listeners]) l(ev);
    });
  }

  get revision(): number {
    return this.server.revision;
  }

  /**
   * Events for `resource` after resourceVersion `from`, then live ones. Returns 'gone' when
   * `from` is older than the window (the caller answers 410 Expired).
   */
  subscribe(resource: ResourceKind, from: number | undefined, filter: WatchFilter, cb: (e: CachedEvent) => void): (() => void) | { gone: number } {
    const mine = (e: CachedEvent): boolean => e.resource.group === resource.group && e.resource.plural === resource.plural && filter(e.object);
    if (from !== undefined) {
      if (from < this.oldest) return { gone: this.oldest + 1 };
      for (const e of this.events) if (e.rv > from && mine(e)) cb(e);
    }
    const l = (e: CachedEvent): void => {
      if (mine(e)) cb(e);
    };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
