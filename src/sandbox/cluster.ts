/**
 * The simulated cluster: apiserver + controllers + istiod + network, on one clock and one
 * random source. `sync()` runs the reconcilers until nothing changes; commands call it
 * before they read and after they write, and whenever time passes.
 */
import { ApiClient } from './api/client';
import { ClusterIpAllocator, defaultTolerationSeconds, defaultsAfterWebhooks, installBuiltinStrategies, priorityPlugin, type ClusterIpSnapshot } from './api/defaults';
import { ApiServer, type ApiServerSnapshot, type WatchEvent } from './api/server';
import { isRecord, type KubeObject } from './api/types';
import type { Clock } from './core/clock';
import { ManualClock } from './core/clock';
import { SeededRandom } from './core/random';
import type { Controller } from './controllers/controller';
import { DeploymentController, ReplicaSetController } from './controllers/deployment';
import { IstioCACertPublisher, RootCACertPublisher } from './controllers/caBundles';
import { EndpointSliceController } from './controllers/endpointSlices';
import { EndpointsController, GarbageCollector, LoadBalancerController, type LoadBalancerSnapshot } from './controllers/endpoints';
import { EventRecorder } from './controllers/events';
import { isRestartableInit, sidecarInjector } from './controllers/injection';
import { serviceAccountDefaults, serviceAccountExists, ServiceAccountsController } from './controllers/serviceAccounts';
import { limitRanger, quotaRefusal, syncQuotaStatus } from './api/quota';
import { istioValidationWebhook } from './controllers/istioValidation';
import { applyInstallation, profileDefaults, readMeshConfig, type InstallOptions } from './controllers/istioInstall';
import { Istiod } from './controllers/istiod/istiod';
import type { MeshConfig } from './controllers/istiod/pushContext';
import { containerStatus, Kubelet, NODE_IP, NODE_NAME, type KubeletSnapshot } from './controllers/kubelet';
import { Network, type NetworkSnapshot } from './network/fabric';
import { LogStore, type LogStoreSnapshot } from './network/logs';
import { defaultOutsideWorld } from './network/outsideWorld';
import { ISTIO_BUILD_SHA, ISTIO_GIT_REVISION, ISTIO_VERSION, KUBERNETES_VERSION, kubeImage } from '../istio/version';

export interface ClusterOptions {
  clock?: Clock;
  seed?: number;
  /** Install Istio in the starting state (default true). */
  istio?: boolean;
  /**
   * No starting state at all: the cluster is about to be restored from a snapshot (restore()
   * replaces every object), so building the starting objects would be thrown away.
   */
  bare?: boolean;
}

/**
 * Everything a cluster is made of that is not derived from the apiserver's objects (istiod's
 * push context, the mesh config and the network's address tables are re-derived on restore).
 */
export interface ClusterSnapshot {
  /** The clock's time when the snapshot was taken (ms since the epoch). */
  now: number;
  /** The seeded PRNG's state. */
  rng: number;
  api: ApiServerSnapshot;
  clusterIps: ClusterIpSnapshot;
  kubelet: KubeletSnapshot;
  loadBalancer: LoadBalancerSnapshot;
  logs: LogStoreSnapshot;
  network: NetworkSnapshot;
  /** When the controllers last ran (revision and clock time), so the next sync() behaves the same. */
  lastSync: { revision: number; at: number | null };
}

const MAX_SYNC_PASSES = 50;
const SYNC_PERIOD_MS = 250;

export class Cluster {
  readonly clock: Clock;
  readonly rng: SeededRandom;
  readonly server: ApiServer;
  readonly client: ApiClient;
  readonly istiod: Istiod;
  readonly network: Network;
  readonly logs = new LogStore();
  readonly kubelet: Kubelet;
  private readonly clusterIps = new ClusterIpAllocator();
  private readonly loadBalancers: LoadBalancerController;
  private readonly controllers: Controller[];
  private mesh: MeshConfig | undefined;

  constructor(opts: ClusterOptions = {}) {
    this.clock = opts.clock ?? new ManualClock();
    this.rng = new SeededRandom(opts.seed ?? 1);
    this.server = new ApiServer(this.clock, this.rng);
    this.client = new ApiClient(this.server);
    installBuiltinStrategies(this.server.admission, this.clusterIps);
    // the apiserver's plugin order (kubernetes pkg/kubeapiserver/options/plugins.go AllOrderedPlugins):
    // LimitRanger, ServiceAccount, Priority, DefaultTolerationSeconds, the mutating webhooks, ResourceQuota last
    this.server.admission.addMutating(limitRanger(this.client));
    this.server.admission.addMutating(serviceAccountDefaults(this.client));
    this.server.admission.addMutating(priorityPlugin());
    this.server.admission.addMutating(defaultTolerationSeconds());
    this.server.admission.addForbidding(serviceAccountExists(this.client));
    this.server.admission.addForbidding({ name: 'ResourceQuota', check: (req) => quotaRefusal(this.client, req) });
    this.server.admission.addMutating(sidecarInjector(this.client, () => this.istioInstalled()));
    this.server.admission.addMutating(defaultsAfterWebhooks());
    this.server.admission.addWebhook(istioValidationWebhook(() => this.istioInstalled()));
    this.istiod = new Istiod(this.client, this.server, () => this.meshConfig());
    this.network = new Network(this.client, this.istiod, this.rng, this.clock, this.logs, defaultOutsideWorld());
    this.server.watch((e) => this.onEvent(e));
    const events = new EventRecorder(this.client);
    this.kubelet = new Kubelet(this.client, this.server, (pod, at) => this.onPodStart(pod, at), events);
    this.loadBalancers = new LoadBalancerController(this.client);
    this.controllers = [
      new DeploymentController(this.client, events),
      new ReplicaSetController(this.client, events),
      this.kubelet,
      new EndpointsController(this.client),
      new EndpointSliceController(this.client),
      new ServiceAccountsController(this.client),
      new RootCACertPublisher(this.client),
      new IstioCACertPublisher(this.client, () => this.istioInstalled()),
      this.loadBalancers,
      new GarbageCollector(this.client),
      { name: 'resourcequota-controller', reconcile: () => syncQuotaStatus(this.client) },
    ];
    this.server.registerSubresource('pods', 'log', (pod, q) => this.podLog(pod, q));
    if (!opts.bare) this.bootstrap(opts.istio ?? true);
  }

  private onEvent(e: WatchEvent): void {
    const k = e.resource.kind;
    if (k === 'Pod' || k === 'Service' || k === 'Endpoints') this.network.dirty = true;
    if (k === 'ConfigMap' && e.object.metadata.namespace === 'istio-system' && e.object.metadata.name === 'istio') {
      this.mesh = undefined;
      this.istiod.invalidate();
    }
    if (k === 'Pod' && e.type === 'DELETED') this.logs.drop(e.object.metadata.uid ?? '');
  }

  meshConfig(): MeshConfig {
    if (!this.mesh) this.mesh = readMeshConfig(this.client);
    return this.mesh;
  }

  istioInstalled(): boolean {
    return this.client.get(this.client.kind('Deployment'), 'istio-system', 'istiod').ok;
  }

  private lastSyncRevision = -1;
  private lastSyncAt = -Infinity;

  /**
   * Runs the controllers until the cluster is steady (bounded). Skipped when nothing was
   * written since the last pass and less than SYNC_PERIOD_MS of clock time went by (the
   * kubelet's timeline moves in steps of at least that size).
   */
  sync(): void {
    const now = this.clock.now();
    if (this.server.revision === this.lastSyncRevision && now - this.lastSyncAt < SYNC_PERIOD_MS) return;
    this.runControllers(now);
    this.lastSyncRevision = this.server.revision;
    this.lastSyncAt = now;
  }

  private runControllers(now: number): void {
    for (let i = 0; i < MAX_SYNC_PASSES; i++) {
      let changed = false;
      for (const c of this.controllers) if (c.reconcile(now)) changed = true;
      if (!changed) break;
    }
  }

  /** Lets virtual or real time pass, keeping the cluster reconciled along the way. */
  async advance(ms: number): Promise<void> {
    const step = 500;
    let left = ms;
    while (left > 0) {
      const d = Math.min(step, left);
      await this.clock.sleep(d);
      left -= d;
      this.sync();
    }
  }

  /** See ClusterSnapshot; `maxLogLines` caps the lines kept per container. */
  snapshot(maxLogLines: number): ClusterSnapshot {
    return {
      now: this.clock.now(),
      rng: this.rng.getState(),
      api: this.server.snapshot(),
      clusterIps: this.clusterIps.snapshot(),
      kubelet: this.kubelet.snapshot(),
      loadBalancer: this.loadBalancers.snapshot(),
      logs: this.logs.snapshot(maxLogLines),
      network: this.network.snapshot(),
      lastSync: { revision: this.lastSyncRevision, at: Number.isFinite(this.lastSyncAt) ? this.lastSyncAt : null },
    };
  }

  /**
   * Replaces the cluster's state with a (validated) snapshot without running controllers or
   * firing watch events, so nothing is created twice. The clock is moved forward to the
   * snapshot's time when it is behind and can skip (ManualClock, the terminal's WarpClock);
   * a clock that is ahead keeps its time: the pods' timelines simply move on.
   */
  restore(s: ClusterSnapshot): void {
    this.server.restore(s.api);
    this.rng.setState(s.rng);
    this.clusterIps.restore(s.clusterIps);
    this.kubelet.restore(s.kubelet);
    this.loadBalancers.restore(s.loadBalancer);
    this.logs.restore(s.logs);
    this.network.restore(s.network);
    this.mesh = undefined;
    this.istiod.invalidate();
    this.lastSyncRevision = s.lastSync.revision;
    this.lastSyncAt = s.lastSync.at ?? -Infinity;
    const behind = s.now - this.clock.now();
    if (behind > 0) this.clock.skip?.(behind);
  }

  install(opts: InstallOptions): string[] {
    const errs = applyInstallation(this.client, opts);
    this.mesh = undefined;
    this.istiod.invalidate();
    this.sync();
    return errs;
  }

  private onPodStart(pod: KubeObject, at: number): void {
    const spec = isRecord(pod.spec) ? pod.spec : {};
    const uid = pod.metadata.uid ?? '';
    const running = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers.filter(isRestartableInit) : [])];
    for (const c of running.filter(isRecord)) {
      if (c.name === 'istio-proxy') {
        const t = new Date(at).toISOString().replace('Z', '000Z').replace(/\.(\d{3})000Z$/, '.$1000Z');
        const lines = [
          `${t}\tinfo\tFIPS mode disabled`,
          `${t}\tinfo\tVersion ${ISTIO_VERSION}-${ISTIO_BUILD_SHA}-${ISTIO_GIT_REVISION}`,
          `${t}\tinfo\tProxy role\tips=[${isRecord(pod.status) ? String(pod.status.podIP) : ''}] type=${Array.isArray(c.args) && c.args.includes('router') ? 'router' : 'sidecar'} id=${pod.metadata.name}.${pod.metadata.namespace} domain=${pod.metadata.namespace}.svc.cluster.local`,
          `${t}\tinfo\tEnvoy proxy is ready`,
        ];
        this.logs.append(uid, 'istio-proxy', lines.join('\n'), at);
      } else if (c.name === 'discovery') {
        this.logs.append(uid, 'discovery', `${new Date(at).toISOString()}\tinfo\tads\tPush debounce stable`, at);
      }
    }
    const rt = this.network.podByName(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    for (const c of rt?.containers ?? []) {
      if (!c.workload?.startupLog) continue;
      const lines = c.workload.startupLog(
        { pod: { name: rt!.name, namespace: rt!.namespace, ip: rt!.ip, labels: rt!.labels }, env: c.env, rng: this.rng, fetch: () => ({ error: 'EMPTY', message: '', durationMs: 0 }), log: () => undefined },
        at,
      );
      this.logs.append(uid, c.name, lines.join('\n'), at);
    }
  }

  private podLog(pod: KubeObject, q: Record<string, string>): { code: number; text: string } | import('./api/status').Status {
    const spec = isRecord(pod.spec) ? pod.spec : {};
    const names = [
      ...(Array.isArray(spec.containers) ? spec.containers : []),
      ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
    ]
      .filter(isRecord)
      .map((c) => String(c.name));
    const container = q.container || pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] || names[0];
    if (!names.includes(container)) {
      return {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `container ${container} is not valid for pod ${pod.metadata.name}`,
        reason: 'BadRequest',
        code: 400,
      };
    }
    const cs = containerStatus(pod.status, container);
    const waiting = cs && isRecord(cs.state) && isRecord(cs.state.waiting) ? String(cs.state.waiting.reason) : undefined;
    if (waiting && !(cs && cs.restartCount))
      return {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff' ? 'trying and failing to pull image' : waiting}`,
        reason: 'BadRequest',
        code: 400,
      };
    const now = this.clock.now();
    const since = q.sinceSeconds !== undefined ? now - Number(q.sinceSeconds) * 1000 : -Infinity;
    let lines = this.logs.read(pod.metadata.uid ?? '', container).filter((l) => l.at >= since && l.at <= now + 60_000);
    const tail = q.tailLines !== undefined ? Number(q.tailLines) : -1;
    if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
    const text = lines.map((l) => l.text).join('\n');
    return { code: 200, text: text ? `${text}\n` : '' };
  }

  // ---- starting state ---------------------------------------------------------------------

  private bootstrap(withIstio: boolean): void {
    const c = this.client;
    const age = 14 * 60_000;
    this.server.timeShiftMs = age + 60_000;
    const create = (kind: string, obj: KubeObject, group?: string): void => {
      const r = c.create(c.kind(kind, group), obj);
      if (!r.ok) throw new Error(`bootstrap: ${r.status.message}`);
    };
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']) create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    create('Node', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: NODE_NAME,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': NODE_NAME,
          'kubernetes.io/os': 'linux',
          'node-role.kubernetes.io/control-plane': '',
        },
      },
      spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: `kind://docker/sandbox/${NODE_NAME}` },
      status: {
        addresses: [
          { address: NODE_IP, type: 'InternalIP' },
          { address: NODE_NAME, type: 'Hostname' },
        ],
        allocatable: { cpu: '8', 'ephemeral-storage': '102626232Ki', memory: '16283836Ki', pods: '110' },
        capacity: { cpu: '8', 'ephemeral-storage': '102626232Ki', memory: '16283836Ki', pods: '110' },
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
          { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
          { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
        ],
        nodeInfo: {
          architecture: 'amd64',
          containerRuntimeVersion: 'containerd://1.7.24',
          kernelVersion: '6.8.0-49-generic',
          kubeProxyVersion: KUBERNETES_VERSION,
          kubeletVersion: KUBERNETES_VERSION,
          operatingSystem: 'linux',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
        },
      },
    });
    create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    });
    // The apiserver keeps its own service's endpoints and slice (kubernetes pkg/controlplane/reconcilers:
    // the Endpoints marked skip-mirror, endpointsadapter.go endpointSliceFromEndpoints for the slice).
    const apiserverPort = { name: 'https', port: 6443, protocol: 'TCP' };
    create('Endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: NODE_IP }], ports: [apiserverPort] }],
    });
    create(
      'EndpointSlice',
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: [NODE_IP], conditions: { ready: true } }],
        ports: [apiserverPort],
      },
      'discovery.k8s.io',
    );
    create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        clusterIP: '10.96.0.10',
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    });
    create('Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-dns' } },
          spec: {
            containers: [
              {
                name: 'coredns',
                image: 'registry.k8s.io/coredns/coredns:v1.11.3',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { containerPort: 53, name: 'dns', protocol: 'UDP' },
                  { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                  { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
                ],
              },
            ],
          },
        },
      },
    });
    create('Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'local-path-provisioner', namespace: 'local-path-storage' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'local-path-provisioner' } },
        template: { metadata: { labels: { app: 'local-path-provisioner' } }, spec: { containers: [{ name: 'local-path-provisioner', image: 'docker.io/kindest/local-path-provisioner:v20241212-8ac705d0' }] } },
      },
    });
    // static pods and daemon pods of a kind control plane
    const staticPod = (name: string, image: string, labels: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'kube-system', labels },
      spec: { nodeName: NODE_NAME, containers: [{ name: name.replace(/-sandbox$/, '').replace(/-[a-z0-9]{5}$/, ''), image }], priorityClassName: 'system-node-critical' },
    });
    for (const [n, img] of [
      ['etcd', 'registry.k8s.io/etcd:3.5.16-0'],
      ['kube-apiserver', kubeImage('kube-apiserver')],
      ['kube-controller-manager', kubeImage('kube-controller-manager')],
      ['kube-scheduler', kubeImage('kube-scheduler')],
    ])
      create('Pod', staticPod(`${n}-${NODE_NAME}`, img, { component: n, tier: 'control-plane' }));
    create('Pod', staticPod('kindnet-x7pq4', 'docker.io/kindest/kindnetd:v20241212-9f82dd49', { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' }));
    create('Pod', staticPod('kube-proxy-9k2vd', kubeImage('kube-proxy'), { 'k8s-app': 'kube-proxy' }));
    this.sync();
    if (withIstio) {
      this.server.timeShiftMs = age;
      const opts = profileDefaults('default');
      opts.mesh.accessLogFile = '/dev/stdout';
      this.install(opts);
    }
    this.server.timeShiftMs = 0;
    this.sync();
  }
}
