/** kubectl describe pod (describePod, describeContainers, DescribePodTemplate in kubectl/pkg/describe/describe.go). */
import type { KubeObject } from '../../../api/types';
import { humanDuration } from '../../../core/clock';
import { containerResourceValue, extractFieldPathAsString } from '../../../api/fieldpath';
import { arr, describeEvents, printAnnotations, printLabels, printTolerations, rec, rfc1123z, str, type R } from './helpers';
import { PrefixWriter } from './tabwriter';

function ports(ps: R[], host: boolean): string {
  // 1.35 names the port: "9090/TCP (http)"
  return ps.map((p) => `${host ? Number(p.hostPort ?? 0) : str(p.containerPort)}/${str(p.protocol ?? 'TCP')}${p.name ? ` (${str(p.name)})` : ''}`).join(', ');
}

function probe(p: R): string {
  const attrs = `delay=${Number(p.initialDelaySeconds ?? 0)}s timeout=${Number(p.timeoutSeconds ?? 0)}s period=${Number(p.periodSeconds ?? 0)}s #success=${Number(p.successThreshold ?? 0)} #failure=${Number(p.failureThreshold ?? 0)}`;
  if (p.exec) return `exec [${(Array.isArray(rec(p.exec).command) ? (rec(p.exec).command as unknown[]) : []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const h = rec(p.httpGet);
    const scheme = str(h.scheme ?? '').toLowerCase();
    const host = str(h.host);
    const port = str(h.port);
    return `http-get ${scheme ? `${scheme}:` : ''}//${port ? `${host}:${port}` : host}${str(h.path)} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${str(rec(p.tcpSocket).host)}:${str(rec(p.tcpSocket).port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${str(rec(p.grpc).port)} ${str(rec(p.grpc).service)} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(w: PrefixWriter, name: string, state: R): void {
  if (state.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(rec(state.running).startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (rec(state.waiting).reason) w.write(3, `Reason:\t${str(rec(state.waiting).reason)}\n`);
  } else if (state.terminated) {
    const t = rec(state.terminated);
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${str(t.reason)}\n`);
    if (t.message) w.write(3, `Message:\t${str(t.message)}\n`);
    w.write(3, `Exit Code:\t${Number(t.exitCode ?? 0)}\n`);
    if (Number(t.signal ?? 0) > 0) w.write(3, `Signal:\t${str(t.signal)}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${name}:\tWaiting\n`);
}

function describeResources(w: PrefixWriter, resources: R, level: number): void {
  for (const [title, list] of [['Limits', rec(resources.limits)], ['Requests', rec(resources.requests)]] as const) {
    const names = Object.keys(list).sort();
    if (names.length) w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${str(list[n])}\n`);
  }
}

/**
 * describe.go EnvValueRetriever: a fieldRef's value as ExtractFieldPathAsString finds it in the pod
 * (the metadata only); status.podIP, spec.nodeName and the like print empty.
 */
const fieldValue = (pod: KubeObject, path: string): string => extractFieldPathAsString(pod.metadata, path) ?? '';

/** describeContainers: one block per container; statuses only for a pod (not a template). */
export function describeContainers(w: PrefixWriter, label: string, containers: R[], statuses: R[] | undefined, space: string, pod?: KubeObject): void {
  w.write(0, `${space}${label}:${containers.length ? '' : ' <none>'}\n`);
  for (const c of containers) {
    const st = statuses?.find((s) => s.name === c.name);
    w.write(1, `${space ? ' ' : ''}${str(c.name)}:\n`);
    if (st) w.write(2, `Container ID:\t${str(st.containerID)}\n`);
    w.write(2, `Image:\t${str(c.image)}\n`);
    if (st) w.write(2, `Image ID:\t${str(st.imageID)}\n`);
    const ps = arr(c.ports);
    const p = ports(ps, false);
    w.write(2, p.includes(',') ? `Ports:\t${p}\n` : `Port:\t${p || '<none>'}\n`);
    const hp = ports(ps, true);
    w.write(2, hp.includes(',') ? `Host Ports:\t${hp}\n` : `Host Port:\t${hp || '<none>'}\n`);
    for (const [title, list] of [['Command', c.command], ['Args', c.args]] as const)
      if (Array.isArray(list) && list.length) {
        w.write(2, `${title}:\n`);
        for (const a of list) for (const s of str(a).split('\n')) w.write(3, `${s}\n`);
      }
    if (st) {
      describeState(w, 'State', rec(st.state));
      if (rec(st.lastState).terminated) describeState(w, 'Last State', rec(st.lastState));
      w.write(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${Number(st.restartCount ?? 0)}\n`);
    }
    describeResources(w, rec(c.resources), 2);
    if (c.livenessProbe) w.write(2, `Liveness:\t${probe(rec(c.livenessProbe))}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${probe(rec(c.readinessProbe))}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${probe(rec(c.startupProbe))}\n`);
    const envFrom = arr(c.envFrom);
    if (envFrom.length) {
      w.write(2, 'Environment Variables from:\n');
      for (const e of envFrom) {
        const ref = e.configMapRef ? rec(e.configMapRef) : rec(e.secretRef);
        const from = e.configMapRef ? 'ConfigMap' : 'Secret';
        w.write(3, `${str(ref.name)}\t${from}${e.prefix ? ` with prefix '${str(e.prefix)}'` : ''}\tOptional: ${ref.optional === true}\n`);
      }
    }
    const env = arr(c.env);
    w.write(2, `Environment:${env.length ? '' : '\t<none>'}\n`);
    for (const e of env) {
      if (!e.valueFrom) {
        str(e.value)
          .split('\n')
          .forEach((s, i) => w.write(3, i === 0 ? `${str(e.name)}:\t${s}\n` : `\t${s}\n`));
        continue;
      }
      const vf = rec(e.valueFrom);
      if (vf.fieldRef) {
        const ref = rec(vf.fieldRef);
        w.write(3, `${str(e.name)}:\t${pod ? fieldValue(pod, str(ref.fieldPath)) : ''} (${str(ref.apiVersion)}:${str(ref.fieldPath)})\n`);
      } else if (vf.resourceFieldRef) {
        const resource = str(rec(vf.resourceFieldRef).resource);
        let value = containerResourceValue(rec(vf.resourceFieldRef), c);
        if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
        w.write(3, `${str(e.name)}:\t${value} (${resource})\n`);
      }
      else if (vf.secretKeyRef) w.write(3, `${str(e.name)}:\t<set to the key '${str(rec(vf.secretKeyRef).key)}' in secret '${str(rec(vf.secretKeyRef).name)}'>\tOptional: ${rec(vf.secretKeyRef).optional === true}\n`);
      else if (vf.configMapKeyRef)
        w.write(3, `${str(e.name)}:\t<set to the key '${str(rec(vf.configMapKeyRef).key)}' of config map '${str(rec(vf.configMapKeyRef).name)}'>\tOptional: ${rec(vf.configMapKeyRef).optional === true}\n`);
    }
    const mounts = [...arr(c.volumeMounts)].sort((a, b) => (str(a.mountPath) < str(b.mountPath) ? -1 : 1));
    w.write(2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`);
    for (const m of mounts) w.write(3, `${str(m.mountPath)} from ${str(m.name)} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${str(m.subPath)}"`] : [])].join(',')})\n`);
  }
}

/** describeVolumes for the kinds the sandbox's pods use. */
export function describeVolumes(w: PrefixWriter, volumes: R[], space: string): void {
  if (volumes.length === 0) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${str(v.name)}:\n`);
    if (v.emptyDir) {
      const e = rec(v.emptyDir);
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(e.medium)}\n    SizeLimit:\t${e.sizeLimit ? str(e.sizeLimit) : '<unset>'}\n`);
    } else if (v.secret) w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(rec(v.secret).secretName)}\n    Optional:\t${rec(v.secret).optional === true}\n`);
    else if (v.configMap) w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(rec(v.configMap).name)}\n    Optional:\t${rec(v.configMap).optional === true}\n`);
    else if (v.downwardAPI) {
      w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const item of arr(rec(v.downwardAPI).items)) {
        if (item.fieldRef) w.write(3, `${str(rec(item.fieldRef).fieldPath)} -> ${str(item.path)}\n`);
        if (item.resourceFieldRef) w.write(3, `${str(rec(item.resourceFieldRef).resource)} -> ${str(item.path)}\n`);
      }
    }
    else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of arr(rec(v.projected).sources)) {
        if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${str(rec(s.serviceAccountToken).expirationSeconds)}\n`);
        else if (s.configMap) w.write(2, `ConfigMapName:\t${str(rec(s.configMap).name)}\n    Optional:\t${rec(s.configMap).optional === true}\n`);
        else if (s.secret) w.write(2, `SecretName:\t${str(rec(s.secret).name)}\n    Optional:\t${rec(s.secret).optional === true}\n`);
        else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
      }
    } else w.write(1, '<unknown>\n');
  }
}

/** qos.GetPodQOS when the status does not say. */
function qosClass(pod: KubeObject): string {
  const st = rec(pod.status);
  if (st.qosClass) return str(st.qosClass);
  const cs = [...arr(rec(pod.spec).containers), ...arr(rec(pod.spec).initContainers)];
  const res = cs.map((c) => rec(c.resources));
  if (res.every((r) => Object.keys(rec(r.requests)).length === 0 && Object.keys(rec(r.limits)).length === 0)) return 'BestEffort';
  const guaranteed = res.every((r) => ['cpu', 'memory'].every((k) => rec(r.limits)[k] !== undefined && (rec(r.requests)[k] === undefined || rec(r.requests)[k] === rec(r.limits)[k])));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function describePod(pod: KubeObject, events: KubeObject[], now: number): string {
  const w = new PrefixWriter();
  const spec = rec(pod.spec);
  const st = rec(pod.status);
  w.write(0, `Name:\t${str(pod.metadata.name)}\n`);
  w.write(0, `Namespace:\t${str(pod.metadata.namespace)}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${str(spec.priority)}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${str(spec.runtimeClassName)}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  w.write(0, spec.nodeName ? `Node:\t${str(spec.nodeName)}/${str(st.hostIP)}\n` : 'Node:\t<none>\n');
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  printLabels(w, 'Labels', pod.metadata.labels);
  printAnnotations(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && st.phase !== 'Failed' && st.phase !== 'Succeeded') {
    const t = Date.parse(str(pod.metadata.deletionTimestamp));
    w.write(0, `Status:\tTerminating (lasts ${Number.isNaN(t) ? '<unknown>' : humanDuration(now - t)})\n`);
    w.write(0, `Termination Grace Period:\t${str(pod.metadata.deletionGracePeriodSeconds ?? 30)}s\n`);
  } else w.write(0, `Status:\t${str(st.phase)}\n`);
  if (st.reason) w.write(0, `Reason:\t${str(st.reason)}\n`);
  if (st.message) w.write(0, `Message:\t${str(st.message)}\n`);
  w.write(0, `IP:\t${str(st.podIP)}\n`);
  const ips = arr(st.podIPs);
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${str(ip.ip)}\n`);
  }
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner) w.write(0, `Controlled By:\t${str(owner.kind)}/${str(owner.name)}\n`);
  if (st.nominatedNodeName) w.write(0, `NominatedNodeName:\t${str(st.nominatedNodeName)}\n`);
  const inits = arr(spec.initContainers);
  if (inits.length) describeContainers(w, 'Init Containers', inits, arr(st.initContainerStatuses), '', pod);
  describeContainers(w, 'Containers', arr(spec.containers), arr(st.containerStatuses), '', pod);
  const conds = arr(st.conditions);
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conds) w.write(1, `${str(c.type)} \t${str(c.status)} \n`);
  }
  describeVolumes(w, arr(spec.volumes), '');
  w.write(0, `QoS Class:\t${qosClass(pod)}\n`);
  printLabels(w, 'Node-Selectors', spec.nodeSelector);
  printTolerations(w, 'Tolerations', spec.tolerations);
  describeEvents(w, events, now);
  return w.toString();
}

/** DescribePodTemplate (Deployments and ReplicaSets). */
export function describePodTemplate(w: PrefixWriter, template: R): void {
  w.write(0, 'Pod Template:\n');
  const meta = rec(template.metadata);
  const spec = rec(template.spec);
  printLabels(w, '  Labels', meta.labels);
  if (Object.keys(rec(meta.annotations)).length) printAnnotations(w, '  Annotations', meta.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  const inits = arr(spec.initContainers);
  if (inits.length) describeContainers(w, 'Init Containers', inits, undefined, '  ');
  describeContainers(w, 'Containers', arr(spec.containers), undefined, '  ');
  describeVolumes(w, arr(spec.volumes), '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  printLabels(w, '  Node-Selectors', spec.nodeSelector);
  printTolerations(w, 'Tolerations', spec.tolerations, '  ');
}
