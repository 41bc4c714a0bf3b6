/** kubectl describe deployment / replicaset / service (describe.go describeDeployment, describeReplicaSet, describeService). */
import type { KubeObject } from '../../../api/types';
import { arr, describeEvents, formatLabels, formatSelector, printAnnotations, printLabels, rec, rfc1123z, str, type R } from './helpers';
import { describePodTemplate } from './pod';
import { PrefixWriter } from './tabwriter';

/** printReplicaSetsByLabels. */
function replicaSets(rss: KubeObject[]): string {
  return rss.length ? rss.map((rs) => `${rs.metadata.name} (${Number(rec(rs.status).replicas ?? 0)}/${Number(rec(rs.spec).replicas ?? 0)} replicas created)`).join(', ') : '<none>';
}

/** deploymentutil.EqualIgnoreHash: the pod templates without the pod-template-hash label. */
export function sameTemplate(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
    if (v && typeof v === 'object')
      return `{${Object.keys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canon((v as R)[k])}`)
        .join(',')}}`;
    return JSON.stringify(v);
  };
  const strip = (t: unknown): string => {
    const c = JSON.parse(JSON.stringify(rec(t))) as R;
    delete rec(rec(c.metadata).labels)['pod-template-hash'];
    return canon(c);
  };
  return strip(a) === strip(b);
}

export function describeDeployment(d: KubeObject, rss: KubeObject[], events: KubeObject[], now: number): string {
  const w = new PrefixWriter();
  const spec = rec(d.spec);
  const st = rec(d.status);
  const strategy = rec(spec.strategy);
  w.write(0, `Name:\t${str(d.metadata.name)}\n`);
  w.write(0, `Namespace:\t${str(d.metadata.namespace)}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  printLabels(w, 'Labels', d.metadata.labels);
  printAnnotations(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${formatSelector(spec.selector)}\n`);
  w.write(0, `Replicas:\t${Number(spec.replicas ?? 1)} desired | ${Number(st.updatedReplicas ?? 0)} updated | ${Number(st.replicas ?? 0)} total | ${Number(st.availableReplicas ?? 0)} available | ${Number(st.unavailableReplicas ?? 0)} unavailable\n`);
  w.write(0, `StrategyType:\t${str(strategy.type)}\n`);
  w.write(0, `MinReadySeconds:\t${Number(spec.minReadySeconds ?? 0)}\n`);
  if (strategy.rollingUpdate) {
    const ru = rec(strategy.rollingUpdate);
    w.write(0, `RollingUpdateStrategy:\t${str(ru.maxUnavailable)} max unavailable, ${str(ru.maxSurge)} max surge\n`);
  }
  describePodTemplate(w, rec(spec.template));
  const conds = arr(st.conditions);
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conds) w.write(1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
  }
  // deploymentutil.GetAllReplicaSets: the new one has the deployment's template; old ones still scaled up
  const owned = rss.filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.uid === d.metadata.uid && o.controller === true));
  const newRS = owned.find((rs) => sameTemplate(rec(rs.spec).template, spec.template));
  const old = owned.filter((rs) => rs !== newRS && Number(rec(rs.spec).replicas ?? 0) !== 0);
  if (owned.length) {
    w.write(0, `OldReplicaSets:\t${replicaSets(old)}\n`);
    w.write(0, `NewReplicaSet:\t${replicaSets(newRS ? [newRS] : [])}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

export function describeReplicaSet(rs: KubeObject, pods: KubeObject[], events: KubeObject[], now: number): string {
  const w = new PrefixWriter();
  const spec = rec(rs.spec);
  const st = rec(rs.status);
  w.write(0, `Name:\t${str(rs.metadata.name)}\n`);
  w.write(0, `Namespace:\t${str(rs.metadata.namespace)}\n`);
  w.write(0, `Selector:\t${formatSelector(spec.selector)}\n`);
  printLabels(w, 'Labels', rs.metadata.labels);
  printAnnotations(w, 'Annotations', rs.metadata.annotations);
  const owner = (rs.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner) w.write(0, `Controlled By:\t${str(owner.kind)}/${str(owner.name)}\n`);
  w.write(0, `Replicas:\t${Number(st.replicas ?? 0)} current / ${Number(spec.replicas ?? 0)} desired\n`);
  const phase = (p: string): number => pods.filter((x) => rec(x.status).phase === p).length;
  w.write(0, `Pods Status:\t${phase('Running')} Running / ${phase('Pending')} Waiting / ${phase('Succeeded')} Succeeded / ${phase('Failed')} Failed\n`);
  describePodTemplate(w, rec(spec.template));
  const conds = arr(st.conditions);
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conds) w.write(1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

/**
 * describe.go formatEndpointSlices for one port name: each slice's ready endpoints as
 * "ip:port", three at most; "<none>" only when the service has no slice at all (a slice
 * with no ready endpoint gives an empty value).
 */
function endpointsFor(slices: KubeObject[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  // the loop as describe.go has it: "more" is noticed at any fourth endpoint, ready or not
  const add = (e: Record<string, unknown>, port?: unknown): void => {
    if (list.length === 3) more = true;
    if (rec(e.conditions).ready === false) return;
    const addr = String(Array.isArray(e.addresses) ? e.addresses[0] : '');
    if (!more) list.push(port === undefined ? addr : `${addr}:${str(port)}`);
    count++;
  };
  for (const s of slices) {
    const ports = arr(s.ports);
    if (ports.length === 0) for (const e of arr(s.endpoints)) add(e);
    else for (const p of ports.filter((x) => str(x.name) === portName)) for (const e of arr(s.endpoints)) add(e, p.port);
  }
  return more ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

export function describeService(svc: KubeObject, slices: KubeObject[], events: KubeObject[], now: number): string {
  const w = new PrefixWriter();
  const spec = rec(svc.spec);
  const st = rec(svc.status);
  w.write(0, `Name:\t${str(svc.metadata.name)}\n`);
  w.write(0, `Namespace:\t${str(svc.metadata.namespace)}\n`);
  printLabels(w, 'Labels', svc.metadata.labels);
  printAnnotations(w, 'Annotations', svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${str(spec.type)}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${str(spec.ipFamilyPolicy)}\n`);
  if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length) w.write(0, `IP Families:\t${spec.ipFamilies.join(',')}\n`);
  w.write(0, `IP:\t${str(spec.clusterIP)}\n`);
  if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length) w.write(0, `IPs:\t${spec.clusterIPs.join(',')}\n`);
  if (Array.isArray(spec.externalIPs) && spec.externalIPs.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `IP:\t${str(spec.loadBalancerIP)}\n`);
  const ing = arr(rec(st.loadBalancer).ingress);
  if (ing.length) w.write(0, `LoadBalancer Ingress:\t${ing.map((i) => `${str(i.ip || i.hostname)}${i.ipMode ? ` (${str(i.ipMode)})` : ''}`).join(', ')}\n`);
  if (spec.type === 'ExternalName') w.write(0, `External Name:\t${str(spec.externalName)}\n`);
  for (const p of arr(spec.ports)) {
    const name = str(p.name) || '<unset>';
    w.write(0, `Port:\t${name}\t${str(p.port)}/${str(p.protocol)}\n`);
    w.write(0, `TargetPort:\t${str(p.targetPort)}/${str(p.protocol)}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${str(p.nodePort)}/${str(p.protocol)}\n`);
    w.write(0, `Endpoints:\t${endpointsFor(slices, str(p.name))}\n`);
  }
  w.write(0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${str(spec.externalTrafficPolicy)}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${str(spec.internalTrafficPolicy)}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${str(spec.healthCheckNodePort)}\n`);
  describeEvents(w, events, now);
  return w.toString();
}
