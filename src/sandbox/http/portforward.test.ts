import { constants, createDeflate, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Http1RequestReader, serializeResponse } from './podConnection';
import { PortForwardSession, type PodTarget } from './portforward';
import { dataFrame, decodeHeaderBlock, encodeHeaderBlock, FrameReader, HEADER_DICTIONARY, HeaderCompressor } from './spdy';

/** What kubectl's spdystream sends: header blocks deflated with the SPDY dictionary, sync-flushed. */
function clientCompressor(): (block: Buffer) => Promise<Buffer> {
  const z = createDeflate({ dictionary: HEADER_DICTIONARY });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  return (block) =>
    new Promise((resolve) => {
      z.write(block);
      z.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(out.splice(0))));
    });
}

function synStream(id: number, block: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(18);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(1, 2);
  head[4] = fin ? 1 : 0;
  head.writeUIntBE(10 + block.length, 5, 3);
  head.writeUInt32BE(id, 8);
  return Buffer.concat([head, block]);
}

describe('SPDY/3 framing', () => {
  it('reads frames split at any byte and joined in one chunk', () => {
    const bytes = Buffer.concat([dataFrame(1, Buffer.from('hello'), false), dataFrame(3, Buffer.alloc(0), true)]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = new FrameReader();
      const frames = [...r.push(bytes.subarray(0, cut)), ...r.push(bytes.subarray(cut))];
      expect(frames.map((f) => (f.kind === 'data' ? [f.streamId, f.flags, f.data.toString()] : []))).toEqual([
        [1, 0, 'hello'],
        [3, 1, ''],
      ]);
    }
  });

  it('header blocks: our stored-block zlib stream inflates with the dictionary, block after block', () => {
    const c = new HeaderCompressor();
    const first = c.compress(encodeHeaderBlock([]));
    const second = c.compress(encodeHeaderBlock([['streamType', 'data'], ['port', '8080']]));
    const all = inflateSync(Buffer.concat([first, second]), { dictionary: HEADER_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    expect(all.subarray(0, 4)).toEqual(Buffer.from([0, 0, 0, 0]));
    expect([...decodeHeaderBlock(all.subarray(4))!]).toEqual([
      ['streamtype', ['data']],
      ['port', ['8080']],
    ]);
  });
});

describe('HTTP/1.1 requests off a byte stream', () => {
  it('reads pipelined requests with Content-Length and chunked bodies, whatever the chunking of bytes', () => {
    const wire = Buffer.from(
      'GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n' +
        'POST /b HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello' +
        'PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
    );
    for (const step of [1, 7, wire.length]) {
      const r = new Http1RequestReader();
      const got = [];
      for (let at = 0; at < wire.length; at += step) got.push(...r.push(wire.subarray(at, at + step)));
      expect(got.map((x) => ('error' in x ? x.error : [x.method, x.target, x.body.toString()]))).toEqual([
        ['GET', '/a', ''],
        ['POST', '/b', 'hello'],
        ['PUT', '/c', 'abcde'],
      ]);
    }
  });

  it('refuses what is not HTTP/1.x (a TLS ClientHello, a bad header line)', () => {
    expect(new Http1RequestReader().push(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x0d, 0x0a, 0x0d, 0x0a]))).toEqual([{ error: 'bad' }]);
    expect(new Http1RequestReader().push(Buffer.from('GET / HTTP/1.1\r\nno colon here\r\n\r\n'))).toEqual([{ error: 'bad' }]);
  });

  it('writes a response with its Content-Length, and no body for HEAD', () => {
    expect(serializeResponse(200, [['server', 'istio-envoy']], Buffer.from('ok'), false).toString()).toBe('HTTP/1.1 200 OK\r\nserver: istio-envoy\r\ncontent-length: 2\r\n\r\nok');
    expect(serializeResponse(200, [], Buffer.from('ok'), true).toString()).toBe('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n');
  });
});

describe('the kubelet side of a port-forward session', () => {
  it('pairs the error and data streams of one requestID, forwards bytes both ways and ends both streams', async () => {
    const sent: Buffer[] = [];
    const written: string[] = [];
    const target: PodTarget = {
      sandboxId: 'a'.repeat(64),
      netnsPath: '/var/run/netns/cni-x',
      connect: (port, events) => ({
        write: (b) => {
          written.push(`${port}:${b.toString()}`);
          events.data(Buffer.from('pong'));
          events.close();
        },
        end: () => undefined,
        destroy: () => undefined,
      }),
    };
    const s = new PortForwardSession(target, (b) => sent.push(b), () => undefined);
    const deflate = clientCompressor();
    const hdr = (type: string): Promise<Buffer> => deflate(encodeHeaderBlock([['streamtype', type], ['port', '9090'], ['requestid', '0']]));
    s.receive(synStream(1, await hdr('error')));
    s.receive(dataFrame(1, Buffer.alloc(0), true));
    s.receive(synStream(3, await hdr('data')));
    s.receive(dataFrame(3, Buffer.from('ping'), false));
    await new Promise((r) => setTimeout(r, 50));
    expect(written).toEqual(['9090:ping']);
    const frames = new FrameReader().push(Buffer.concat(sent));
    expect(frames.map((f) => (f.kind === 'control' ? `control ${f.type}` : `data ${f.streamId} ${f.flags} ${f.data.toString()}`))).toEqual([
      'control 2', // SYN_REPLY for the error stream
      'control 2', // SYN_REPLY for the data stream
      'data 3 0 pong',
      'data 1 1 ', // the error stream ends empty: no error
      'data 3 1 ',
    ]);
  });

  it('resets a stream without a port header, as httpStreamReceived rejects it', async () => {
    const sent: Buffer[] = [];
    const s = new PortForwardSession({ sandboxId: '', netnsPath: '', connect: () => 'unused' }, (b) => sent.push(b), () => undefined);
    s.receive(synStream(1, await clientCompressor()(encodeHeaderBlock([['streamtype', 'data']]))));
    await new Promise((r) => setTimeout(r, 50));
    const [f] = new FrameReader().push(Buffer.concat(sent));
    expect(f.kind === 'control' && [f.type, f.payload.readUInt32BE(0), f.payload.readUInt32BE(4)]).toEqual([3, 1, 5]);
  });
});
