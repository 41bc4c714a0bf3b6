/**
 * Just enough Kubernetes protobuf to read what kubectl's typed clients send: they post built-in kinds as
 * `application/vnd.kubernetes.protobuf` while accepting JSON back (kubectl auth can-i, and the generators of
 * kubectl create namespace|configmap|secret|serviceaccount|deployment|service, which answer 415 otherwise). Wire format: the "k8s\0" magic, then runtime.Unknown
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

/** The JSON form of a protobuf-encoded SelfSubjectRulesReview (authorization/v1 generated.proto: spec 2 {namespace 1}). */
export function decodeRulesReview(body: Uint8Array): unknown {
  if (body.length < 4 || dec.decode(body.subarray(0, 4)) !== 'k8s\0') throw new Error('not a Kubernetes protobuf message');
  const raw = msg(fields(body.subarray(4)), 2);
  const spec = raw && msg(raw, 2);
  return { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: { namespace: (spec && str(spec, 1)) ?? '' } };
}

/**
 * A message's fields by number: [JSON name, type]. Field numbers from the generated.proto files of
 * kubernetes/kubernetes: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto (ObjectMeta,
 * LabelSelector), staging/src/k8s.io/api/core/v1/generated.proto (Namespace, ConfigMap, Secret,
 * ServiceAccount, Service, PodSpec, Container), staging/src/k8s.io/api/apps/v1/generated.proto (Deployment),
 * staging/src/k8s.io/apimachinery/pkg/util/intstr/generated.proto (IntOrString), .../api/resource (Quantity),
 * staging/src/k8s.io/api/rbac/v1/generated.proto (Role, ClusterRole, RoleBinding, ClusterRoleBinding), core/v1 ResourceQuota,
 * staging/src/k8s.io/api/authentication/v1/generated.proto (TokenRequest).
 * Checked against the bytes kubectl v1.35.2 sends for each generator (tests/conformance).
 */
type Scalar = 'string' | 'bytes' | 'int' | 'bool' | 'intstr' | 'quantity' | 'skip';
/** A field whose zero value is meaningful (a Go pointer, `*int32`): kept when 0 or false. */
type Pointer = { ptr: 'int' | 'bool' };
type FieldType = Scalar | Pointer | Message | { map: 'string' | 'bytes' | 'quantity' } | { list: Scalar | Message };
interface Message {
  name: string;
  fields: Record<number, [string, FieldType]>;
}

const msgOf = (name: string, fields: Message['fields']): Message => ({ name, fields });

const OBJECT_META = msgOf('ObjectMeta', {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  4: ['selfLink', 'skip'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'skip'],
  8: ['creationTimestamp', 'skip'],
  11: ['labels', { map: 'string' }],
  12: ['annotations', { map: 'string' }],
  14: ['finalizers', { list: 'string' }],
});
const LABEL_SELECTOR = msgOf('LabelSelector', {
  1: ['matchLabels', { map: 'string' }],
  2: ['matchExpressions', { list: msgOf('LabelSelectorRequirement', { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', { list: 'string' }] }) }],
});
const CONTAINER = msgOf('Container', {
  1: ['name', 'string'],
  2: ['image', 'string'],
  3: ['command', { list: 'string' }],
  4: ['args', { list: 'string' }],
  5: ['workingDir', 'string'],
  6: ['ports', { list: msgOf('ContainerPort', { 1: ['name', 'string'], 2: ['hostPort', 'int'], 3: ['containerPort', 'int'], 4: ['protocol', 'string'], 5: ['hostIP', 'string'] }) }],
  7: ['env', { list: msgOf('EnvVar', { 1: ['name', 'string'], 2: ['value', 'string'] }) }],
  8: ['resources', msgOf('ResourceRequirements', { 1: ['limits', { map: 'quantity' }], 2: ['requests', { map: 'quantity' }] })],
  14: ['imagePullPolicy', 'string'],
});
const POD_SPEC = msgOf('PodSpec', {
  2: ['containers', { list: CONTAINER }],
  3: ['restartPolicy', 'string'],
  4: ['terminationGracePeriodSeconds', { ptr: 'int' }],
  6: ['dnsPolicy', 'string'],
  7: ['nodeSelector', { map: 'string' }],
  8: ['serviceAccountName', 'string'],
});

/** staging/src/k8s.io/api/rbac/v1/generated.proto */
const POLICY_RULE = msgOf('PolicyRule', { 1: ['verbs', { list: 'string' }], 2: ['apiGroups', { list: 'string' }], 3: ['resources', { list: 'string' }], 4: ['resourceNames', { list: 'string' }], 5: ['nonResourceURLs', { list: 'string' }] });
const ROLE = (name: string): Message => msgOf(name, { 1: ['metadata', OBJECT_META], 2: ['rules', { list: POLICY_RULE }] });
const BINDING = (name: string): Message =>
  msgOf(name, {
    1: ['metadata', OBJECT_META],
    2: ['subjects', { list: msgOf('Subject', { 1: ['kind', 'string'], 2: ['apiGroup', 'string'], 3: ['name', 'string'], 4: ['namespace', 'string'] }) }],
    3: ['roleRef', msgOf('RoleRef', { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] })],
  });

/** The kinds kubectl's generators post, by apiVersion/kind. */
const KINDS: Record<string, Message> = {
  'rbac.authorization.k8s.io/v1/Role': ROLE('Role'),
  'rbac.authorization.k8s.io/v1/ClusterRole': ROLE('ClusterRole'),
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING('RoleBinding'),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING('ClusterRoleBinding'),
  'v1/ResourceQuota': msgOf('ResourceQuota', { 1: ['metadata', OBJECT_META], 2: ['spec', msgOf('ResourceQuotaSpec', { 1: ['hard', { map: 'quantity' }], 2: ['scopes', { list: 'string' }] })], 3: ['status', 'skip'] }),
  'authentication.k8s.io/v1/TokenRequest': msgOf('TokenRequest', {
    1: ['metadata', OBJECT_META],
    2: ['spec', msgOf('TokenRequestSpec', { 1: ['audiences', { list: 'string' }], 4: ['expirationSeconds', { ptr: 'int' }], 3: ['boundObjectRef', 'skip'] })],
    3: ['status', 'skip'],
  }),
  'v1/Namespace': msgOf('Namespace', { 1: ['metadata', OBJECT_META], 2: ['spec', msgOf('NamespaceSpec', { 1: ['finalizers', { list: 'string' }] })], 3: ['status', 'skip'] }),
  'v1/ConfigMap': msgOf('ConfigMap', { 1: ['metadata', OBJECT_META], 2: ['data', { map: 'string' }], 3: ['binaryData', { map: 'bytes' }], 4: ['immutable', { ptr: 'bool' }] }),
  'v1/Secret': msgOf('Secret', { 1: ['metadata', OBJECT_META], 2: ['data', { map: 'bytes' }], 3: ['type', 'string'], 4: ['stringData', { map: 'string' }], 5: ['immutable', { ptr: 'bool' }] }),
  'v1/ServiceAccount': msgOf('ServiceAccount', { 1: ['metadata', OBJECT_META], 4: ['automountServiceAccountToken', { ptr: 'bool' }] }),
  'v1/Service': msgOf('Service', {
    1: ['metadata', OBJECT_META],
    2: [
      'spec',
      msgOf('ServiceSpec', {
        1: ['ports', { list: msgOf('ServicePort', { 1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int'], 4: ['targetPort', 'intstr'], 5: ['nodePort', 'int'], 6: ['appProtocol', 'string'] }) }],
        2: ['selector', { map: 'string' }],
        3: ['clusterIP', 'string'],
        4: ['type', 'string'],
        5: ['externalIPs', { list: 'string' }],
        10: ['externalName', 'string'],
      }),
    ],
    3: ['status', 'skip'],
  }),
  'apps/v1/Deployment': msgOf('Deployment', {
    1: ['metadata', OBJECT_META],
    2: [
      'spec',
      msgOf('DeploymentSpec', {
        1: ['replicas', { ptr: 'int' }],
        2: ['selector', LABEL_SELECTOR],
        3: ['template', msgOf('PodTemplateSpec', { 1: ['metadata', OBJECT_META], 2: ['spec', POD_SPEC] })],
        4: ['strategy', msgOf('DeploymentStrategy', { 1: ['type', 'string'], 2: ['rollingUpdate', msgOf('RollingUpdateDeployment', { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] })] })],
        5: ['minReadySeconds', 'int'],
        6: ['revisionHistoryLimit', { ptr: 'int' }],
        7: ['paused', 'bool'],
        9: ['progressDeadlineSeconds', { ptr: 'int' }],
      }),
    ],
    3: ['status', 'skip'],
  }),
};

const b64 = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
};

/** int32 fields travel as varints; a negative one is its 64-bit two's complement. */
const int32 = (v: number): number => (v >= 2 ** 63 ? v - 2 ** 64 : v);

function isEmpty(v: unknown): boolean {
  return v === undefined || v === '' || v === 0 || v === false || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
}

function decodeScalar(t: Scalar, v: Uint8Array | number, where: string): unknown {
  switch (t) {
    case 'string':
      return v instanceof Uint8Array ? dec.decode(v) : fail(where);
    case 'bytes':
      return v instanceof Uint8Array ? b64(v) : fail(where);
    case 'int':
      return typeof v === 'number' ? int32(v) : fail(where);
    case 'bool':
      return typeof v === 'number' ? v !== 0 : fail(where);
    case 'quantity':
      return v instanceof Uint8Array ? (str(fields(v), 1) ?? '') : fail(where);
    case 'intstr': {
      if (!(v instanceof Uint8Array)) return fail(where);
      const f = fields(v);
      const type = f.get(1)?.[0];
      return type === 1 ? (str(f, 3) ?? '') : int32(Number(f.get(2)?.[0] ?? 0));
    }
    case 'skip':
      return undefined;
  }
}

function fail(where: string): never {
  throw new Error(`wrong wire type for ${where}`);
}

/** A message into its JSON form, leaving out zero values as the types' `omitempty` tags do. */
function decodeMessage(m: Message, b: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [no, values] of fields(b)) {
    const def = m.fields[no];
    if (!def) {
      // a field the sandbox cannot read: refuse rather than lose it, unless it carries nothing
      if (values.every((v) => (v instanceof Uint8Array ? v.length === 0 : v === 0))) continue;
      throw new Error(`field ${no} of ${m.name} is not supported by the sandbox`);
    }
    const [name, t] = def;
    const where = `${m.name}.${name}`;
    let value: unknown;
    if (typeof t === 'string') value = decodeScalar(t, values[values.length - 1], where);
    else if ('ptr' in t) {
      value = decodeScalar(t.ptr, values[values.length - 1], where);
      out[name] = value;
      continue;
    } else if ('map' in t) {
      // map entries are messages {1: key, 2: value}
      const entries: Record<string, unknown> = {};
      for (const e of values) {
        if (!(e instanceof Uint8Array)) fail(where);
        const f = fields(e);
        const key = str(f, 1) ?? '';
        const raw = f.get(2)?.[0] ?? new Uint8Array();
        entries[key] = t.map === 'string' ? (raw instanceof Uint8Array ? dec.decode(raw) : fail(where)) : decodeScalar(t.map, raw, where);
      }
      value = entries;
    } else if ('list' in t) {
      const item = t.list;
      value = values.map((v) => (typeof item === 'string' ? decodeScalar(item, v, where) : v instanceof Uint8Array ? decodeMessage(item, v) : fail(where)));
    } else value = values[values.length - 1] instanceof Uint8Array ? decodeMessage(t, values[values.length - 1] as Uint8Array) : fail(where);
    if (!isEmpty(value)) out[name] = value;
  }
  return out;
}

/**
 * The JSON form of a protobuf-encoded object of one of the kinds kubectl's generators create, or an Error
 * naming what the sandbox cannot read (the caller answers 415 as an apiserver does for an unknown format).
 */
export function decodeObject(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || dec.decode(body.subarray(0, 4)) !== 'k8s\0') throw new Error('not a Kubernetes protobuf message');
  const unknown = fields(body.subarray(4));
  const typeMeta = msg(unknown, 1);
  const apiVersion = (typeMeta && str(typeMeta, 1)) ?? '';
  const kind = (typeMeta && str(typeMeta, 2)) ?? '';
  const schema = KINDS[`${apiVersion}/${kind}`];
  if (!schema) throw new Error(`${kind || 'this kind'} in protobuf is not supported by the sandbox`);
  const raw = unknown.get(2)?.[0];
  return { apiVersion, kind, ...decodeMessage(schema, raw instanceof Uint8Array ? raw : new Uint8Array()) };
}
