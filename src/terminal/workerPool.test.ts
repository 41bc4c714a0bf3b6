import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from './protocol';
import { startWorkerEarly } from './sandboxWorker';
import { prewarmWorker, takeTransport } from './workerPool';

/** A stand-in for the browser's Worker: counts the workers started and the messages they were sent. */
class FakeWorker {
  static started: FakeWorker[] = [];
  readonly sent: unknown[] = [];
  terminated = false;
  onmessage: unknown = null;
  onerror: unknown = null;
  constructor() {
    FakeWorker.started.push(this);
  }
  postMessage(m: unknown): void {
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('the sandbox worker pool', () => {
  const real = (globalThis as { Worker?: unknown }).Worker;
  beforeEach(() => {
    FakeWorker.started = [];
    (globalThis as { Worker?: unknown }).Worker = FakeWorker;
  });
  afterEach(() => {
    (globalThis as { Worker?: unknown }).Worker = real;
  });

  it('the terminal takes the warmed worker; a prewarm after that starts no second sandbox until it closes', () => {
    prewarmWorker('traffic-split');
    expect(FakeWorker.started).toHaveLength(1);
    expect(FakeWorker.started[0].sent).toEqual([{ type: 'start', scenario: 'traffic-split', replay: [] }]);
    const transport = takeTransport();
    expect(transport.prestarted).toBe('traffic-split');
    // the dock's own prewarm, run after its terminal took the worker
    prewarmWorker('traffic-split');
    expect(FakeWorker.started).toHaveLength(1);
    transport.close();
    expect(FakeWorker.started[0].terminated).toBe(true);
    // the lesson opened again (the terminal closed): warming starts a new worker
    prewarmWorker('traffic-split');
    expect(FakeWorker.started).toHaveLength(2);
    takeTransport().close();
  });

  it('another lesson is warmed while a terminal holds its worker', () => {
    prewarmWorker('egress');
    const egress = takeTransport();
    prewarmWorker('mtls');
    expect(FakeWorker.started).toHaveLength(2);
    expect(FakeWorker.started[1].sent).toEqual([{ type: 'start', scenario: 'mtls', replay: [] }]);
    takeTransport().close();
    egress.close();
  });

  it('the worker started on intent is the one the pool warms: one worker, what it posted before is kept in order', () => {
    startWorkerEarly();
    startWorkerEarly(); // pointer and focus both show intent
    expect(FakeWorker.started).toHaveLength(1);
    const worker = FakeWorker.started[0] as unknown as { onmessage: (e: { data: unknown }) => void; onerror: () => void };
    worker.onmessage({ data: { type: 'progress', message: 'first' } });
    worker.onmessage({ data: 'not a protocol message' });
    worker.onerror();
    prewarmWorker('egress');
    expect(FakeWorker.started).toHaveLength(1);
    expect(FakeWorker.started[0].sent).toEqual([{ type: 'start', scenario: 'egress', replay: [] }]);
    const transport = takeTransport();
    const got: ServerMessage[] = [];
    transport.listen((m) => got.push(m));
    expect(got.map((m) => m.type)).toEqual(['progress', 'error']);
    transport.close();
  });

  it('a terminal opened with no warming takes the worker started on intent', () => {
    startWorkerEarly();
    const transport = takeTransport();
    expect(FakeWorker.started).toHaveLength(1);
    expect(transport.prestarted).toBeUndefined();
    transport.close();
    expect(FakeWorker.started[0].terminated).toBe(true);
  });
});
