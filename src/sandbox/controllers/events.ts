/**
 * Events, as controllers and the kubelet record them (`kubectl get events`, the Events table
 * of `kubectl describe`). Repeated events for the same object and reason bump `count`.
 */
import type { ApiClient } from '../api/client';
import { isoSeconds } from '../core/clock';
import { deepClone, type KubeObject } from '../api/types';
import { fnv1a } from '../dataplane/loadBalancer';

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
const AGGREGATE_INTERVAL_MS = 600_000;

export class EventRecorder {
  private seq = 0;
  /** aggregate key → the distinct messages seen and when the last one came (not snapshotted, as the real cache is in memory). */
  private readonly similar = new Map<string, { messages: Set<string>; last: number }>();
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
    const name = `${obj.metadata.name}.${(fnv1a(key) >>> 0).toString(16).padStart(8, '0')}${(fnv1a(`${key}#`) >>> 0).toString(16).padStart(8, '0')}`;
    const existing = this.client.get(E, ns, name);
    const ts = isoSeconds(now);
    if (existing.ok) {
      const u = deepClone(existing.value);
      u.count = Number(u.count ?? 1) + 1;
      u.lastTimestamp = ts;
      u.message = message;
      this.client.update(E, u);
      return;
    }
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
    this.seq++;
  }
}
