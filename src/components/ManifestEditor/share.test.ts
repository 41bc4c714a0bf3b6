import {describe, expect, it} from 'vitest';
import {
  buildShareHash,
  buildShareUrl,
  decodeSharePayload,
  encodeSharePayload,
  MAX_SHARE_PAYLOAD,
  parseShareHash,
  ShareError,
} from './share';

const manifest = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: service-a
  namespace: demo # комментарий по-русски
spec:
  hosts: ["*"]
  gateways: [demo-gateway]
  http:
    - route:
        - destination:
            host: service-a.demo.svc.cluster.local
`;

describe('share links', () => {
  it('round-trips a manifest, Cyrillic and emoji included, through a URL-safe payload', async () => {
    for (const text of [manifest, '', 'ключ: значение 🚀\n', 'a'.repeat(10_000)]) {
      const payload = await encodeSharePayload(text);
      expect(payload).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(await decodeSharePayload(payload)).toBe(text);
    }
  });

  it('compresses: a typical manifest takes far fewer characters than its text', async () => {
    const text = manifest.repeat(5);
    const payload = await encodeSharePayload(text);
    expect(payload.length).toBeLessThan(text.length / 3);
  });

  it('builds and parses the hash fragment for one block', async () => {
    const payload = await encodeSharePayload(manifest);
    const hash = buildShareHash({file: 'ingress-service-a/virtual-service.yaml', payload});
    expect(hash.startsWith('#manifest=ingress-service-a%2Fvirtual-service.yaml&yaml=')).toBe(true);
    expect(parseShareHash(hash)).toEqual({file: 'ingress-service-a/virtual-service.yaml', payload});
    expect(parseShareHash(hash.slice(1))).toEqual({file: 'ingress-service-a/virtual-service.yaml', payload});
  });

  it('leaves ordinary anchors alone', () => {
    expect(parseShareHash('')).toBeNull();
    expect(parseShareHash('#шаг-3-gateway-открываем-порт-на-шлюзе')).toBeNull();
    expect(parseShareHash('#manifest=')).toBeNull();
    expect(parseShareHash('#manifest=a.yaml')).toBeNull();
  });

  it('makes a full URL from the page URL, replacing an existing hash', async () => {
    const url = await buildShareUrl('https://site.example/docs/gateway#step', 'gateway/gateway.yaml', manifest);
    expect(url.startsWith('https://site.example/docs/gateway#manifest=gateway%2Fgateway.yaml&yaml=')).toBe(true);
    const target = parseShareHash(new URL(url).hash)!;
    expect(await decodeSharePayload(target.payload)).toBe(manifest);
  });

  it('refuses a manifest too large for a link', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(60_000));
    const random = Array.from(bytes, (b) => String.fromCharCode(33 + (b % 90))).join('');
    await expect(buildShareUrl('https://x/docs/a', 'a.yaml', random)).rejects.toMatchObject({reason: 'too-large'});
    expect(MAX_SHARE_PAYLOAD).toBeGreaterThan(10_000);
  });

  it('rejects corrupt payloads and decompression bombs with a ShareError', async () => {
    await expect(decodeSharePayload('not base64!')).rejects.toBeInstanceOf(ShareError);
    await expect(decodeSharePayload('AAAA')).rejects.toMatchObject({reason: 'corrupt'});
    const bomb = await encodeSharePayload('a'.repeat(3 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(10_000);
    await expect(decodeSharePayload(bomb)).rejects.toMatchObject({reason: 'too-large'});
  });

  it('rejects bytes that are not UTF-8', async () => {
    const stream = new CompressionStream('deflate-raw');
    const writer = stream.writable.getWriter();
    void writer.write(new Uint8Array([0xff, 0xfe, 0xfd]));
    void writer.close();
    const bytes = new Uint8Array(await new Response(stream.readable).arrayBuffer());
    const payload = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    await expect(decodeSharePayload(payload)).rejects.toMatchObject({reason: 'corrupt'});
  });
});
