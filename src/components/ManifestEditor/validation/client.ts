/**
 * The page's side of validation: requests go to a Web Worker so a huge paste or a hostile
 * document never blocks typing. A request that takes longer than `timeoutMs` ends the worker
 * (the next request starts a fresh one) and is answered with a ValidationTimeout, so a
 * runaway validation can never pile up. Without Worker support the same service runs on the
 * page, loaded on first use.
 */
import type {MonacoSchema, PageManifest, ValidationOutcome, WorkerRequest, WorkerResponse} from './protocol';
import type {ValidationService} from './service';

/** The part of the Worker API the client uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  terminate(): void;
  onmessage: ((event: {data: WorkerResponse}) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export class ValidationTimeout extends Error {
  constructor(readonly ms: number) {
    super(`validation took longer than ${ms} ms and was stopped`);
    this.name = 'ValidationTimeout';
  }
}

interface Pending {
  resolve(response: WorkerResponse): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface ClientOptions {
  /** Makes the worker; null when workers are unavailable. */
  createWorker: () => WorkerLike | null;
  /** The same service on the page, for when there is no worker. */
  loadFallback: () => Promise<ValidationService>;
  timeoutMs?: number;
}

export class ValidationClient {
  private worker: WorkerLike | null = null;
  private workerFailed = false;
  private fallback: Promise<ValidationService> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;

  constructor(private readonly options: ClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 4000;
  }

  async validate(file: string, text: string, page: PageManifest[]): Promise<ValidationOutcome> {
    const worker = this.ensureWorker();
    if (!worker) return (await this.service()).validate({file, text, page});
    const response = await this.request(worker, {type: 'validate', id: this.nextId++, file, text, page});
    if (response.type === 'result') return {diagnostics: response.diagnostics, silenced: response.silenced, ms: response.ms};
    throw new Error(response.type === 'error' ? response.message : 'unexpected answer from the validation worker');
  }

  async schemas(): Promise<MonacoSchema[]> {
    const worker = this.ensureWorker();
    if (!worker) return (await this.service()).schemas();
    const response = await this.request(worker, {type: 'schemas', id: this.nextId++}, Math.max(this.timeoutMs, 15_000));
    if (response.type === 'schemas') return response.schemas;
    throw new Error(response.type === 'error' ? response.message : 'unexpected answer from the validation worker');
  }

  dispose(): void {
    this.stopWorker(new Error('validation client disposed'));
  }

  private service(): Promise<ValidationService> {
    this.fallback ??= this.options.loadFallback();
    return this.fallback;
  }

  private ensureWorker(): WorkerLike | null {
    if (this.worker || this.workerFailed) return this.worker;
    let worker: WorkerLike | null = null;
    try {
      worker = this.options.createWorker();
    } catch {
      worker = null;
    }
    if (!worker) {
      this.workerFailed = true;
      return null;
    }
    worker.onmessage = (event) => {
      const pending = this.pending.get(event.data.id);
      if (!pending) return;
      clearTimeout(pending.timer);
      this.pending.delete(event.data.id);
      pending.resolve(event.data);
    };
    worker.onerror = () => {
      // A worker that cannot even load (blocked, broken chunk): use the page from now on.
      this.workerFailed = true;
      this.stopWorker(new Error('the validation worker failed'));
    };
    this.worker = worker;
    return worker;
  }

  private request(worker: WorkerLike, message: WorkerRequest, timeoutMs: number = this.timeoutMs): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(message.id);
        reject(new ValidationTimeout(timeoutMs));
        // The worker is stuck on this request: everything queued behind it would wait too.
        this.stopWorker(new ValidationTimeout(timeoutMs));
      }, timeoutMs);
      this.pending.set(message.id, {resolve, reject, timer});
      worker.postMessage(message);
    });
  }

  private stopWorker(reason: Error): void {
    this.worker?.terminate();
    this.worker = null;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(reason);
      this.pending.delete(id);
    }
  }
}
