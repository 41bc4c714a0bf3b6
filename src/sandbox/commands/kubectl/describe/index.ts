/**
 * kubectl describe (kubectl/pkg/cmd/describe, kubectl/pkg/describe): TYPE [NAME_PREFIX | -l]
 * or TYPE/NAME; Pods, Deployments, ReplicaSets, Services, Endpoints and EndpointSlices through their describers, other
 * kinds through the generic one.
 */
import { fromLabelSelector, matches } from '../../../api/labels';
import { resolveResource, type ResourceKind } from '../../../api/kinds';
import type { KubeObject } from '../../../api/types';
import { flagSet } from '../../args';
import { client, err, printWarnings, selector, type Kctx, type KubectlCommand } from '../common';
import { describeEndpoints, describeEndpointSlice } from './endpoints';
import { describeGeneric } from './generic';
import { eventsFor, rec } from './helpers';
import { describePod } from './pod';
import { describeDeployment, describeReplicaSet, describeService } from './workloads';

function describeOne(k: Kctx, r: ResourceKind, o: KubeObject): string {
  const c = client(k);
  const now = k.ctx.cluster.clock.now();
  const evList = k.flags.bool('show-events') ? c.list(c.kind('Event'), o.metadata.namespace) : undefined;
  const events = evList?.ok ? eventsFor(evList.value, o, r.kind !== 'Pod') : [];
  const listIn = (kind: string): KubeObject[] => {
    const l = c.list(c.kind(kind), o.metadata.namespace);
    return l.ok ? l.value : [];
  };
  switch (r.kind) {
    case 'Pod':
      return describePod(o, events, now);
    case 'Deployment':
      return describeDeployment(o, listIn('ReplicaSet'), events, now);
    case 'ReplicaSet': {
      const sel = fromLabelSelector(rec(o.spec).selector);
      return describeReplicaSet(o, listIn('Pod').filter((p) => matches(p.metadata.labels, sel)), events, now);
    }
    case 'Service': {
      // describe.go describeService lists the service's EndpointSlices by their service-name label
      const slices = c.list(c.kind('EndpointSlice'), o.metadata.namespace, `kubernetes.io/service-name=${o.metadata.name}`);
      return describeService(o, slices.ok ? slices.value : [], events, now);
    }
    case 'Endpoints':
      return describeEndpoints(o, events, now);
    case 'EndpointSlice':
      return describeEndpointSlice(o, events, now);
    default:
      return describeGeneric(o);
  }
}

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx } = k;
  const c = client(k);
  if (args.length === 0) return err(ctx, 'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
  let r: ResourceKind | undefined;
  let names: string[];
  if (args[0].includes('/')) {
    r = resolveResource(args[0].split('/')[0]);
    names = args.map((a) => a.split('/')[1] ?? '');
  } else {
    r = resolveResource(args[0]);
    names = args.slice(1);
  }
  if (!r) return err(ctx, `error: the server doesn't have a resource type "${args[0].split('/')[0]}"`);
  const namespace = r.namespaced ? k.ns : undefined;
  let objs: KubeObject[] = [];
  if (names.length === 0) {
    const l = c.list(r, k.allNs ? undefined : namespace, selector(k));
    printWarnings(k, l.warnings);
    objs = l.ok ? l.value : [];
    if (objs.length === 0) {
      ctx.err(k.allNs || !r.namespaced ? 'No resources found\n' : `No resources found in ${k.ns} namespace.\n`);
      return 0;
    }
  } else
    for (const n of names) {
      // describe.go: a name is also a prefix ("describe pod web" finds web-5db7…)
      const g = c.get(r, namespace, n);
      printWarnings(k, g.warnings);
      if (g.ok) objs.push(g.value);
      else {
        const l = c.list(r, namespace);
        const pref = l.ok ? l.value.filter((o) => (o.metadata.name ?? '').startsWith(n)) : [];
        if (pref.length) objs.push(...pref);
        else return err(ctx, `Error from server (NotFound): ${g.status.message}`);
      }
    }
  // describe.go joins the objects with a blank line
  ctx.out(objs.map((o) => describeOne(k, r!, o)).join('\n\n'));
  return 0;
}

export const describeCommand: KubectlCommand = {
  name: 'describe',
  short: 'Show details of a specific resource or group of resources.',
  usage: 'kubectl describe [(-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)] [options]',
  flags: flagSet(['-A, --all-namespaces=false', '--chunk-size=500', '-f, --filename=[]', "-k, --kustomize=''", '-R, --recursive=false', "-l, --selector=''", '--show-events=true']),
  run,
};
