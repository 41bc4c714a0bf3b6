import {afterEach, describe, expect, it, vi} from 'vitest';
import {ValidationClient, ValidationTimeout, type WorkerLike} from './client';
import {debounce} from './debounce';
import type {WorkerRequest, WorkerResponse} from './protocol';
import {createValidationService} from './service';

/** A worker that answers with `answer`, or never (a hung validation). */
class FakeWorker implements WorkerLike {
  onmessage: ((event: {data: WorkerResponse}) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  terminated = false;
  received: WorkerRequest[] = [];
  constructor(private readonly answer: (request: WorkerRequest) => WorkerResponse | null) {}
  postMessage(message: WorkerRequest): void {
    this.received.push(message);
    const response = this.answer(message);
    if (response) setTimeout(() => this.onmessage?.({data: response}), 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

const ok = (request: WorkerRequest): WorkerResponse =>
  request.type === 'validate' ? {type: 'result', id: request.id, diagnostics: [], silenced: [], ms: 1} : {type: 'schemas', id: request.id, schemas: []};

afterEach(() => {
  vi.useRealTimers();
});

describe('validation client', () => {
  it('sends the block, its text and the page context to the worker', async () => {
    const worker = new FakeWorker(ok);
    const client = new ValidationClient({createWorker: () => worker, loadFallback: () => Promise.reject(new Error('unused'))});
    await expect(client.validate('a.yaml', 'kind: X', [{file: 'b.yaml', text: 'kind: Y'}])).resolves.toEqual({diagnostics: [], silenced: [], ms: 1});
    expect(worker.received[0]).toMatchObject({type: 'validate', file: 'a.yaml', text: 'kind: X', page: [{file: 'b.yaml', text: 'kind: Y'}]});
    await expect(client.schemas()).resolves.toEqual([]);
  });

  it('stops a hung worker after the timeout and starts a fresh one for the next request', async () => {
    vi.useFakeTimers();
    const workers: FakeWorker[] = [];
    let hang = true;
    const client = new ValidationClient({
      createWorker: () => {
        const w = new FakeWorker((r) => (hang ? null : ok(r)));
        workers.push(w);
        return w;
      },
      loadFallback: () => Promise.reject(new Error('unused')),
      timeoutMs: 500,
    });
    const first = client.validate('a.yaml', '&a [*a, *a]', []);
    const queued = client.validate('a.yaml', 'second', []);
    const firstResult = expect(first).rejects.toBeInstanceOf(ValidationTimeout);
    const queuedResult = expect(queued).rejects.toBeInstanceOf(ValidationTimeout);
    await vi.advanceTimersByTimeAsync(600);
    await firstResult;
    await queuedResult;
    expect(workers[0].terminated).toBe(true);
    hang = false;
    const next = client.validate('a.yaml', 'fixed', []);
    await vi.advanceTimersByTimeAsync(10);
    await expect(next).resolves.toMatchObject({diagnostics: []});
    expect(workers).toHaveLength(2);
  });

  it('validates on the page when workers are unavailable', async () => {
    const loadFallback = vi.fn(async () => createValidationService({}));
    const client = new ValidationClient({createWorker: () => null, loadFallback});
    const result = await client.validate('x.yaml', 'apiVersion: v1\nkind: Nonsense\nmetadata:\n  name: x\n', []);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['K8S002']);
    await client.validate('x.yaml', 'apiVersion: v1\n', []);
    expect(loadFallback).toHaveBeenCalledTimes(1);
  });

  it('falls back to the page when the worker fails to load', async () => {
    const worker = new FakeWorker(() => null);
    const client = new ValidationClient({createWorker: () => worker, loadFallback: async () => createValidationService({}), timeoutMs: 10_000});
    const pending = client.validate('a.yaml', 'a: 1', []);
    worker.onerror?.(new Event('error'));
    await expect(pending).rejects.toThrow('failed');
    await expect(client.validate('a.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n', [])).resolves.toMatchObject({diagnostics: []});
  });

  it('reports errors thrown inside the worker', async () => {
    const worker = new FakeWorker((r) => ({type: 'error', id: r.id, message: 'boom'}));
    const client = new ValidationClient({createWorker: () => worker, loadFallback: () => Promise.reject(new Error('unused'))});
    await expect(client.validate('a.yaml', '', [])).rejects.toThrow('boom');
  });
});

describe('debounce', () => {
  it('runs once after the last call; flush runs now; cancel drops it', () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const d = debounce(run, 100);
    expect(d.pending()).toBe(false);
    d.schedule();
    expect(d.pending()).toBe(true);
    vi.advanceTimersByTime(60);
    d.schedule();
    vi.advanceTimersByTime(60);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(run).toHaveBeenCalledTimes(1);
    d.schedule();
    d.flush();
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(2);
    d.schedule();
    d.cancel();
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(2);
  });
});
