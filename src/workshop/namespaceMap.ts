/**
 * A lesson on a shared real cluster (a `--cluster` room): the lesson's manifests and commands
 * name their own namespace (`shop`, `demo`, …), which a participant may not create — they own one
 * namespace, made for them when they joined (cluster/provision.ts). This maps a lesson's
 * namespace to the participant's, in the manifests copied into their HOME and in the command
 * lines the lesson's run buttons send, so following the lesson works in their own namespace:
 *
 *   -n shop · --namespace shop · --namespace=shop   → -n ws-k7qm2p-…
 *   metadata.namespace: shop                          → namespace: ws-k7qm2p-…
 *   inventory.shop.svc.cluster.local · inventory.shop → inventory.ws-k7qm2p-….svc.cluster.local …
 *   a Namespace object named shop                     → left out (theirs exists, with istio-injection)
 *   kubectl apply -f <a file of only such Namespaces> → echo 'Namespace ws-k7qm2p-… уже создан для вас …'
 *   kubectl create namespace shop                     → the same echo
 *   hosts: ["*"] of a Gateway / of a VirtualService bound to one → the participant's own host name
 *   curl … $INGRESS_HOST … (no Host header)          → curl -H 'Host: <their host>' …
 *     (the ingress gateway in istio-system is shared by the room: with "*" every participant's
 *     Gateway would claim every request; cluster/meshWide.ts participantHost)
 *
 * (The participant's Role is namespaced, so even `kubectl get namespace <theirs>` is Forbidden on
 * a real cluster: the echo says plainly what happened instead of a command that fails.)
 *
 * A lesson with more namespaces of its own (authorization: `analytics`, mtls: `legacy`, egress:
 * `external-cluster`) maps each further one to a namespace the participant also owns,
 * `<their namespace>-<lesson namespace>` (cluster/provision.ts extraNamespaceName), in the same
 * places and also where Istio names a namespace inside a value:
 *
 *   cluster.local/ns/analytics/sa/default            → cluster.local/ns/ws-k7qm2p-…-analytics/sa/default
 *   namespaces: ["analytics"] · notNamespaces · exportTo (flow or block lists) → the mapped names
 *   - demo/demo-gateway · - analytics/* (gateways, Sidecar egress hosts) → - ws-k7qm2p-…/demo-gateway …
 *   kubectl delete namespace demo external-cluster   → echo: theirs stay until the room ends
 *
 * `istio-system` is never mapped. Browser-safe (the room page maps its run buttons' lines).
 */

/** The host a participant's Gateway and VirtualService use on the shared ingress gateway (e.g. ws-k7qm2p-….workshop.example). */
export function participantHost(namespace: string, domain = 'workshop.example'): string {
  return `${namespace}.${domain}`;
}

/** A further namespace of a lesson (e.g. analytics) and the participant's own namespace that stands for it. */
export interface ExtraNamespace {
  from: string;
  to: string;
  /** The lesson's istio-injection label of it: mtls's `legacy` and egress's `external-cluster` are outside the mesh on purpose. */
  injection: 'enabled' | 'disabled';
}

export interface NamespaceMapping {
  /** The lesson's namespace, e.g. "shop". */
  from: string;
  /** The participant's namespace. */
  to: string;
  /** The lesson's further namespaces, each to one of the participant's own. */
  extra?: readonly ExtraNamespace[];
  /** Files (relative to HOME, e.g. "examples/resilience/namespace.yaml") that define only lesson Namespaces. */
  namespaceOnlyFiles?: ReadonlySet<string>;
}

const NEVER_MAPPED = new Set(['istio-system', 'kube-system', 'default']);

/** The YAML documents of a manifest file (split on `---` lines). */
function documents(text: string): string[] {
  return text.split(/^---[ \t]*$/m);
}

/** The name of a Namespace object in a YAML document, if the document is one. */
function namespaceObjectName(doc: string): string | undefined {
  if (!/^kind:[ \t]*Namespace[ \t]*$/m.test(doc)) return undefined;
  return /^metadata:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+name:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*$/m.exec(doc)?.[1];
}

/**
 * The namespaces a lesson's manifests create or target, most used first (the first is the
 * primary one, mapped to the participant's namespace; the others are its extra namespaces).
 */
export function lessonNamespaces(manifests: readonly string[]): string[] {
  const uses = new Map<string, number>();
  const add = (ns: string): void => {
    if (!NEVER_MAPPED.has(ns)) uses.set(ns, (uses.get(ns) ?? 0) + 1);
  };
  for (const text of manifests)
    for (const doc of documents(text)) {
      const created = namespaceObjectName(doc);
      if (created) add(created);
      for (const m of doc.matchAll(/^[ \t]+namespace:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*$/gm)) add(m[1]);
    }
  return [...uses.entries()].sort((a, b) => b[1] - a[1]).map(([ns]) => ns);
}

/** The istio-injection label the lesson's Namespace object `name` carries ("enabled" when it names none or there is none). */
export function lessonInjection(manifests: readonly string[], name: string): 'enabled' | 'disabled' {
  for (const text of manifests)
    for (const doc of documents(text))
      if (namespaceObjectName(doc) === name) return /^[ \t]+istio-injection:[ \t]*["']?disabled\b/m.test(doc) ? 'disabled' : 'enabled';
  return 'enabled';
}

/** Every lesson namespace of the mapping with the participant's one for it, the primary first. */
export function namespacePairs(m: NamespaceMapping): ExtraNamespace[] {
  return [{ from: m.from, to: m.to, injection: 'enabled' }, ...(m.extra ?? [])];
}

/** Whether every document of a manifest file is a Namespace named one of `names` (or empty). */
export function definesOnlyNamespace(text: string, ...names: string[]): boolean {
  const docs = documents(text).filter((d) => d.replace(/^\s*#.*$/gm, '').trim() !== '');
  return docs.length > 0 && docs.every((d) => names.includes(namespaceObjectName(d) ?? ''));
}

const list = (names: string[]): string => names.join(', ');

/** What replaces creating the lesson's namespaces: the participant's were made when they joined. */
export function namespaceReady(m: NamespaceMapping | string): string {
  const pairs = typeof m === 'string' ? [{ from: '', to: m, injection: 'enabled' as const }] : namespacePairs(m);
  if (pairs.length === 1) return `echo 'Namespace ${pairs[0].to} уже создан для вас (с istio-injection=enabled): урок работает в нём.'`;
  const made = pairs.map((p) => `${p.to} (istio-injection=${p.injection}${p.from ? ` — вместо ${p.from}` : ''})`);
  return `echo 'Namespaces ${list(made)} уже созданы для вас: урок работает в них.'`;
}

/** What replaces deleting the lesson's namespaces: the participant may not delete theirs; the room's end does. */
export function namespacesKept(names: string[]): string {
  return `echo 'Namespace ${list(names)} остаётся: на общем кластере namespaces участников удаляются в конце комнаты. Начать урок заново поможет ведущий — он сбрасывает ваши namespaces.'`;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One alternation of the lesson namespaces (longest first) and the lookup of the participant's. */
function alternation(m: NamespaceMapping): { re: string; to: (from: string) => string; all: ExtraNamespace[] } {
  const all = namespacePairs(m);
  const to = new Map(all.map((p) => [p.from, p.to]));
  const re = `(?:${all
    .map((p) => p.from)
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})`;
  return { re, to: (from) => to.get(from) ?? from, all };
}

/**
 * Where a namespace stands inside a value, in manifests and command lines alike:
 * `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` (URLs, hosts, FQDNs) and the SPIFFE identity
 * `cluster.local/ns/<ns>/sa/<sa>` of AuthorizationPolicy principals (istio/api
 * security/v1beta1/authorization.proto, Source.principals: "cluster.local/ns/default/sa/sleep").
 */
function mapValues(text: string, m: NamespaceMapping): string {
  const { re, to } = alternation(m);
  return text
    .replace(new RegExp(`(\\b[a-z0-9-]+\\.)(${re})(?=\\.svc\\b|[:/'"\\s]|$)`, 'gm'), (_, host: string, ns: string) => host + to(ns))
    .replace(new RegExp(`(/ns/)(${re})(?=/)`, 'g'), (_, pre: string, ns: string) => pre + to(ns));
}

/**
 * Lists whose items are namespaces: AuthorizationPolicy `namespaces`/`notNamespaces`
 * (authorization.proto Source.namespaces), `exportTo` of VirtualService, DestinationRule,
 * ServiceEntry and Sidecar (istio/api networking/v1alpha3/virtual_service.proto exportTo), in flow
 * (`["analytics"]`) or block (`- analytics`) style; and items that start with `<namespace>/`:
 * VirtualService `gateways` (`<gateway namespace>/<gateway name>`, virtual_service.proto) and
 * Sidecar egress `hosts` ("namespace/dnsName", istio/api networking/v1alpha3/sidecar.proto).
 */
function mapNamespaceLists(doc: string, m: NamespaceMapping): string {
  const { re, to } = alternation(m);
  const item = new RegExp(`^(["']?)(${re})\\1$`);
  const one = (raw: string): string => raw.replace(/^([ \t]*)(.*?)([ \t]*)$/, (_, a: string, v: string, b: string) => a + v.replace(item, (_w, q: string, ns: string) => q + to(ns) + q) + b);
  const keys = '(?:namespaces|notNamespaces|exportTo)';
  return doc
    .replace(new RegExp(`^([ \\t]*(?:-[ \\t]+)?${keys}:[ \\t]*\\[)([^\\]\\n]*)\\]`, 'gm'), (_, head: string, items: string) => `${head}${items.split(',').map(one).join(',')}]`)
    .replace(new RegExp(`^([ \\t]*(?:-[ \\t]+)?${keys}:[ \\t]*\\n)((?:[ \\t]*-[ \\t]+\\S.*(?:\\n|$))+)`, 'gm'), (_, head: string, items: string) =>
      head + items.replace(/^([ \t]*-[ \t]+)([^#\n]*?)([ \t]*(?:#.*)?)$/gm, (_w, dash: string, v: string, tail: string) => dash + one(v) + tail),
    )
    .replace(new RegExp(`^([ \\t]*-[ \\t]+["']?)(${re})(?=/)`, 'gm'), (_, head: string, ns: string) => head + to(ns));
}

/** A manifest file with the lesson's namespaces mapped; Namespace objects of them left out. */
export function mapManifest(text: string, m: NamespaceMapping): string {
  const host = participantHost(m.to);
  const { re, to, all } = alternation(m);
  const lessonNs = new Set(all.map((p) => p.from));
  const kept = documents(text)
    .filter((d) => !lessonNs.has(namespaceObjectName(d) ?? ''))
    // a catch-all host on the shared ingress gateway: the participant's own name instead
    .map((d) => (/^kind:[ \t]*Gateway[ \t]*$/m.test(d) || (/^kind:[ \t]*VirtualService[ \t]*$/m.test(d) && /^[ \t]+gateways:/m.test(d)) ? d.replace(/^([ \t]+-[ \t]*)(["'])\*\2[ \t]*$/gm, `$1"${host}"`) : d))
    .map((d) => mapNamespaceLists(d, m));
  const joined = kept.join('---');
  const mapped = joined.replace(new RegExp(`^([ \\t]+namespace:[ \\t]*)(["']?)(${re})\\2[ \\t]*$`, 'gm'), (_, head: string, q: string, ns: string) => `${head}${q}${to(ns)}${q}`);
  return mapValues(mapped, m);
}

/**
 * A command line of the lesson with the namespaces mapped (see the module's comment). Words are
 * matched whole, so `-n shopping` or a file named shop.yaml stay as they are.
 */
export function mapCommand(line: string, m: NamespaceMapping): string {
  const { re, to } = alternation(m);
  const ns = `(${re})`;
  const end = `(?=[\\s;&|)]|$)`;
  let out = line
    // kubectl create namespace shop / kubectl create ns shop: theirs exists already
    .replace(new RegExp(`\\bkubectl\\s+create\\s+(?:namespace|ns)\\s+${ns}${end}`, 'g'), () => namespaceReady(m))
    // kubectl delete namespace demo external-cluster: theirs stay until the room ends
    .replace(new RegExp(`\\bkubectl\\s+delete\\s+(?:namespaces?|ns)((?:\\s+${re}${end})+)(?=\\s*(?:[;&|)]|$))`, 'g'), (_, names: string) => namespacesKept(names.trim().split(/\s+/).map(to)))
    .replace(new RegExp(`(\\s)(-n|--namespace)(\\s+|=)${ns}${end}`, 'g'), (_, sp: string, flag: string, sep: string, n: string) => `${sp}${flag}${sep}${to(n)}`)
    .replace(new RegExp(`(\\s-n)${ns}${end}`, 'g'), (_, flag: string, n: string) => flag + to(n))
    // kubectl get namespace shop, kubectl label namespace shop …
    .replace(new RegExp(`(\\b(?:namespace|namespaces|ns)(?:/|\\s+))${ns}${end}`, 'g'), (_, head: string, n: string) => head + to(n));
  out = mapValues(out, m);
  // a request to the shared ingress gateway names the participant's host (their Gateway matches only it)
  out = out.replace(/\bcurl\b((?:(?![;&|]).)*\$\{?INGRESS_HOST\b)/g, (whole, rest: string) => (/-H\s*['"]?Host:/i.test(rest) ? whole : `curl -H 'Host: ${participantHost(m.to)}'${rest}`));
  // kubectl apply -f <only the lesson's Namespaces>: nothing to create, the participant's are there
  const only = m.namespaceOnlyFiles;
  if (only?.size) {
    out = out.replace(/\bkubectl\s+apply((?:\s+-f\s+\S+)+)(?=\s*(?:[;&|]|$))/g, (whole, files: string) => {
      const listed = [...files.matchAll(/-f\s+(\S+)/g)].map((f) => f[1]);
      const rest = listed.filter((f) => !only.has(f.replace(/^\.\//, '')));
      if (rest.length === listed.length) return whole;
      return rest.length ? `kubectl apply ${rest.map((f) => `-f ${f}`).join(' ')}` : namespaceReady(m);
    });
  }
  return out;
}
