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
 * Only the lesson's primary namespace is mapped (the one its manifests use most); a lesson that
 * needs a second namespace of its own (authorization, mtls, egress) keeps that one's name, and
 * the participant's Role refuses it — `secondaryNamespaces` names them for the page's note.
 * `istio-system` is never mapped. Browser-safe (the room page maps its run buttons' lines).
 */

/** The host a participant's Gateway and VirtualService use on the shared ingress gateway (e.g. ws-k7qm2p-….workshop.example). */
export function participantHost(namespace: string, domain = 'workshop.example'): string {
  return `${namespace}.${domain}`;
}

export interface NamespaceMapping {
  /** The lesson's namespace, e.g. "shop". */
  from: string;
  /** The participant's namespace. */
  to: string;
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
 * The namespaces a lesson's manifests create or target, most used first (the first is the one
 * `namespaceMappingFor` maps).
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

/** The lesson's namespaces that stay unmapped (the participant's Role refuses them on a shared cluster). */
export function secondaryNamespaces(manifests: readonly string[]): string[] {
  return lessonNamespaces(manifests).slice(1);
}

/** Whether every document of a manifest file is a Namespace named `from` (or empty). */
export function definesOnlyNamespace(text: string, from: string): boolean {
  const docs = documents(text).filter((d) => d.replace(/^\s*#.*$/gm, '').trim() !== '');
  return docs.length > 0 && docs.every((d) => namespaceObjectName(d) === from);
}

/** What replaces creating the lesson's namespace: theirs was made when they joined. */
export function namespaceReady(to: string): string {
  return `echo 'Namespace ${to} уже создан для вас (с istio-injection=enabled): урок работает в нём.'`;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` (in URLs, hosts, FQDNs) → the mapped namespace. */
function mapHosts(text: string, m: NamespaceMapping): string {
  return text.replace(new RegExp(`(\\b[a-z0-9-]+\\.)${escape(m.from)}(?=\\.svc\\b|[:/'"\\s]|$)`, 'gm'), `$1${m.to}`);
}

/** A manifest file with the lesson's namespace mapped; Namespace objects of it left out. */
export function mapManifest(text: string, m: NamespaceMapping): string {
  const host = participantHost(m.to);
  const kept = documents(text)
    .filter((d) => namespaceObjectName(d) !== m.from)
    // a catch-all host on the shared ingress gateway: the participant's own name instead
    .map((d) => (/^kind:[ \t]*Gateway[ \t]*$/m.test(d) || (/^kind:[ \t]*VirtualService[ \t]*$/m.test(d) && /^[ \t]+gateways:/m.test(d)) ? d.replace(/^([ \t]+-[ \t]*)(["'])\*\2[ \t]*$/gm, `$1"${host}"`) : d));
  const joined = kept.join('---');
  const mapped = joined.replace(new RegExp(`^([ \\t]+namespace:[ \\t]*)(["']?)${escape(m.from)}\\2[ \\t]*$`, 'gm'), `$1$2${m.to}$2`);
  return mapHosts(mapped, m);
}

/**
 * A command line of the lesson with the namespace mapped (see the module's comment). Words are
 * matched whole, so `-n shopping` or a file named shop.yaml stay as they are.
 */
export function mapCommand(line: string, m: NamespaceMapping): string {
  const ns = escape(m.from);
  const end = `(?=[\\s;&|)]|$)`;
  let out = line
    // kubectl create namespace shop / kubectl create ns shop: theirs exists already
    .replace(new RegExp(`\\bkubectl\\s+create\\s+(?:namespace|ns)\\s+${ns}${end}`, 'g'), namespaceReady(m.to))
    .replace(new RegExp(`(\\s)(-n|--namespace)(\\s+|=)${ns}${end}`, 'g'), `$1$2$3${m.to}`)
    .replace(new RegExp(`(\\s-n)${ns}${end}`, 'g'), `$1${m.to}`)
    // kubectl get namespace shop, kubectl label namespace shop …
    .replace(new RegExp(`(\\b(?:namespace|namespaces|ns)(?:/|\\s+))${ns}${end}`, 'g'), `$1${m.to}`);
  out = mapHosts(out, m);
  // a request to the shared ingress gateway names the participant's host (their Gateway matches only it)
  out = out.replace(/\bcurl\b((?:(?![;&|]).)*\$\{?INGRESS_HOST\b)/g, (whole, rest: string) => (/-H\s*['"]?Host:/i.test(rest) ? whole : `curl -H 'Host: ${participantHost(m.to)}'${rest}`));
  // kubectl apply -f <only the lesson's Namespace>: nothing to create, the participant's is there
  const only = m.namespaceOnlyFiles;
  if (only?.size) {
    out = out.replace(/\bkubectl\s+apply((?:\s+-f\s+\S+)+)(?=\s*(?:[;&|]|$))/g, (whole, files: string) => {
      const all = [...files.matchAll(/-f\s+(\S+)/g)].map((f) => f[1]);
      const rest = all.filter((f) => !only.has(f.replace(/^\.\//, '')));
      if (rest.length === all.length) return whole;
      return rest.length ? `kubectl apply ${rest.map((f) => `-f ${f}`).join(' ')}` : namespaceReady(m.to);
    });
  }
  return out;
}
