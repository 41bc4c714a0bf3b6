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

export class EventRecorder {
  private seq = 0;
  constructor(private readonly client: ApiClient) {}

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, now: number, fieldPath?: string): void {
    const E = this.client.kind('Event');
    const ns = obj.metadata.namespace ?? 'default';
    const key = `${obj.kind}/${obj.metadata.name}/${fieldPath ?? ''}/${reason}/${message}`;
    const name = `${obj.metadata.name}.${(fnv1a(key) >>> 0).toString(16).padStart(8, '0')}${(fnv1a(`${key}#`) >>> 0).toString(16).padStart(8, '0')}`;
    const existing = this.client.get(E, ns, name);
    const ts = isoSeconds(now);
    if (existing.ok) {
      const u = deepClone(existing.value);
      u.count = Number(u.count ?? 1) + 1;
      u.lastTimestamp = ts;
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
