/** kubectl describe endpoints / endpointslices (kubectl pkg/describe/describe.go describeEndpoints, describeEndpointSliceV1). */
import type { KubeObject } from '../../../api/types';
import { arr, describeEvents, printAnnotations, printLabels, rec, str } from './helpers';
import { PrefixWriter } from './tabwriter';

function header(w: PrefixWriter, o: KubeObject): void {
  w.write(0, `Name:\t${str(o.metadata.name)}\n`);
  w.write(0, `Namespace:\t${str(o.metadata.namespace)}\n`);
  printLabels(w, 'Labels', o.metadata.labels);
  printAnnotations(w, 'Annotations', o.metadata.annotations);
}

/** Each subset: its ready and not-ready addresses, its ports, then a blank line. */
export function describeEndpoints(ep: KubeObject, events: KubeObject[], now: number): string {
  const w = new PrefixWriter();
  header(w, ep);
  w.write(0, 'Subsets:\n');
  const ips = (v: unknown): string => arr(v).map((a) => str(a.ip)).join(',') || '<none>';
  for (const s of arr(ep.subsets)) {
    w.write(1, `Addresses:\t${ips(s.addresses)}\n`);
    w.write(1, `NotReadyAddresses:\t${ips(s.notReadyAddresses)}\n`);
    const ports = arr(s.ports);
    if (ports.length) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of ports) w.write(2, `${str(p.name) || '<unset>'}\t${str(p.port)}\t${str(p.protocol)}\n`);
    }
    w.write(0, '\n');
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** The address type, the ports, and each endpoint with its conditions and where it runs. */
export function describeEndpointSlice(eps: KubeObject, events: KubeObject[], now: number): string {
  const w = new PrefixWriter();
  header(w, eps);
  w.write(0, `AddressType:\t${str(eps.addressType)}\n`);
  const ports = arr(eps.ports);
  if (ports.length === 0) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of ports) w.write(1, `${str(p.name) || '<unset>'}\t${p.port === undefined ? '<unset>' : str(p.port)}\t${str(p.protocol)}\n`);
  }
  const endpoints = arr(eps.endpoints);
  if (endpoints.length === 0) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    const unset = (v: unknown): string => (v === undefined || v === null ? '<unset>' : String(v));
    for (const e of endpoints) {
      w.write(1, `- Addresses:\t${(Array.isArray(e.addresses) ? e.addresses.map(String) : []).join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      w.write(3, `Ready:\t${unset(rec(e.conditions).ready)}\n`);
      w.write(2, `Hostname:\t${unset(e.hostname)}\n`);
      if (e.targetRef !== undefined) w.write(2, `TargetRef:\t${str(rec(e.targetRef).kind)}/${str(rec(e.targetRef).name)}\n`);
      w.write(2, `NodeName:\t${unset(e.nodeName)}\n`);
      w.write(2, `Zone:\t${unset(e.zone)}\n`);
    }
  }
  describeEvents(w, events, now);
  return w.toString();
}
