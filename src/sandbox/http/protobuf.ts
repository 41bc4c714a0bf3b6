/**
 * Just enough Kubernetes protobuf to read a SelfSubjectAccessReview: kubectl's typed clients
 * (kubectl auth can-i) send built-in kinds as `application/vnd.kubernetes.protobuf` while
 * accepting JSON back. Wire format: the "k8s\0" magic, then runtime.Unknown
 * {1: TypeMeta, 2: raw, 3: contentEncoding, 4: contentType} (k8s.io/apimachinery/pkg/runtime
 * /serializer/protobuf), the raw bytes being the kind's generated.proto message.
 */

type Fields = Map<number, (Uint8Array | number)[]>;

function varint(b: Uint8Array, pos: { i: number }): number {
  let v = 0;
  let shift = 0;
  for (;;) {
    if (pos.i >= b.length) throw new Error('truncated varint');
    const x = b[pos.i++];
    v += (x & 0x7f) * 2 ** shift;
    if (!(x & 0x80)) return v;
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

function fields(b: Uint8Array): Fields {
  const out: Fields = new Map();
  const pos = { i: 0 };
  while (pos.i < b.length) {
    const tag = varint(b, pos);
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    let v: Uint8Array | number;
    if (wire === 0) v = varint(b, pos);
    else if (wire === 2) {
      const len = varint(b, pos);
      if (pos.i + len > b.length) throw new Error('truncated field');
      v = b.subarray(pos.i, pos.i + len);
      pos.i += len;
    } else if (wire === 1) {
      pos.i += 8;
      continue;
    } else if (wire === 5) {
      pos.i += 4;
      continue;
    } else throw new Error(`unsupported wire type ${wire}`);
    out.set(no, [...(out.get(no) ?? []), v]);
  }
  return out;
}

const dec = new TextDecoder();
const str = (f: Fields, n: number): string | undefined => {
  const v = f.get(n)?.[0];
  return v instanceof Uint8Array ? dec.decode(v) : undefined;
};
const msg = (f: Fields, n: number): Fields | undefined => {
  const v = f.get(n)?.[0];
  return v instanceof Uint8Array ? fields(v) : undefined;
};

/** The JSON form of a protobuf-encoded SelfSubjectAccessReview (k8s.io/api/authorization/v1/generated.proto). */
export function decodeAccessReview(body: Uint8Array): unknown {
  if (body.length < 4 || dec.decode(body.subarray(0, 4)) !== 'k8s\0') throw new Error('not a Kubernetes protobuf message');
  const unknown = fields(body.subarray(4));
  const typeMeta = msg(unknown, 1);
  const raw = msg(unknown, 2);
  if (!raw) throw new Error('empty message');
  const spec = msg(raw, 2);
  const ra = spec && msg(spec, 1);
  const nra = spec && msg(spec, 2);
  const pick = (f: Fields, names: string[]): Record<string, string> =>
    Object.fromEntries(names.map((n, i) => [n, str(f, i + 1)]).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
  return {
    kind: (typeMeta && str(typeMeta, 2)) || 'SelfSubjectAccessReview',
    apiVersion: (typeMeta && str(typeMeta, 1)) || 'authorization.k8s.io/v1',
    metadata: {},
    spec: {
      ...(ra ? { resourceAttributes: pick(ra, ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']) } : {}),
      ...(nra ? { nonResourceAttributes: pick(nra, ['path', 'verb']) } : {}),
    },
  };
}
