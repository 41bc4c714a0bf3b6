// A minimal apiserver for the real kubectl: legacy discovery + GET of objects dumped from the sandbox.
import http from 'node:http';
import fs from 'node:fs';
const objs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// events are served as if the sandbox's "now" were the real now, so describe's ages match
const shift = process.argv[4] ? Date.now() - Date.parse(process.argv[4]) : 0;
const shiftT = (t) => (t ? new Date(Date.parse(t) + shift).toISOString().replace(/\.\d+Z$/, 'Z') : t);
const orig = new Map(objs.filter((o) => o.kind === 'Event').map((o) => [o, [o.firstTimestamp, o.lastTimestamp]]));
const reshift = () => { if (!process.argv[4]) return; const d = Date.now() - Date.parse(process.argv[4]); for (const [o, [f, l]] of orig) { o.firstTimestamp = new Date(Date.parse(f) + d).toISOString().replace(/\.\d+Z$/, 'Z'); o.lastTimestamp = new Date(Date.parse(l) + d).toISOString().replace(/\.\d+Z$/, 'Z'); } };
const RES = {
  Pod: ['', 'v1', 'pods', true], Service: ['', 'v1', 'services', true], Endpoints: ['', 'v1', 'endpoints', true], Event: ['', 'v1', 'events', true],
  Namespace: ['', 'v1', 'namespaces', false], Node: ['', 'v1', 'nodes', false], ConfigMap: ['', 'v1', 'configmaps', true], Secret: ['', 'v1', 'secrets', true],
  Deployment: ['apps', 'v1', 'deployments', true], ReplicaSet: ['apps', 'v1', 'replicasets', true],
  EndpointSlice: ['discovery.k8s.io', 'v1', 'endpointslices', true],
  VirtualService: ['networking.istio.io', 'v1', 'virtualservices', true], DestinationRule: ['networking.istio.io', 'v1', 'destinationrules', true],
};
const SHORT = { pods: ['po'], services: ['svc'], endpoints: ['ep'], namespaces: ['ns'], nodes: ['no'], configmaps: ['cm'], deployments: ['deploy'], replicasets: ['rs'], events: ['ev'], virtualservices: ['vs'], destinationrules: ['dr'] };
const groups = {};
for (const [kind, [g, v, plural, nsd]] of Object.entries(RES)) (groups[`${g}/${v}`] ??= []).push({ name: plural, singularName: kind.toLowerCase(), namespaced: nsd, kind, verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], shortNames: SHORT[plural] ?? [] });
const get = (o, path) => path.split('.').reduce((x, p) => (x == null ? undefined : x[p]), o);
const send = (res, code, body) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
http.createServer((req, res) => {
  reshift();
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  if (p === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
  if (p === '/apis') return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.keys(groups).filter((k) => k.startsWith('/') === false && k.split('/')[0]).map((k) => ({ name: k.split('/')[0], versions: [{ groupVersion: k, version: 'v1' }], preferredVersion: { groupVersion: k, version: 'v1' } })) });
  if (p === '/version') return send(res, 200, { major: '1', minor: '35', gitVersion: 'v1.35.0' });
  const m = p.match(/^\/(?:api|apis\/([^/]+))\/(v1)(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?$/);
  if (!m) return send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
  const [, group = '', ver, ns, plural, name] = m;
  if (!plural) return send(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${ver}` : ver, resources: groups[`${group}/${ver}`] ?? [] });
  const kind = Object.entries(RES).find(([, r]) => r[0] === group && r[2] === plural)?.[0];
  let items = objs.filter((o) => o.kind === kind && (!ns || o.metadata.namespace === ns));
  if (name) {
    const o = items.find((x) => x.metadata.name === name);
    return o ? send(res, 200, o) : send(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${plural} "${name}" not found`, reason: 'NotFound', details: { name, kind: plural }, code: 404 });
  }
  const fsel = u.searchParams.get('fieldSelector');
  if (fsel) for (const part of fsel.split(',')) { const [k, v] = part.split('='); items = items.filter((o) => String(get(o, k) ?? '') === v); }
  const lsel = u.searchParams.get('labelSelector');
  if (lsel) for (const part of lsel.split(',')) { const [k, v] = part.split('='); items = items.filter((o) => (o.metadata.labels ?? {})[k] === v); }
  send(res, 200, { kind: `${kind}List`, apiVersion: group ? `${group}/${ver}` : ver, metadata: { resourceVersion: '1' }, items });
}).listen(Number(process.argv[3]), () => console.log('listening'));
