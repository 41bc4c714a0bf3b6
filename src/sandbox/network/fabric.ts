/**
 * The cluster network: addresses (pod IPs, ClusterIPs, load-balancer IPs, the outside
 * world), cluster DNS, kube-proxy's service load balancing, and the iptables redirection
 * that sends a pod's traffic through its Envoy sidecar. Requests are synchronous and carry
 * their own virtual timing.
 */
import type { ApiClient } from '../api/client';
import { isRecord, type KubeObject } from '../api/types';
import type { Clock } from '../core/clock';
import type { Random } from '../core/random';
import { containerStatus, containersOf, NODE_IP } from '../controllers/kubelet';
import type { Istiod } from '../controllers/istiod/istiod';
import { Envoy, type EnvoySnapshot, type Peer, type ProxyHost } from '../dataplane/envoy';
import { createWorkload } from '../workloads/images';
import type { Workload, WorkloadContext } from '../workloads/types';
import { clusterVolumeSources, mountedFiles } from '../workloads/volumes';
import type { HttpRequest, HttpResult } from './http';
import { isNetError, splitHostPort } from './http';
import type { LogStore } from './logs';
import { lookupPublic, type ExternalHost } from './outsideWorld';
import { appOf, contourOf, routeInfo, TrafficRecorder, type Party, type ProxyEvent, type TrafficReport } from './traffic';
import { ingressAllowed } from './networkPolicy';
import { isRestartableInit } from '../controllers/injection';

export interface PodRuntime {
  uid: string;
  name: string;
  namespace: string;
  ip: string;
  labels: Record<string, string>;
  running: boolean;
  sidecar: boolean;
  sidecarReady: boolean;
  gateway: boolean;
  containers: { name: string; running: boolean; workload?: Workload; env: Record<string, string> }[];
}

/** Istio mTLS on a connection: the SNI the client sidecar sent and its identity. */
export interface Mtls {
  sni?: string;
  principal?: string;
}

export type Origin = { kind: 'host' } | { kind: 'pod'; pod: PodRuntime; container?: string };

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  resolve?: Record<string, string>;
  sni?: string;
  clientCertificate?: string;
  protocol?: string;
  raw?: boolean;
}

/** The learner's machine in a trace: the node the terminal is a shell on. */
const CLIENT: Party = { kind: 'client', name: 'node' };

const outcome = (r: HttpResult): { code?: number; error?: string } => (isNetError(r) ? { error: r.message || r.error } : { code: r.status });

/**
 * The learner's terminal is a shell on the cluster's node (as on a k3s node or a lab VM):
 * pod IPs are routed to, ClusterIPs and NodePorts go through kube-proxy's rules, LoadBalancer
 * IPs answer, the cluster's DNS is not in the node's resolv.conf.
 */
export const HOST_GATEWAY_IP = NODE_IP;
/** The source address pods see for traffic that came in through a LoadBalancer/NodePort (SNAT to the node's bridge). */
export const NODE_SNAT_IP = '10.244.0.1';
const PROXY_PORTS = new Set([15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090]);

interface ServiceAddr {
  obj: KubeObject;
  clusterIp?: string;
  lbIp?: string;
  ports: { port: number; targetPort: number | string; name?: string; nodePort?: number }[];
}

/** The network in a snapshot: each proxy's data-plane state (by pod uid) and the port-forwards. */
export interface NetworkSnapshot {
  proxies: Record<string, EnvoySnapshot>;
  portForwards: [number, { namespace: string; pod: string; port: number }][];
}

export class Network {
  private version = -1;
  private pods = new Map<string, PodRuntime>(); // by ip
  private podsByUid = new Map<string, PodRuntime>();
  private services: ServiceAddr[] = [];
  private endpoints = new Map<string, { ip: string; port: number; name?: string }[]>();
  private workloads = new Map<string, Workload>();
  private envoys = new Map<string, { envoy: Envoy; version: number }>();
  /** Restored proxy state waiting for its Envoy to be created (by pod uid). */
  private restoredProxies = new Map<string, EnvoySnapshot>();
  dirty = true;
  /** kubectl port-forward: 127.0.0.1:<local> on the learner's machine → a pod's port. */
  readonly portForwards = new Map<number, { namespace: string; pod: string; port: number }>();
  /** The path of every request sent by a process (the traffic view); not in the snapshot. */
  readonly traffic = new TrafficRecorder();
  private readonly parties = new WeakMap<PodRuntime, Party>();

  constructor(
    private readonly client: ApiClient,
    private readonly istiod: Istiod,
    private readonly rng: Random,
    private readonly clock: Clock,
    private readonly logs: LogStore,
    readonly outside: ExternalHost[],
  ) {}

  /** Rebuilds the address tables from the apiserver when something changed. */
  refresh(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.version++;
    const c = this.client;
    const pods = c.cached(c.kind('Pod'));
    this.pods.clear();
    this.podsByUid.clear();
    for (const p of pods.ok ? pods.value : []) {
      const rt = this.podRuntime(p);
      if (!rt) continue;
      this.pods.set(rt.ip, rt);
      this.podsByUid.set(rt.uid, rt);
    }
    const svcs = c.cached(c.kind('Service'));
    this.services = (svcs.ok ? svcs.value : []).map((s) => {
      const spec = isRecord(s.spec) ? s.spec : {};
      const st = isRecord(s.status) && isRecord(s.status.loadBalancer) ? s.status.loadBalancer : {};
      const ingress = Array.isArray(st.ingress) && isRecord(st.ingress[0]) ? st.ingress[0] : undefined;
      return {
        obj: s,
        clusterIp: typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' ? spec.clusterIP : undefined,
        lbIp: ingress && typeof ingress.ip === 'string' ? ingress.ip : undefined,
        ports: (Array.isArray(spec.ports) ? spec.ports : []).filter(isRecord).map((p) => ({
          port: Number(p.port),
          targetPort: (typeof p.targetPort === 'string' ? p.targetPort : Number(p.targetPort ?? p.port)) as number | string,
          name: typeof p.name === 'string' ? p.name : undefined,
          nodePort: (spec.type === 'NodePort' || spec.type === 'LoadBalancer') && typeof p.nodePort === 'number' ? p.nodePort : undefined,
        })),
      };
    });
    const eps = c.cached(c.kind('Endpoints'));
    this.endpoints.clear();
    for (const e of eps.ok ? eps.value : []) {
      const list: { ip: string; port: number; name?: string }[] = [];
      for (const sub of Array.isArray(e.subsets) ? e.subsets.filter(isRecord) : []) {
        const ports = (Array.isArray(sub.ports) ? sub.ports : []).filter(isRecord);
        for (const a of (Array.isArray(sub.addresses) ? sub.addresses : []).filter(isRecord))
          for (const p of ports) list.push({ ip: String(a.ip), port: Number(p.port), name: typeof p.name === 'string' ? p.name : undefined });
      }
      this.endpoints.set(`${e.metadata.namespace}/${e.metadata.name}`, list);
    }
    for (const uid of [...this.workloads.keys()]) if (!this.podsByUid.has(uid.split('/')[0])) this.workloads.delete(uid);
    for (const uid of [...this.envoys.keys()]) if (!this.podsByUid.has(uid)) this.envoys.delete(uid);
    for (const uid of [...this.restoredProxies.keys()]) if (!this.podsByUid.has(uid)) this.restoredProxies.delete(uid);
  }

  snapshot(): NetworkSnapshot {
    const proxies = Object.fromEntries(this.restoredProxies);
    for (const [uid, { envoy }] of this.envoys) proxies[uid] = envoy.snapshot();
    return { proxies, portForwards: [...this.portForwards].map(([port, fw]) => [port, { ...fw }]) };
  }

  /** Replaces the data-plane state; address tables, proxies and workloads are rebuilt on demand. */
  restore(s: NetworkSnapshot): void {
    this.envoys.clear();
    this.workloads.clear();
    this.restoredProxies = new Map(Object.entries(s.proxies));
    this.portForwards.clear();
    for (const [port, fw] of s.portForwards) this.portForwards.set(port, { ...fw });
    this.dirty = true;
  }

  /** ConfigMaps and Secrets of a namespace as the kubelet reads them for volumes. */
  private podRuntime(p: KubeObject): PodRuntime | undefined {
    const st = isRecord(p.status) ? p.status : {};
    if (typeof st.podIP !== 'string') return undefined;
    const spec = isRecord(p.spec) ? p.spec : {};
    const uid = p.metadata.uid ?? '';
    const rawInits = Array.isArray(spec.initContainers) ? spec.initContainers.filter(isRecord) : [];
    // native sidecars (restartable init containers) run beside the containers
    const specs = [...containersOf(spec), ...containersOf(spec, 'initContainers').filter((_, i) => isRestartableInit(rawInits[i]))];
    const containers = specs.map((cs) => {
      const s = containerStatus(st, cs.name);
      const running = !!(s && isRecord(s.state) && s.state.running);
      let workload: Workload | undefined;
      if (running && cs.name !== 'istio-proxy') {
        const key = `${uid}/${cs.name}`;
        workload = this.workloads.get(key);
        if (!workload) {
          // the container starts with its volumes projected (nginx reads its config and certificates there)
          workload = createWorkload(cs, mountedFiles(spec, cs.name, clusterVolumeSources(this.client, p, () => this.clock.now()), p.metadata));
          if (workload) this.workloads.set(key, workload);
        }
      }
      return { name: cs.name, running, workload, env: cs.env };
    });
    const proxy = specs.find((c) => c.name === 'istio-proxy');
    const proxyStatus = containerStatus(st, 'istio-proxy');
    const gateway = !!proxy?.args?.includes('router');
    return {
      uid,
      name: p.metadata.name ?? '',
      namespace: p.metadata.namespace ?? '',
      ip: st.podIP,
      labels: p.metadata.labels ?? {},
      running: st.phase === 'Running' && !p.metadata.deletionTimestamp,
      sidecar: !!proxy && !gateway,
      sidecarReady: !!proxyStatus && !!(isRecord(proxyStatus.state) && proxyStatus.state.running),
      gateway,
      containers,
    };
  }

  podByName(namespace: string, name: string): PodRuntime | undefined {
    this.refresh();
    for (const p of this.pods.values()) if (p.namespace === namespace && p.name === name) return p;
    return undefined;
  }

  // ---- DNS ------------------------------------------------------------------------------

  /** Cluster DNS as seen from a pod in `namespace` (search path ns.svc.cluster.local, svc.cluster.local, cluster.local), or from the host. */
  resolve(name: string, namespace: string | undefined): string | undefined {
    this.refresh();
    const n = name.toLowerCase().replace(/\.$/, '');
    if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) return n;
    if (n === 'localhost') return '127.0.0.1';
    const candidates = namespace === undefined ? [n] : n.endsWith('.cluster.local') ? [n] : [`${n}.${namespace}.svc.cluster.local`, `${n}.svc.cluster.local`, `${n}.cluster.local`, n];
    for (const cand of candidates) {
      const m = cand.match(/^([^.]+)\.([^.]+)\.svc\.cluster\.local$/);
      if (m && namespace !== undefined) {
        const s = this.services.find((x) => x.obj.metadata.name === m[1] && x.obj.metadata.namespace === m[2]);
        if (s) return s.clusterIp ?? this.endpoints.get(`${m[2]}/${m[1]}`)?.[0]?.ip;
      }
      const ext = lookupPublic(this.outside, cand);
      if (ext) return ext.ip;
    }
    return undefined;
  }

  // ---- requests -------------------------------------------------------------------------

  /** An HTTP request made by a process: the learner's curl on the host, or a program in a pod. */
  request(origin: Origin, url: string, init: RequestInit, startMs: number): HttpResult {
    this.refresh();
    this.traffic.begin(origin.kind === 'pod' ? this.party(origin.pod) : CLIENT, init.raw ? 'TCP' : (init.method ?? 'GET'), url, startMs);
    let r: HttpResult = { error: 'EMPTY', message: '', durationMs: 0 };
    try {
      r = this.send(origin, url, init, startMs);
      return r;
    } finally {
      this.traffic.end(isNetError(r) ? { error: r.message || r.error, durationMs: r.durationMs } : { status: r.status, durationMs: r.durationMs });
    }
  }

  private send(origin: Origin, url: string, init: RequestInit, startMs: number): HttpResult {
    const m = url.match(/^(https?):\/\/([^/?#]+)([^#]*)/i);
    if (!m) return { error: 'ENOTFOUND', message: `URL rejected: Malformed input to a URL function`, durationMs: 0 };
    const scheme = m[1].toLowerCase() as 'http' | 'https';
    const authority = m[2];
    const { host, port } = splitHostPort(authority, scheme === 'https' ? 443 : 80);
    const path = m[3] === '' ? '/' : m[3].startsWith('/') ? m[3] : `/${m[3]}`;
    const ip = init.resolve?.[`${host}:${port}`] ?? this.resolve(host, origin.kind === 'pod' ? origin.pod.namespace : undefined);
    if (!ip)
      return {
        error: 'ENOTFOUND',
        message: origin.kind === 'pod' ? `dial tcp: lookup ${host} on 10.96.0.10:53: no such host` : `Could not resolve host: ${host}`,
        durationMs: 1,
      };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
    const req: HttpRequest = { method: init.method ?? 'GET', scheme, authority: headers.host ?? authority, path, headers, body: init.body ?? '', ...(init.protocol ? { protocol: init.protocol } : {}), ...(init.raw ? { raw: true } : {}), ...(scheme === 'https' ? { sni: init.sni ?? host, tlsOnWire: true, ...(init.clientCertificate ? { clientCertificate: init.clientCertificate } : {}) } : {}) };
    delete req.headers.host;
    const srcPort = 32768 + this.rng.int(28000);
    if (origin.kind === 'pod') {
      const pod = origin.pod;
      if (ip === '127.0.0.1') return this.deliverLocal(pod, req, port, { ip: '127.0.0.1', port: srcPort }, startMs);
      if (pod.sidecar && pod.sidecarReady) {
        const envoy = this.envoyFor(pod);
        if (envoy) return envoy.handleOutbound(req, { ip, port }, { ip: pod.ip, port: srcPort }, startMs);
      }
      return this.deliver({ ip: pod.ip, port: srcPort }, ip, port, req, startMs, undefined, false);
    }
    if (ip === '127.0.0.1') {
      const fw = this.portForwards.get(port);
      const pod = fw && this.podByName(fw.namespace, fw.pod);
      if (!fw || !pod) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: 0.1 };
      return this.portForwardRequest(pod, fw.port, req, startMs);
    }
    return this.deliver({ ip: HOST_GATEWAY_IP, port: srcPort }, ip, port, req, startMs, undefined, true);
  }

  /**
   * kubectl port-forward: the kubelet dials localhost:<port> inside the pod's network namespace.
   * Loopback traffic is not redirected by Istio's iptables (tools/istio-iptables: ISTIO_OUTPUT
   * returns for -d 127.0.0.1/32), so an application port is reached without its sidecar; a
   * gateway's Envoy answers on its own listener ports.
   */
  portForwardRequest(pod: PodRuntime, port: number, req: HttpRequest, startMs: number): HttpResult {
    const src = { ip: '127.0.0.1', port: 32768 + this.rng.int(28000) };
    if (!pod.running) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: 0.1 };
    if (pod.gateway) {
      const envoy = this.envoyFor(pod);
      if (!envoy) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: 0.1 };
      return envoy.handleOutbound(req, { ip: pod.ip, port }, src, startMs);
    }
    return this.deliverLocal(pod, req, port, src, startMs);
  }

  /** Whether something in the pod accepts a connection on localhost:<port> (the kubelet's dial). */
  portForwardListens(pod: PodRuntime, port: number): boolean {
    this.refresh();
    if (!pod.running) return false;
    if (pod.gateway) return !!this.envoyFor(pod)?.config.listeners.some((l) => l.port === port && l.kind !== 'inbound');
    return pod.containers.some((c) => c.running && !!c.workload?.ports.includes(port));
  }

  /** Sends a request over the wire to ip:port (after any sidecar): kube-proxy, pods, the outside world. */
  deliver(src: Peer, ip: string, port: number, req: HttpRequest, startMs: number, mtls: Mtls | undefined, fromHost: boolean): HttpResult {
    const hop = 0.05 + this.rng.next() * 0.1;
    // kube-proxy: LoadBalancer IPs, ClusterIPs and <node IP>:<nodePort> are DNATed to an endpoint;
    // traffic from the node itself or from outside leaves masqueraded with the node's CNI address.
    const nodePort = ip === NODE_IP ? this.services.find((s) => s.ports.some((p) => p.nodePort === port)) : undefined;
    const svc = nodePort ?? this.services.find((s) => s.lbIp === ip || s.clusterIp === ip);
    if (svc) {
      const sp = nodePort ? svc.ports.find((p) => p.nodePort === port) : svc.ports.find((p) => p.port === port);
      if (!sp) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: hop };
      const eps = (this.endpoints.get(`${svc.obj.metadata.namespace}/${svc.obj.metadata.name}`) ?? []).filter((e) => e.name === sp.name || svc.ports.length === 1);
      if (eps.length === 0) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: hop };
      const ep = eps[this.rng.int(eps.length)];
      const from = fromHost || nodePort || svc.lbIp === ip ? { ip: NODE_SNAT_IP, port: src.port } : src;
      return this.deliver(from, ep.ip, ep.port, req, startMs + hop, mtls, false);
    }
    const pod = this.pods.get(ip);
    if (pod) {
      const r = this.deliverToPod(pod, port, req, fromHost ? { ip: NODE_SNAT_IP, port: src.port } : src, startMs + hop, mtls);
      this.traceWire(src.ip, this.party(pod), port, req, mtls, startMs, r);
      return r;
    }
    const ext = this.outside.find((h) => h.ip === ip);
    if (ext) {
      const to: Party = { kind: 'outside', name: ext.name };
      if (!ext.ports.includes(port)) {
        const r: HttpResult = { error: 'ETIMEDOUT', message: `Failed to connect to ${ext.name} port ${port}: Connection timed out`, durationMs: 130_000 };
        this.traceWire(src.ip, to, port, req, mtls, startMs, r);
        return r;
      }
      const r0 = ext.handle(req, src.ip, port);
      // a round trip over the Internet: tens to hundreds of milliseconds
      const r = isNetError(r0) ? r0 : { ...r0, durationMs: r0.durationMs + ext.rttMs * (0.8 + this.rng.next() * 0.4) };
      this.traceWire(src.ip, to, port, req, mtls, startMs, r);
      return r;
    }
    return { error: 'ETIMEDOUT', message: `Failed to connect to ${ip} port ${port}: Connection timed out`, durationMs: 130_000 };
  }

  private deliverToPod(pod: PodRuntime, port: number, req: HttpRequest, src: Peer, startMs: number, mtls: Mtls | undefined): HttpResult {
    // a NetworkPolicy that isolates the pod drops what it does not allow: the SYN goes unanswered
    if (!this.policyAllows(pod, port, src)) return { error: 'ETIMEDOUT', message: `Failed to connect to ${pod.ip} port ${port}: Connection timed out`, durationMs: 130_000 };
    if (!pod.running) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: 0.1 };
    if (pod.gateway) {
      const envoy = this.envoyFor(pod);
      if (!envoy) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: 0.1 };
      return envoy.handleOutbound(req, { ip: pod.ip, port }, src, startMs);
    }
    if (pod.sidecar && pod.sidecarReady && !PROXY_PORTS.has(port)) {
      const envoy = this.envoyFor(pod);
      if (envoy) return envoy.handleInbound(req, port, src, mtls ?? {}, startMs);
    }
    return this.deliverLocal(pod, req, port, src, startMs);
  }

  /** NetworkPolicy ingress (networkPolicy.ts); the node's own traffic always passes. */
  private policyAllows(pod: PodRuntime, port: number, src: Peer): boolean {
    if (src.ip === NODE_SNAT_IP || src.ip === HOST_GATEWAY_IP || src.ip === '127.0.0.1') return true;
    const policies = this.client.cached(this.client.kind('NetworkPolicy'), pod.namespace);
    if (!policies.ok || policies.value.length === 0) return true;
    const from = this.pods.get(src.ip);
    const namedPorts: Record<string, number> = {};
    const obj = this.client.cached(this.client.kind('Pod'), pod.namespace);
    const spec = obj.ok ? obj.value.find((p) => p.metadata.uid === pod.uid)?.spec : undefined;
    for (const c of isRecord(spec) && Array.isArray(spec.containers) ? spec.containers : [])
      for (const p of isRecord(c) && Array.isArray(c.ports) ? c.ports : []) if (isRecord(p) && typeof p.name === 'string' && typeof p.containerPort === 'number') namedPorts[p.name] = p.containerPort;
    const namespaces = this.client.cached(this.client.kind('Namespace'));
    const nsLabels = (ns: string): Record<string, string> | undefined => (namespaces.ok ? namespaces.value.find((n) => n.metadata.name === ns)?.metadata.labels : undefined);
    return ingressAllowed(policies.value, { namespace: pod.namespace, labels: pod.labels, namedPorts }, { ip: src.ip, pod: from ? { namespace: from.namespace, labels: from.labels } : undefined }, port, nsLabels);
  }

  private deliverLocal(pod: PodRuntime, req: HttpRequest, port: number, src: Peer, startMs: number): HttpResult {
    const c = pod.containers.find((x) => x.running && x.workload && x.workload.ports.includes(port));
    if (!c || !c.workload) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: 0.1 };
    const ctx: WorkloadContext = {
      pod: { name: pod.name, namespace: pod.namespace, ip: pod.ip, labels: pod.labels },
      env: c.env,
      rng: this.rng,
      peer: src,
      fetch: (url, init, at) => this.request({ kind: 'pod', pod }, url, init, at),
      log: (line, at) => this.logs.append(pod.uid, c.name, line, at),
    };
    const r = c.workload.handle(req, port, ctx, startMs);
    this.traffic.add({ type: 'app', at: startMs, durationMs: r.durationMs, pod: this.party(pod), container: c.name, port, ...outcome(r) });
    return r;
  }

  /** The party a pod is in a trace: its workload (app label) and version (one object per pod runtime, shared by its hops). */
  private party(pod: PodRuntime): Party {
    let p = this.parties.get(pod);
    if (!p) {
      p = this.newParty(pod);
      this.parties.set(pod, p);
    }
    return p;
  }

  private newParty(pod: PodRuntime): Party {
    return {
      kind: 'pod',
      name: pod.name,
      namespace: pod.namespace,
      app: appOf(pod.name, pod.labels),
      ...(pod.labels.version ? { version: pod.labels.version } : {}),
      ...(pod.gateway ? { gateway: true } : {}),
      ...(pod.sidecar ? { sidecar: true } : {}),
    };
  }

  /** The party behind an address: a pod, an outside host, or the node (the learner's machine, SNAT, loopback). */
  private partyAt(ip: string): Party {
    const pod = this.pods.get(ip);
    if (pod) return this.party(pod);
    const ext = this.outside.find((h) => h.ip === ip);
    return ext ? { kind: 'outside', name: ext.name } : CLIENT;
  }

  private traceWire(srcIp: string, to: Party, port: number, req: HttpRequest, mtls: Mtls | undefined, startMs: number, r: HttpResult): void {
    const from = this.partyAt(srcIp);
    const isMtls = !!mtls?.sni;
    this.traffic.add({ type: 'wire', at: startMs, durationMs: r.durationMs, from, to, port, mtls: isMtls, tls: !!req.tlsOnWire, contour: contourOf(from, to, isMtls), ...outcome(r) });
  }

  /** An Envoy's record of a request it finished, with the pod or host behind its upstream address. */
  private traceProxy(pod: PodRuntime, e: ProxyEvent): void {
    const en = e.entry;
    const upstreamIp = en.upstreamHost?.replace(/:\d+$/, '');
    const inboundMtls = e.inbound && !!en.requestedServerName?.startsWith('outbound_');
    this.traffic.add({
      type: 'proxy',
      at: en.startTime,
      durationMs: en.durationMs,
      proxy: this.party(pod),
      direction: e.inbound ? 'inbound' : e.gateway ? 'gateway' : 'outbound',
      listener: en.downstreamLocalAddress,
      method: en.method,
      path: en.path,
      authority: en.authority,
      ...(e.route ? { route: routeInfo(e.route) } : {}),
      ...(en.upstreamCluster ? { cluster: en.upstreamCluster } : {}),
      ...(en.upstreamHost ? { endpoint: en.upstreamHost, upstream: e.inbound ? this.party(pod) : this.partyAt(upstreamIp ?? '') } : {}),
      code: en.responseCode,
      flags: [...en.flags],
      details: en.details,
      retries: Math.max(0, (e.attempts ?? 1) - 1),
      mtls: e.inbound ? inboundMtls : !!e.mtls,
      ...(en.upstreamServiceTimeMs !== undefined ? { upstreamServiceTimeMs: en.upstreamServiceTimeMs } : {}),
    });
  }

  envoyFor(pod: PodRuntime): Envoy | undefined {
    const cached = this.envoys.get(pod.uid);
    const cfg = this.istiod.configFor(pod.namespace, pod.name);
    if (!cfg) return undefined;
    if (cached) {
      if (cached.envoy.config !== cfg) cached.envoy.config = cfg;
      return cached.envoy;
    }
    const host: ProxyHost = {
      forward: (req, to, from, tls, at) => {
        let ip = to.address;
        if (to.hostname) {
          const r = this.resolve(to.hostname, pod.namespace);
          if (!r) return { error: 'ENOTFOUND', message: 'no such host', durationMs: 1 };
          ip = r;
        }
        return this.deliver(from, ip, to.port, req, at, tls.sni ? tls : undefined, false);
      },
      resolve: (hostname) => this.resolve(hostname, pod.namespace),
      deliverLocal: (req, port, from, at) => this.deliverLocal(pod, req, port, from, at),
      mirror: (req, cluster, at) => {
        const env = this.envoys.get(pod.uid)?.envoy;
        const ep = env?.config.endpoints.get(cluster)?.endpoints.find((e) => e.healthy);
        if (ep) this.deliver({ ip: pod.ip, port: 40000 }, ep.address, ep.port, req, at, undefined, false);
      },
      log: (line, at) => this.logs.append(pod.uid, 'istio-proxy', line, at),
      trace: (e) => this.traceProxy(pod, e),
      rng: this.rng,
      now: () => this.clock.now(),
    };
    const envoy = new Envoy(cfg, host);
    const restored = this.restoredProxies.get(pod.uid);
    if (restored) {
      envoy.restore(restored);
      this.restoredProxies.delete(pod.uid);
    }
    this.envoys.set(pod.uid, { envoy, version: this.version });
    return envoy;
  }

  /** The requests recorded after trace `since`, and the running pods as the traffic view's nodes. */
  trafficReport(since: number): TrafficReport {
    this.refresh();
    const workloads = [...this.pods.values()].filter((p) => p.running).map((p) => this.party(p));
    return { traces: this.traffic.list(since), workloads, latest: this.traffic.latest };
  }

  /** The LoadBalancer ingress IP of a service, if any. */
  loadBalancerIp(namespace: string, name: string): string | undefined {
    this.refresh();
    return this.services.find((s) => s.obj.metadata.namespace === namespace && s.obj.metadata.name === name)?.lbIp;
  }
}
