/**
 * Events, as controllers and the kubelet record them (`kubectl get events`, the Events table
 * of `kubectl describe`). Repeated events for the same object and reason bump `count`.
 */
import type { ApiClient } from '../api/client';
import { isoSeconds } from '../core/clock';
import { deepClone, type KubeObject } from '../api/types';

export interface EventSource {
  component: string;
  host?: string;
}

/**
 * Similar events (the same source, object, type and reason; another message) are aggregated
 * once 10 different messages came within 10 minutes: from then on one event, its message
 * prefixed `(combined from similar events): `, counts them.
 * Source: kubernetes/kubernetes staging/src/k8s.io/client-go/tools/record/events_cache.go
 * (defaultAggregateMaxEvents, defaultAggregateIntervalInSeconds, EventAggregator.EventAggregate,
 * EventAggregatorByReasonMessageFunc).
 */
const AGGREGATE_MAX_EVENTS = 10;
/** The name's number: 16 hex digits starting 188, as a UnixNano of late 2026 reads, then the resourceVersion. */
const eventNumber = (revision: number): string => `188${revision.toString(16).padStart(13, '0')}`;
const AGGREGATE_INTERVAL_MS = 600_000;

export class EventRecorder {
  /** aggregate key → the distinct messages seen and when the last one came (not snapshotted, as the real cache is in memory). */
  private readonly similar = new Map<string, { messages: Set<string>; last: number }>();
  /** event key → the name of the event that counts it (the correlator's in-memory cache, events_cache.go eventLogger). */
  private readonly names = new Map<string, string>();
  constructor(private readonly client: ApiClient) {}

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, now: number, fieldPath?: string): void {
    const E = this.client.kind('Event');
    const ns = obj.metadata.namespace ?? 'default';
    const aggregateKey = `${source.component}/${source.host ?? ''}/${obj.kind}/${ns}/${obj.metadata.name}/${obj.metadata.uid ?? ''}/${fieldPath ?? ''}/${type}/${reason}`;
    const prev = this.similar.get(aggregateKey);
    const seen = prev && now - prev.last <= AGGREGATE_INTERVAL_MS ? prev : { messages: new Set<string>(), last: now };
    seen.messages.add(message);
    seen.last = now;
    this.similar.set(aggregateKey, seen);
    let key = `${obj.kind}/${obj.metadata.name}/${fieldPath ?? ''}/${reason}/${message}`;
    if (seen.messages.size >= AGGREGATE_MAX_EVENTS) {
      seen.messages.delete(seen.messages.values().next().value as string);
      key = aggregateKey;
      message = `(combined from similar events): ${message}`;
    }
    const cacheKey = `${ns}/${key}`;
    const known = this.names.get(cacheKey);
    const existing = known ? this.client.get(E, ns, known) : undefined;
    const ts = isoSeconds(now);
    if (existing?.ok) {
      const u = deepClone(existing.value);
      u.count = Number(u.count ?? 1) + 1;
      u.lastTimestamp = ts;
      u.message = message;
      this.client.update(E, u);
      return;
    }
    // client-go record makeEvent names an event `<object>.<UnixNano in hex>`, so the apiserver lists
    // events in the order they happened and describe keeps that order within a second (its sort is
    // stable for short lists). Here the apiserver's resourceVersion, which grows with every write and
    // is kept in snapshots, stands in for the nanoseconds: the order is the same and a start state
    // moved in time (shiftSnapshot) keeps its names.
    const name = `${obj.metadata.name}.${eventNumber(this.client.server.revision + 1)}`;
    this.names.set(cacheKey, name);
    this.client.create(E, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: ns, uid: obj.metadata.uid, ...(fieldPath ? { fieldPath } : {}) },
      reason,
      message,
      type,
      source,
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
  }
}
