/** The HTTP shapes of the sandbox's Kubernetes API, independent of any server library. */

export interface HttpRequest {
  method: string;
  /** Path and query, as on the request line: `/api/v1/namespaces/default/pods?limit=500`. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
  /** The raw body when it is not text (protobuf). */
  bytes?: Uint8Array;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** A long answer (watch, log -f): chunks are written until the client goes or the stream ends. */
export interface HttpStream {
  status: number;
  headers: Record<string, string>;
  /** Starts producing; returns a function that stops it (the client went away). */
  start(sink: { write(chunk: string): void; end(): void }): () => void;
}

export function isStream(r: HttpResponse | HttpStream): r is HttpStream {
  return typeof (r as HttpStream).start === 'function';
}
