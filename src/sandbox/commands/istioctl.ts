/**
 * istioctl: install (with --set / -f IstioOperator), version, x precheck, analyze, and
 * proxy-config routes|clusters|listeners|endpoints showing the configuration istiod computed.
 */
import { parse as parseYaml } from 'yaml';
import { isRecord, type KubeObject } from '../api/types';
import { fromMap, matches } from '../api/labels';
import { ISTIO_VERSION, istioDocs } from '../../istio/version';
import { applySetFlag, profileDefaults, readMeshConfig, type InstallOptions } from '../controllers/istioInstall';
import { hostMatches, resolveShortname } from '../controllers/istiod/hosts';
import type { StringMatch } from '../dataplane/types';
import type { DestinationRuleSpec } from '../controllers/istiod/istioTypes';
import type { Config } from '../controllers/istiod/pushContext';
import { peerAuthenticationPorts } from '../controllers/istiod/security';
import { flag, has, parseArgs } from './args';
import { sleepOnCluster } from './coreutils';
import { HOME } from '../shell/vfs';
import { parseRootFlags } from './istioctl/rootFlags';
import { validate } from './istioctl/validate';
import { kubeInject } from './istioctl/kubeInject';
import { proxySecrets, secretsConfigDump, secretsTable } from './istioctl/secret';
import { clusterJson, endpointsJson, listenerJson, printJson as printJsonDump, routeConfigJson } from './istioctl/configDump';
import { goYaml } from './kubectl/goyaml';
import { CONTEXT, currentNamespace } from './kubectl/kubeconfig';
import { renderTable } from './kubectl/printers';
import type { AnalyzedFile, CommandContext, CommandSpec } from './types';
import { proxyContainer } from '../controllers/injection';

const SAIL = `        |\\          
        | \\         
        |  \\        
        |   \\       
      /||    \\      
     / ||     \\     
    /  ||      \\    
   /   ||       \\   
  /    ||        \\  
 /     ||         \\ 
/______||__________\\
____________________
  \\__       _____/  
     \\_____/        
`;

function err(ctx: CommandContext, s: string, code = 1): number {
  ctx.err(s.endsWith('\n') ? s : `${s}\n`);
  return code;
}

/** IstioOperator -f file → --set style flags. */
function flagsFromOperator(doc: unknown): string[] {
  const out: string[] = [];
  if (!isRecord(doc) || !isRecord(doc.spec)) return out;
  const spec = doc.spec;
  if (typeof spec.profile === 'string') out.push(`profile=${spec.profile}`);
  const walk = (prefix: string, v: unknown): void => {
    if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(`${prefix}[${i}]`, x));
    else out.push(`${prefix}=${String(v)}`);
  };
  if (isRecord(spec.meshConfig)) walk('meshConfig', spec.meshConfig);
  if (isRecord(spec.components)) walk('components', spec.components);
  return out;
}

async function install(ctx: CommandContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { withValue: ['set', 's', 'f', 'filename', 'revision', 'r', 'n', 'namespace', 'readiness-timeout'], boolean: ['y', 'skip-confirmation', 'verify', 'dry-run'], aliases: { s: 'set', filename: 'f', 'skip-confirmation': 'y', namespace: 'n' } });
  if (p.unknown.length) return err(ctx, `Error: unknown flag: ${p.unknown[0]}`);
  const sets: string[] = [];
  for (const f of p.flags.get('f') ?? []) {
    let text: string;
    try {
      text = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, f));
    } catch {
      return err(ctx, `Error: open ${f}: no such file or directory`);
    }
    try {
      sets.push(...flagsFromOperator(parseYaml(text)));
    } catch (e) {
      return err(ctx, `Error: could not parse ${f}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  sets.push(...(p.flags.get('set') ?? []));
  const profileSet = sets.find((s) => s.startsWith('profile='));
  const opts: InstallOptions = profileDefaults((profileSet?.split('=')[1] as InstallOptions['profile']) ?? 'default');
  opts.mesh = { ...opts.mesh };
  for (const s of sets) {
    const e = applySetFlag(opts, s);
    if (e) return err(ctx, `Error: failed to generate Istio configs from file: ${e}`);
  }
  if (!has(p, 'y')) {
    ctx.out(`This will install the Istio ${ISTIO_VERSION} profile "${opts.profile}" into the cluster. Proceed? (y/N) `);
    if (!/^y/i.test(ctx.stdin.trim())) {
      ctx.out('Cancelled.\n');
      return 1;
    }
  }
  ctx.out(SAIL + '\n');
  const errors = ctx.cluster.install(opts);
  if (errors.length) return err(ctx, `✘ Installation failed: ${errors[0]}`);
  await sleepOnCluster(ctx, 3000);
  ctx.out('✔ Istio core installed ⛵️\n');
  await sleepOnCluster(ctx, 2000);
  ctx.out('✔ Istiod installed 🧠\n');
  if (opts.egressGateway) {
    await sleepOnCluster(ctx, 2000);
    ctx.out('✔ Egress gateways installed 🛫\n');
  }
  if (opts.ingressGateway) {
    await sleepOnCluster(ctx, 2000);
    ctx.out('✔ Ingress gateways installed 🛬\n');
  }
  ctx.out('✔ Installation complete\n');
  return 0;
}

function podForProxy(ctx: CommandContext, ref: string, ns: string): { name: string; namespace: string } | undefined {
  let name = ref;
  let namespace = ns;
  if (ref.includes('/')) {
    const [type, n] = ref.split('/');
    if (type === 'deploy' || type === 'deployment') {
      const pods = ctx.cluster.client.list(ctx.cluster.client.kind('Pod'), ns);
      const d = ctx.cluster.client.get(ctx.cluster.client.kind('Deployment'), ns, n);
      if (!d.ok) return undefined;
      const sel = isRecord(d.value.spec) && isRecord(d.value.spec.selector) && isRecord(d.value.spec.selector.matchLabels) ? (d.value.spec.selector.matchLabels as Record<string, string>) : {};
      const pod = pods.ok ? pods.value.find((x) => matches(x.metadata.labels, fromMap(sel)) && !x.metadata.deletionTimestamp) : undefined;
      return pod ? { name: pod.metadata.name ?? '', namespace: ns } : undefined;
    }
    name = n;
  } else if (ref.includes('.')) {
    const i = ref.lastIndexOf('.');
    name = ref.slice(0, i);
    namespace = ref.slice(i + 1);
  }
  return { name, namespace };
}

/**
 * istioctl's DOMAINS column (istio/istio istioctl/pkg/writer/envoy/configdump/route.go
 * describeRouteDomains + unexpandDomains): no :port variants, a name dropped when the same name
 * without ".svc.cluster.local" or without ".svc" is also listed, two shown.
 */
export function describeRouteDomains(domains: string[]): string {
  if (domains.length <= 1) return domains[0] ?? '';
  const withoutPort = domains.filter((x) => !x.includes(':'));
  const unique = new Set(withoutPort);
  const shorter = (h: string, suffix: string): boolean => h.endsWith(suffix) && unique.has(h.slice(0, -suffix.length));
  const d = withoutPort.filter((h) => !shorter(h, '.svc.cluster.local') && !shorter(h, '.svc'));
  d.sort((a, b) => Number(/^\d/.test(a)) - Number(/^\d/.test(b)) || a.length - b.length);
  return d.length > 2 ? `${d.slice(0, 2).join(', ')} + ${d.length - 2} more...` : d.join(', ');
}

function isPassthrough(r: { action: { type: string; clusters?: Array<{ cluster: string }> } }): boolean {
  return r.action.type === 'route' && r.action.clusters?.length === 1 && r.action.clusters[0].cluster === 'PassthroughCluster';
}

function matchText(m: StringMatch | undefined): string {
  if (!m) return '/*';
  if ('prefix' in m) return `${m.prefix}*`;
  if ('exact' in m) return m.exact;
  return `regex ${m.regex}`;
}

async function proxyConfig(ctx: CommandContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { withValue: ['n', 'namespace', 'o', 'output', 'name', 'port', 'cluster', 'fqdn', 'subset', 'direction', 'address', 'type', 'status', 'file'], boolean: ['verbose'], aliases: { namespace: 'n', output: 'o' } });
  if (p.unknown.length) return err(ctx, `Error: unknown flag: ${p.unknown[0]}`);
  const [what, ref] = p.positional;
  const kinds = ['routes', 'route', 'clusters', 'cluster', 'listeners', 'listener', 'endpoints', 'endpoint', 'secret', 'secrets', 'all'];
  if (!what || !kinds.includes(what)) return err(ctx, `Error: unknown command "${what ?? ''}" for "istioctl proxy-config"`);
  if (!ref) return err(ctx, 'Error: pod name or --file is required');
  const ns = flag(p, 'n') ?? currentNamespace(ctx.fs);
  const target = podForProxy(ctx, ref, ns);
  if (!target) return err(ctx, `Error: failed to get pod: ${ref}`);
  const pod = ctx.cluster.client.get(ctx.cluster.client.kind('Pod'), target.namespace, target.name);
  if (!pod.ok) return err(ctx, `Error: pods "${target.name}" not found`);
  const cfg = ctx.cluster.istiod.configFor(target.namespace, target.name);
  if (!cfg) return err(ctx, `Error: failed to execute command on sidecar: container istio-proxy not found in pod ${target.name}`);
  // -o json|yaml: the config dump (configdump/*.go: json.MarshalIndent, yaml via sigs.k8s.io/yaml.JSONToYAML, then Fprintln)
  const output = flag(p, 'o');
  const json = output === 'json' || output === 'yaml';
  const printJson = (v: unknown): string => (output === 'yaml' ? `${goYaml(v)}\n` : printJsonDump(v));
  if (what.startsWith('route')) {
    const rows: string[][] = [];
    for (const rc of cfg.routes.values()) {
      if (flag(p, 'name') && rc.name !== flag(p, 'name')) continue;
      // istiod hands virtual hosts out sorted by name (pilot/pkg/networking/util/util.go SortVirtualHosts),
      // the catch-all allow_any / block_all appended after them
      const catchAll = (name: string): boolean => name === 'allow_any' || name === 'block_all';
      const hosts = [...rc.virtualHosts].sort((a, b) => Number(catchAll(a.name)) - Number(catchAll(b.name)) || (catchAll(a.name) ? 0 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const vh of hosts) {
        const domains = describeRouteDomains(vh.domains);
        // istio/istio istioctl/pkg/writer/envoy/configdump/route.go: a route straight to PassthroughCluster
        // (the allow_any virtual host) is not printed; a virtual host without routes prints "404"
        for (const r of vh.routes) if (!isPassthrough(r)) rows.push([rc.name, vh.name, domains, matchText(r.match.path), r.origin ? `${r.origin.split('/')[1]}.${r.origin.split('/')[0]}` : '']);
        if (vh.routes.length === 0) rows.push([rc.name, vh.name, domains, '/*', '404']);
      }
    }
    // the inline route configs of the health and metrics listeners have no name, so --name leaves them out
    if (!flag(p, 'name')) rows.push(['', 'backend', '*', '/stats/prometheus*', ''], ['', 'backend', '*', '/healthz/ready*', '']);
    if (json) ctx.out(printJson([...cfg.routes.values()].filter((rc) => !flag(p, 'name') || rc.name === flag(p, 'name')).map(routeConfigJson)));
    // route.go setupRouteConfigWriter: tabwriter.NewWriter(…, 0, 8, 5, ' ', 0)
    else ctx.out(renderTable({ headers: ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'], rows }, { padding: 5 }));
    return 0;
  }
  if (what.startsWith('cluster')) {
    // configdump/cluster.go ClusterFilter.Verify: substrings of the cluster name ("outbound|80|v1|reviews.default.svc.cluster.local")
    const fqdn = flag(p, 'fqdn');
    const port = flag(p, 'port');
    const subset = flag(p, 'subset');
    const direction = flag(p, 'direction');
    const selected = [...cfg.clusters.values()]
      .filter((c) => (!fqdn || c.name.includes(fqdn)) && (!direction || c.name.includes(direction)) && (!subset || c.name.includes(subset)) && (!port || c.name.includes(`|${port}|`)))
      .sort((a, b) => (a.serviceHost ?? a.name).localeCompare(b.serviceHost ?? b.name) || (a.port ?? 0) - (b.port ?? 0) || (a.subset ?? '').localeCompare(b.subset ?? ''));
    const rows = selected.map((c) => [c.direction === 'none' ? c.name : c.serviceHost ?? '', c.port !== undefined ? String(c.port) : '-', c.subset ?? '-', c.direction === 'none' ? '-' : c.direction, c.type, c.destinationRule ? `${c.destinationRule.split('/')[1]}.${c.destinationRule.split('/')[0]}` : '']);
    if (json) ctx.out(printJson(selected.map((c) => clusterJson(c, cfg.endpoints.get(c.name)))));
    // configdump/cluster.go: tabwriter padding 5 (testdata/clustersummary.txt)
    else ctx.out(renderTable({ headers: ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE'], rows }, { padding: 5 }));
    return 0;
  }
  if (what.startsWith('listener')) {
    const rows: string[][] = [];
    const inboundPorts = [...cfg.clusters.values()].filter((c) => c.direction === 'inbound' && c.port !== undefined).map((c) => c.port!);
    // configdump/listener.go ListenerFilter: --port and --address select listeners
    const lport = flag(p, 'port');
    const laddr = flag(p, 'address');
    const selectedListeners: typeof cfg.listeners = [];
    for (const l of cfg.listeners) {
      if (lport && String(l.name === 'virtualOutbound' ? 15001 : l.name === 'virtualInbound' ? 15006 : l.port) !== lport) continue;
      if (laddr && (l.name === 'virtualOutbound' || l.name === 'virtualInbound' ? '0.0.0.0' : l.address) !== laddr) continue;
      selectedListeners.push(l);
      if (l.name === 'virtualOutbound') rows.push(['0.0.0.0', '15001', 'ALL', 'PassthroughCluster'], ['0.0.0.0', '15001', 'Addr: *:15001', 'Non-HTTP/Non-TCP']);
      else if (l.name === 'virtualInbound') {
        rows.push(['0.0.0.0', '15006', 'Addr: *:15006', 'Non-HTTP/Non-TCP']);
        for (const port of [...new Set(inboundPorts)].sort((a, b) => a - b))
          rows.push(
            ['0.0.0.0', '15006', `Trans: tls; App: istio,istio-peer-exchange,istio-http/1.0,istio-http/1.1,istio-h2; Addr: *:${port}`, `Cluster: inbound|${port}||`],
            ['0.0.0.0', '15006', `Trans: raw_buffer; Addr: *:${port}`, `Cluster: inbound|${port}||`],
          );
      } else if (l.kind === 'gateway') {
        // one row per filter chain: its SNI match and its filter (istio/istio istioctl/pkg/writer/envoy/configdump/
        // listener.go retrieveListenerMatches, getFilterType: "Route: <rds>", or "Cluster: <cluster>" for a
        // tcp_proxy, empty for weighted_clusters), the rows of a listener sorted by destination, descending
        const sni = (names: string[]): string => (names.length ? `SNI: ${names.join(',')}` : 'ALL');
        const tcp = (clusters: { cluster: string }[]): string => `Cluster: ${clusters.length === 1 ? clusters[0].cluster : ''}`;
        const chains: string[][] = [];
        for (const c of l.filterChains ?? []) chains.push([sni(c.serverNames), c.tcpRoute ? tcp(c.tcpRoute.clusters) : `Route: ${c.routeConfigName}`]);
        if (l.routeConfigName) chains.push(['ALL', `Route: ${l.routeConfigName}`]);
        for (const c of l.passthroughChains ?? []) chains.push([sni(c.serverNames), tcp(c.clusters)]);
        if (l.tcpRoute) chains.push(['ALL', tcp(l.tcpRoute.clusters)]);
        chains.sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
        for (const [match, destination] of chains) rows.push([l.address, String(l.port), match, destination]);
      }
      else {
        if (l.routeConfigName) rows.push([l.address, String(l.port), 'Trans: raw_buffer; App: http/1.1,h2c', `Route: ${l.routeConfigName}`]);
        for (const [sni, cl] of Object.entries(l.sniClusters ?? {})) rows.push([l.address, String(l.port), `SNI: ${sni}`, `Cluster: ${cl}`]);
        rows.push([l.address, String(l.port), 'ALL', l.tcpCluster ? `Cluster: ${l.tcpCluster}` : 'PassthroughCluster']);
      }
    }
    for (const [port, route] of [['15021', 'Inline Route: /healthz/ready*'], ['15090', 'Inline Route: /stats/prometheus*']])
      if ((!lport || lport === port) && (!laddr || laddr === '0.0.0.0')) rows.push(['0.0.0.0', port, 'ALL', route]);
    if (json) ctx.out(printJson(selectedListeners.map(listenerJson)));
    // configdump/listener.go: tabwriter padding 1
    else ctx.out(renderTable({ headers: ['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'], rows }, { padding: 1 }));
    return 0;
  }
  if (what.startsWith('endpoint')) {
    const rows: string[][] = [];
    const rt = ctx.cluster.network.podByName(target.namespace, target.name);
    const envoy = rt ? ctx.cluster.network.envoyFor(rt) : undefined;
    const now = ctx.cluster.clock.now();
    for (const cla of cfg.endpoints.values()) {
      if (flag(p, 'cluster') && !cla.clusterName.includes(flag(p, 'cluster')!)) continue;
      const outlier = envoy?.state.outlier.get(cla.clusterName);
      for (const e of cla.endpoints) {
        const key = `${e.address}:${e.port}`;
        const ejected = (outlier?.get(key)?.ejectedUntil ?? 0) > now;
        rows.push([`${e.hostname ? ctx.cluster.network.resolve(e.hostname, target.namespace) ?? e.hostname : e.address}:${e.port}`, e.healthy ? 'HEALTHY' : 'UNHEALTHY', ejected ? 'FAILED' : 'OK', cla.clusterName]);
      }
    }
    rows.sort((a, b) => a[3].localeCompare(b[3]));
    if (!flag(p, 'cluster')) rows.push(['127.0.0.1:15000', 'HEALTHY', 'OK', 'prometheus_stats'], ['127.0.0.1:15020', 'HEALTHY', 'OK', 'agent']);
    if (json) ctx.out(printJson([...cfg.endpoints.values()].filter((cla) => !flag(p, 'cluster') || cla.clusterName.includes(flag(p, 'cluster')!)).map(endpointsJson)));
    // clusters/clusters.go: tabwriter padding 5 (testdata/clustersummary.txt)
    else ctx.out(renderTable({ headers: ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'], rows }, { padding: 5 }));
    return 0;
  }
  if (what.startsWith('secret')) {
    const secrets = await proxySecrets(ctx, pod.value, cfg.listeners.flatMap((l) => l.filterChains ?? []));
    if (json) ctx.out(printJson(secretsConfigDump(secrets)));
    else ctx.out(secretsTable(secrets, ctx.cluster.clock.now()));
    return 0;
  }
  return err(ctx, 'Error: istioctl proxy-config all is not supported in the sandbox');
}

/**
 * One DestinationRule as istioctl x describe prints it: the name (without the namespace when it is the one
 * described), matching subsets, the TLS mode and the other policies by name
 * (istio/istio istioctl/pkg/describe/describe.go printDestinationRule, recordShortPolicies).
 */
function describeDestinationRule(dr: Config<DestinationRuleSpec>, podLabels: Record<string, string> | undefined, ns: string, indent: string): string {
  let out = `${indent}DestinationRule: ${dr.namespace === ns ? dr.name : `${dr.name}.${dr.namespace}`} for "${dr.spec.host}"\n`;
  const all = dr.spec.subsets ?? [];
  const subs = all.filter((sub) => matches(podLabels, fromMap(sub.labels)));
  const others = all.filter((sub) => !subs.includes(sub));
  if (all.length) {
    if (!subs.length) out += `${indent}   WARNING POD DOES NOT MATCH ANY SUBSETS.  (Non matching subsets ${others.map((x) => x.name).join(',')})\n`;
    out += `${indent}   Matching subsets: ${subs.map((x) => x.name).join(',')}\n`;
    if (others.length) out += `${indent}      (Non-matching subsets ${others.map((x) => x.name).join(',')})\n`;
  }
  const tp = dr.spec.trafficPolicy;
  if (!tp) return `${out}${indent}   No Traffic Policy\n`;
  if (tp.tls) out += `${indent}   Traffic Policy TLS Mode: ${tp.tls.mode ?? 'DISABLE'}\n`;
  const short = [tp.loadBalancer && 'load balancer', tp.connectionPool && 'connection pool', tp.outlierDetection && 'outlier detection'].filter(Boolean);
  if (short.length) out += `${indent}   Policies: ${short.join('/')}\n`;
  return out;
}

/** istioctl x describe pod: the Istio view of one pod (services, rules, mTLS, ingress exposure). */
async function describePod(ctx: CommandContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { withValue: ['n', 'namespace'], boolean: [], aliases: { namespace: 'n' } });
  const [what, name] = p.positional;
  if (what !== 'pod' || !name) return err(ctx, 'Error: expected: istioctl x describe pod <pod> [-n namespace]');
  const ns = flag(p, 'n') ?? currentNamespace(ctx.fs);
  const c = ctx.cluster.client;
  const podR = c.get(c.kind('Pod'), ns, name);
  if (!podR.ok) return err(ctx, `Error: pods "${name}" not found`);
  const pod = podR.value;
  const push = ctx.cluster.istiod.pushContext();
  const info = push.pods.find((x) => x.namespace === ns && x.name === name);
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const containers = (Array.isArray(spec.containers) ? spec.containers : []).filter(isRecord);
  const ports = containers.flatMap((ct) => (Array.isArray(ct.ports) ? ct.ports.filter(isRecord) : []).map((pt) => `${pt.containerPort} (${ct.name})`));
  let out = `Pod: ${name}\n   Pod Revision: ${info?.sidecar ? 'default' : 'none'}\n   Pod Ports: ${ports.join(', ')}\n`;
  if (!info?.sidecar) out += `WARNING: ${ns}/${name} is not part of mesh; no Istio sidecar\n`;
  // istio/istio istioctl/pkg/describe/describe.go: services (with the DestinationRule and the mesh
  // VirtualService of each), then the effective PeerAuthentication, then the ingress gateways that
  // expose the pod; names in the described namespace are printed without it (kname)
  const kname = (name: string, namespace: string): string => (namespace === ns ? name : `${name}.${namespace}`);
  const routesOf = (vs: (typeof push.virtualServices)[number]): string => `   ${(vs.spec.http ?? []).length} HTTP route(s)\n`;
  const ingress: string[] = [];
  for (const svc of push.services.filter((x) => x.source === 'kubernetes' && x.namespace === ns && x.selector && matches(pod.metadata.labels, fromMap(x.selector)))) {
    out += '--------------------\n';
    out += `Service: ${kname(svc.name, svc.namespace)}\n`;
    for (const sp of svc.ports) out += `   Port: ${sp.name} ${sp.port}/${sp.protocol === 'AUTO' ? 'UnsupportedProtocol' : sp.protocol} targets pod port ${typeof sp.targetPort === 'number' ? sp.targetPort : sp.targetPort}\n`;
    const dr = push.destinationRules.find((d) => hostMatches(resolveShortname(d.spec.host ?? '', d.namespace), svc.hostname));
    // a service with several ports gets its DestinationRule printed per port, under "<port>:" and indented
    // (istio/istio istioctl/pkg/describe/describe.go describePodServices, printDestinationRule)
    const perPort = svc.ports.length > 1;
    for (const sp of perPort ? svc.ports : [svc.ports[0]]) {
      if (perPort) out += `${sp.port}:\n`;
      if (dr) out += describeDestinationRule(dr, pod.metadata.labels, ns, perPort ? '   ' : '');
    }
    for (const vs of push.virtualServices) {
      const gws = vs.spec.gateways && vs.spec.gateways.length ? vs.spec.gateways : ['mesh'];
      const routesHere = (vs.spec.http ?? []).some((h) => (h.route ?? []).some((d) => resolveShortname(d.destination?.host ?? '', vs.namespace) === svc.hostname));
      if (!routesHere) continue;
      if (gws.includes('mesh')) out += `VirtualService: ${kname(vs.name, vs.namespace)}\n${routesOf(vs)}`;
      if (gws.some((g) => g !== 'mesh')) {
        ingress.push(`--------------------\nExposed on Ingress Gateway http://${ctx.cluster.network.loadBalancerIp('istio-system', 'istio-ingressgateway') ?? ''}\nVirtualService: ${kname(vs.name, vs.namespace)}\n${routesOf(vs)}`);
      }
    }
  }
  out += '--------------------\n';
  const mode = info ? (ctx.cluster.istiod.configFor(ns, name)?.mtlsMode ?? 'PERMISSIVE') : 'PERMISSIVE';
  out += `Effective PeerAuthentication:\n   Workload mTLS mode: ${mode}\n`;
  // describePeerAuthentication: the port-level modes, then every policy that selects the pod (root namespace first)
  const portModes = info ? peerAuthenticationPorts(push, info) : {};
  if (Object.keys(portModes).length) out += `   Port Level mTLS mode:\n${Object.entries(portModes).map(([port, m]) => `      ${port}: ${m}\n`).join('')}`;
  const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
  const applied = [
    ...push.peerAuthentications.filter((p) => p.namespace === push.rootNamespace).sort(byName),
    ...push.peerAuthentications.filter((p) => p.namespace === ns && p.namespace !== push.rootNamespace).sort(byName),
  ].filter((p) => !p.spec.selector?.matchLabels || matches(pod.metadata.labels, fromMap(p.spec.selector.matchLabels)));
  if (applied.length) out += `Applied PeerAuthentication:\n   ${applied.map((p) => `${p.name}.${p.namespace}`).join(', ')}\n`;
  out += ingress.join('');
  ctx.out(out);
  return 0;
}

/** The files named on the command line (a directory gives its YAML/JSON files), or the name that cannot be read. */
function readAnalyzedFiles(ctx: CommandContext, names: string[]): AnalyzedFile[] | { missing: string } {
  const files: AnalyzedFile[] = [];
  for (const name of names) {
    const abs = ctx.fs.resolve(ctx.cwd, name);
    try {
      if (ctx.fs.isDir(abs))
        for (const entry of ctx.fs.list(abs).filter((e) => /\.(ya?ml|json)$/.test(e)).sort())
          files.push({ name: `${name.replace(/\/$/, '')}/${entry}`, text: ctx.fs.readFile(`${abs}/${entry}`) });
      else files.push({ name, text: ctx.fs.readFile(abs) });
    } catch {
      return { missing: name };
    }
  }
  return files;
}

async function analyze(ctx: CommandContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { withValue: ['n', 'namespace', 'o', 'output'], boolean: ['A', 'all-namespaces', 'L'], aliases: { namespace: 'n', 'all-namespaces': 'A' } });
  const all = has(p, 'A');
  const ns = all ? undefined : flag(p, 'n') ?? currentNamespace(ctx.fs);
  const files = readAnalyzedFiles(ctx, p.positional);
  if ('missing' in files) {
    ctx.err(`Error: open ${files.missing}: no such file or directory\n`);
    return 1;
  }
  // Istio's analyzers come from src/validation (plugged in as SandboxOptions.analyzer); a sandbox
  // started without them says so rather than pretending to have analyzed anything.
  if (!ctx.analyzer) {
    ctx.err('Error: the analyzers are not loaded in this sandbox (it was started without validation)\n');
    return 1;
  }
  const msgs = ctx.analyzer(ns, files);
  const where = all ? 'all namespaces' : `namespace: ${ns}`;
  const code = printAnalysis(ctx, msgs, where);
  // not istioctl's output: the sandbox says which EnvoyFilter patches it stores without executing
  for (const note of ctx.cluster.istiod.notExecuted(ns)) ctx.err(`${note}\n`);
  return code;
}

function printAnalysis(ctx: CommandContext, msgs: string[], where: string): number {
  if (msgs.length === 0) {
    ctx.err(`✔ No validation issues found when analyzing ${where}.\n`);
    return 0;
  }
  ctx.out(msgs.map((m) => `${m}\n`).join(''));
  if (msgs.some((m) => m.startsWith('Error'))) {
    ctx.err(`Error: Analyzers found issues when analyzing ${where}.\nSee ${istioDocs('docs/reference/config/analysis')} for more information about causes and resolutions.\n`);
    return 79;
  }
  return 0;
}

export const istioctl: CommandSpec = {
  name: 'istioctl',
  summary: 'Istio: install, version, x precheck, analyze, proxy-config',
  async run(ctx) {
    // root flags anywhere on the line (cobra persistent flags): `istioctl -c FILE install -y`
    const root = parseRootFlags(ctx.argv.slice(1));
    if (root.error) return err(ctx, root.error);
    const sub = root.sub;
    const rest = root.argv;
    // client-go's clientcmd errors, as istioctl passes them on
    if (root.context !== undefined && root.context !== CONTEXT) return err(ctx, `Error: context was not found for specified context: ${root.context}`);
    if (root.kubeconfig !== undefined && !ctx.fs.exists(ctx.fs.resolve(ctx.cwd, root.kubeconfig.replace(/^~(?=\/)/, ctx.env.HOME ?? HOME)))) return err(ctx, `Error: stat ${root.kubeconfig}: no such file or directory`);
    switch (sub) {
      case 'validate':
      case 'v': {
        const nsArg = rest.find((a) => a.startsWith('--namespace='));
        return validate(ctx, rest.filter((a) => a !== nsArg), nsArg ? nsArg.slice('--namespace='.length) : currentNamespace(ctx.fs));
      }
      case 'install':
        return install(ctx, rest);
      case 'kube-inject':
        return kubeInject(ctx, rest);
      case 'version': {
        const c = ctx.cluster.client;
        const pods = c.list(c.kind('Pod'));
        const proxies = (pods.ok ? pods.value : []).filter((x: KubeObject) => proxyContainer(x.spec)).length;
        const cp = ctx.cluster.istioInstalled();
        ctx.out(`client version: ${ISTIO_VERSION}\n${cp ? `control plane version: ${ISTIO_VERSION}\ndata plane version: ${ISTIO_VERSION} (${proxies} proxies)\n` : 'no running Istio pods in "istio-system"\n'}`);
        return 0;
      }
      case 'x':
      case 'experimental':
        if (rest[0] === 'describe') return describePod(ctx, rest.slice(1));
        if (rest[0] === 'precheck') {
          ctx.out('✔ No issues found when checking the cluster. Istio is safe to install or upgrade!\n  To get started, check out https://istio.io/latest/docs/setup/getting-started/.\n');
          return 0;
        }
        return err(ctx, `Error: unknown command "${rest[0] ?? ''}" for "istioctl experimental"`);
      case 'proxy-config':
      case 'pc':
        return proxyConfig(ctx, rest);
      case 'analyze':
        return analyze(ctx, rest);
      case 'proxy-status':
      case 'ps': {
        const c = ctx.cluster.client;
        const pods = c.list(c.kind('Pod'));
        const istiod = (c.list(c.kind('Pod'), 'istio-system', 'app=istiod') as { ok: true; value: KubeObject[] }).value?.[0]?.metadata.name ?? 'istiod';
        // istio/istio istioctl/pkg/writer/pilot/status.go: rows sorted by proxy ID, a tabwriter with padding 5
        const rows = (pods.ok ? pods.value : [])
          .filter((x) => ctx.cluster.istiod.configFor(x.metadata.namespace ?? '', x.metadata.name ?? ''))
          .map((x) => [`${x.metadata.name}.${x.metadata.namespace}`, 'Kubernetes', 'SYNCED (1m)', 'SYNCED (1m)', 'SYNCED (1m)', 'SYNCED (1m)', 'IGNORED', istiod, ISTIO_VERSION])
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        ctx.out(renderTable({ headers: ['NAME', 'CLUSTER', 'CDS', 'LDS', 'EDS', 'RDS', 'ECDS', 'ISTIOD', 'VERSION'], rows }, { padding: 5 }));
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
        ctx.out('Istio configuration command line utility for service operators to\ndebug and diagnose their Istio mesh.\n\nUsage:\n  istioctl [command]\n\nAvailable Commands:\n  analyze        Analyze Istio configuration and print validation messages\n  install        Applies an Istio manifest, installing or reconfiguring Istio on a cluster.\n  kube-inject    Inject Istio sidecar into Kubernetes pod resources\n  proxy-config   Retrieve information about proxy configuration from Envoy [kube only]\n  proxy-status   Retrieves the synchronization status of each Envoy in the mesh\n  validate       Validate Istio policy and rules files\n  version        Prints out build version information\n  x              Experimental commands that may be modified or deprecated\n\nFlags:\n      --context string          Kubernetes configuration context\n  -h, --help                    help for istioctl\n  -i, --istioNamespace string   Istio system namespace (default "istio-system")\n  -c, --kubeconfig string       Kubernetes configuration file\n  -n, --namespace string        Kubernetes namespace\n');
        return 0;
      default:
        return err(ctx, `Error: unknown command "${sub}" for "istioctl"\nRun 'istioctl --help' for usage.`);
    }
  },
};

export { readMeshConfig };
