/**
 * pods/portforward: the kubelet's side of `kubectl port-forward`
 * (kubernetes pkg/kubelet/cri/streaming/portforward/httpstream.go, containerd's
 * sandbox_portforward_linux.go). For every local connection kubectl opens two SPDY streams with
 * the same `requestID`: an error stream and a data stream. Once both are there the kubelet dials
 * localhost:<port> inside the pod's network namespace and copies bytes both ways; a failure is
 * written as text on the error stream, which kubectl prints as
 * `an error occurred forwarding L -> R: …` before it gives the whole forward up.
 *
 * What the pod answers is the sandbox's business (`PodTarget`); this module only speaks SPDY.
 */
import {
  CONTROL_PING,
  CONTROL_RST_STREAM,
  CONTROL_SYN_STREAM,
  FLAG_FIN,
  FrameReader,
  HeaderCompressor,
  HeaderDecompressor,
  MAX_DATA_LENGTH,
  RST_CANCEL,
  RST_PROTOCOL_ERROR,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  goAwayFrame,
  parseSynStream,
  pingFrame,
  rstStreamFrame,
  synReplyFrame,
} from './spdy';

/** One TCP connection into the pod, as the kubelet's dial made it. */
export interface PodConnection {
  /** Bytes from the local client (through kubectl). */
  write(bytes: Buffer): void;
  /** The local client closed its side (kubectl half-closed the data stream). */
  end(): void;
  /** kubectl went away: drop everything. */
  destroy(): void;
}

export interface ConnectionEvents {
  data(bytes: Buffer): void;
  /** The pod side is done; `error` is the copy's failure, if any (written on the error stream). */
  close(error?: string): void;
}

export interface PodTarget {
  /** Dials localhost:port in the pod's network namespace; a string is the dial error. */
  connect(port: number, events: ConnectionEvents): PodConnection | string;
  /** The pod's sandbox id and network namespace, for the kubelet's and containerd's error text. */
  sandboxId: string;
  netnsPath: string;
}

interface Stream {
  id: number;
  type: 'data' | 'error';
  port: number;
  requestId: string;
  /** FIN seen from kubectl. */
  remoteClosed: boolean;
  /** FIN sent by us. */
  localClosed: boolean;
}

interface Pair {
  data?: Stream;
  error?: Stream;
  conn?: PodConnection;
}

export class PortForwardSession {
  private readonly reader = new FrameReader();
  private readonly inflater = new HeaderDecompressor();
  private readonly deflater = new HeaderCompressor();
  private readonly streams = new Map<number, Stream>();
  private readonly pairs = new Map<string, Pair>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private lastStreamId = 0;

  constructor(
    private readonly target: PodTarget,
    private readonly sendRaw: (bytes: Buffer) => void,
    private readonly hangUp: () => void,
  ) {}

  /** Bytes from kubectl, in order; frames are handled one after another. */
  receive(bytes: Buffer): void {
    if (this.closed) return;
    let frames;
    try {
      frames = this.reader.push(bytes);
    } catch {
      this.fail();
      return;
    }
    for (const f of frames) this.queue = this.queue.then(() => this.handle(f)).catch(() => this.fail());
  }

  private send(b: Buffer): void {
    this.sendRaw(b);
  }

  /** kubectl's connection is gone. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pairs.values()) p.conn?.destroy();
    this.pairs.clear();
    this.inflater.close();
  }

  private fail(): void {
    if (this.closed) return;
    this.send(goAwayFrame(this.lastStreamId, RST_PROTOCOL_ERROR));
    this.close();
    this.hangUp();
  }

  private async handle(f: ReturnType<FrameReader['push']>[number]): Promise<void> {
    if (this.closed) return;
    if (f.kind === 'data') return this.onData(f.streamId, f.data, (f.flags & FLAG_FIN) !== 0);
    if (f.type === CONTROL_PING && f.payload.length >= 4) return this.send(pingFrame(f.payload.readUInt32BE(0)));
    if (f.type === CONTROL_RST_STREAM && f.payload.length >= 4) return this.onReset(f.payload.readUInt32BE(0) & 0x7fffffff);
    if (f.type !== CONTROL_SYN_STREAM) return; // SETTINGS, WINDOW_UPDATE, HEADERS, GOAWAY: nothing to do
    const syn = parseSynStream(f.payload);
    if (!syn) return this.fail();
    const headers = decodeHeaderBlock(await this.inflater.decompress(syn.headerBlock));
    if (!headers) return this.fail();
    this.lastStreamId = Math.max(this.lastStreamId, syn.streamId);
    // httpstream.go httpStreamReceived: a stream without a valid port or stream type is rejected (reset)
    const portText = headers.get('port')?.[0] ?? '';
    const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    const type = headers.get('streamtype')?.[0];
    if (!(port >= 1 && port <= 65535) || (type !== 'data' && type !== 'error')) {
      this.send(rstStreamFrame(syn.streamId, RST_CANCEL));
      return;
    }
    const stream: Stream = { id: syn.streamId, type, port, requestId: headers.get('requestid')?.[0] ?? '', remoteClosed: (f.flags & FLAG_FIN) !== 0, localClosed: false };
    this.streams.set(stream.id, stream);
    this.send(synReplyFrame(stream.id, this.deflater.compress(encodeHeaderBlock([]))));
    const pair = this.pairs.get(stream.requestId) ?? {};
    pair[type] = stream;
    this.pairs.set(stream.requestId, pair);
    if (pair.data && pair.error && !pair.conn) this.forward(pair);
  }

  private forward(pair: Pair): void {
    const data = pair.data!;
    const error = pair.error!;
    const finish = (message?: string): void => {
      if (this.closed) return;
      if (message) {
        // httpstream.go portForward: "error forwarding port %d to pod %s, uid %v: %v" (the CRI
        // path passes the pod sandbox id and no uid); containerd wraps its own error with the netns
        const text = `error forwarding port ${data.port} to pod ${this.target.sandboxId}, uid : failed to execute portforward in network namespace "${this.target.netnsPath}": ${message}`;
        this.writeData(error, Buffer.from(text, 'utf8'));
      }
      this.endStream(error);
      this.endStream(data);
      this.pairs.delete(data.requestId);
    };
    const conn = this.target.connect(data.port, {
      data: (bytes) => this.writeData(data, bytes),
      close: (err) => finish(err),
    });
    if (typeof conn === 'string') return finish(conn);
    pair.conn = conn;
    if (data.remoteClosed) conn.end();
  }

  private onData(streamId: number, bytes: Buffer, fin: boolean): void {
    const s = this.streams.get(streamId);
    if (!s) return;
    const pair = this.pairs.get(s.requestId);
    if (s.type === 'data' && bytes.length > 0) pair?.conn?.write(bytes);
    if (fin && !s.remoteClosed) {
      s.remoteClosed = true;
      if (s.type === 'data') pair?.conn?.end();
    }
    this.forgetIfDone(s);
  }

  private onReset(streamId: number): void {
    const s = this.streams.get(streamId);
    if (!s) return;
    const pair = this.pairs.get(s.requestId);
    pair?.conn?.destroy();
    this.pairs.delete(s.requestId);
    for (const x of [pair?.data, pair?.error]) if (x) this.streams.delete(x.id);
  }

  private writeData(s: Stream, bytes: Buffer): void {
    if (this.closed || s.localClosed) return;
    for (let at = 0; at < bytes.length; at += MAX_DATA_LENGTH) this.send(dataFrame(s.id, bytes.subarray(at, at + MAX_DATA_LENGTH), false));
  }

  private endStream(s: Stream): void {
    if (this.closed || s.localClosed) return;
    s.localClosed = true;
    this.send(dataFrame(s.id, Buffer.alloc(0), true));
    this.forgetIfDone(s);
  }

  private forgetIfDone(s: Stream): void {
    if (s.localClosed && s.remoteClosed) this.streams.delete(s.id);
  }
}
