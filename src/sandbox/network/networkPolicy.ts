/**
 * NetworkPolicy ingress, as a policy-enforcing CNI applies it to a connection reaching a pod
 * (semantics of networking.k8s.io/v1, kubernetes/kubernetes staging/src/k8s.io/api/networking/v1/types.go
 * and https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 *
 *  - a pod is isolated for ingress once a policy of its namespace selects it (spec.podSelector) with
 *    "Ingress" in policyTypes (the default when policyTypes is left out);
 *  - an isolated pod accepts a connection that some rule of some selecting policy allows: `from` empty
 *    or one peer matching (podSelector in the policy's namespace; namespaceSelector; both; ipBlock with
 *    except) and `ports` empty or one matching (number or the container port's name, protocol, endPort);
 *  - traffic from the pod's node is always allowed; a refused connection is dropped (the client's SYN
 *    goes unanswered: it times out).
 *
 * Not modelled: egress rules (policyTypes Egress is stored, not enforced), SCTP/UDP (the sandbox speaks TCP).
 */
import { fromLabelSelector, matches } from '../api/labels';
import { isRecord, type KubeObject } from '../api/types';

type R = Record<string, unknown>;
const rec = (v: unknown): R => (isRecord(v) ? v : {});
const arr = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isRecord) : []);

export interface PolicyPeer {
  ip: string;
  /** A pod's namespace and labels; undefined for an address outside the pod network. */
  pod?: { namespace: string; labels: Record<string, string> };
}

export interface PolicyTarget {
  namespace: string;
  labels: Record<string, string>;
  /** Named container ports of the pod (for `port: http`). */
  namedPorts: Record<string, number>;
}

function ipv4(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m ? m.slice(1).reduce((n, x) => n * 256 + Number(x), 0) : undefined;
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const a = ipv4(ip);
  const b = ipv4(base);
  const n = Number(bits ?? 32);
  if (a === undefined || b === undefined || !(n >= 0 && n <= 32)) return false;
  const block = 2 ** (32 - n);
  return Math.floor(a / block) === Math.floor(b / block);
}

function peerMatches(peer: R, policyNamespace: string, src: PolicyPeer, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean {
  if (isRecord(peer.ipBlock)) {
    const b = peer.ipBlock;
    return typeof b.cidr === 'string' && inCidr(src.ip, b.cidr) && !(Array.isArray(b.except) && b.except.some((e) => typeof e === 'string' && inCidr(src.ip, e)));
  }
  if (!src.pod) return false;
  const hasPods = isRecord(peer.podSelector);
  const hasNs = isRecord(peer.namespaceSelector);
  if (!hasPods && !hasNs) return false;
  if (hasNs) {
    if (!matches(namespaceLabels(src.pod.namespace) ?? {}, fromLabelSelector(peer.namespaceSelector))) return false;
  } else if (src.pod.namespace !== policyNamespace) return false;
  return !hasPods || matches(src.pod.labels, fromLabelSelector(peer.podSelector));
}

function portMatches(p: R, port: number, target: PolicyTarget): boolean {
  if ((p.protocol ?? 'TCP') !== 'TCP') return false;
  if (p.port === undefined) return true;
  const start = typeof p.port === 'number' ? p.port : /^\d+$/.test(String(p.port)) ? Number(p.port) : target.namedPorts[String(p.port)];
  if (start === undefined) return false;
  const end = typeof p.endPort === 'number' ? p.endPort : start;
  return port >= start && port <= end;
}

function isIngressPolicy(np: KubeObject): boolean {
  const types = rec(np.spec).policyTypes;
  return Array.isArray(types) ? types.includes('Ingress') : true;
}

/** Whether a connection from `src` to port `port` of the target pod gets through the ingress policies of its namespace. */
export function ingressAllowed(policies: readonly KubeObject[], target: PolicyTarget, src: PolicyPeer, port: number, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean {
  const selecting = policies.filter((np) => np.metadata.namespace === target.namespace && isIngressPolicy(np) && matches(target.labels, fromLabelSelector(rec(np.spec).podSelector ?? {})));
  if (selecting.length === 0) return true;
  return selecting.some((np) =>
    arr(rec(np.spec).ingress).some((rule) => {
      const ports = arr(rule.ports);
      const from = arr(rule.from);
      return (ports.length === 0 || ports.some((p) => portMatches(p, port, target))) && (from.length === 0 || from.some((peer) => peerMatches(peer, target.namespace, src, namespaceLabels)));
    }),
  );
}
