/**
 * Watch over HTTP (k8s.io/apiserver/pkg/endpoints/handlers/watch.go): a chunked stream of
 * `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{…}}` lines.
 *
 *  - no resourceVersion, or "0": ADDED for every current object first, then changes;
 *  - resourceVersion N: the changes after N from the watch cache, or an ERROR event with a
 *    410 Expired Status ("too old resource version") when N has left the cache;
 *  - sendInitialEvents=true (WatchList, KEP-3157): the current objects as ADDED, then a
 *    BOOKMARK annotated `k8s.io/initial-events-end: "true"`;
 *  - allowWatchBookmarks=true: periodic BOOKMARKs carrying the latest resourceVersion;
 *  - timeoutSeconds ends the stream; a Table Accept turns each object into a one-row Table.
 */
import { FieldSelectorError, matchesFields, parseFieldSelector } from '../api/fieldSelector';
import { matches, parseSelector, SelectorParseError } from '../api/labels';
import type { KubeList } from '../api/server';
import type { parsePath } from '../api/server';
import type { Status } from '../api/status';
import type { KubeObject } from '../api/types';
import type { CachedEvent } from '../api/watchCache';
import { jsonResponse, statusOf, type KubeHttpApi } from './handler';
import { TABLE_ACCEPT, toTable } from './table';
import type { HttpResponse, HttpStream } from './types';

type Parsed = Exclude<ReturnType<typeof parsePath>, { error: string }>;

export function watchStream(api: KubeHttpApi, p: Parsed, q: Record<string, string>, accept: string): HttpResponse | HttpStream {
  let labels;
  let fields;
  try {
    labels = parseSelector(q.labelSelector ?? '');
    fields = parseFieldSelector(q.fieldSelector ?? '', p.resource);
  } catch (e) {
    if (e instanceof SelectorParseError || e instanceof FieldSelectorError) return jsonResponse(400, statusOf(400, 'BadRequest', e.message));
    throw e;
  }
  const sendInitial = q.sendInitialEvents === 'true';
  const bookmarks = q.allowWatchBookmarks === 'true';
  // k8s.io/apimachinery/pkg/apis/meta/internalversion/validation: WatchList needs bookmarks and NotOlderThan
  if (sendInitial && !bookmarks)
    return jsonResponse(422, statusOf(422, 'Invalid', 'ListOptions.meta.k8s.io "" is invalid: allowWatchBookmarks: Required value: allowWatchBookmarks must be set to true when sendInitialEvents is set'));
  if (sendInitial && q.resourceVersionMatch !== 'NotOlderThan')
    return jsonResponse(422, statusOf(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan`));
  const rv = q.resourceVersion;
  if (rv !== undefined && rv !== '' && !/^\d+$/.test(rv)) return jsonResponse(400, statusOf(400, 'BadRequest', `invalid resource version: ${rv}`));
  const table = TABLE_ACCEPT.test(accept);
  const gv = p.resource.group ? `${p.resource.group}/${p.version}` : p.version;
  const cluster = api.sandbox.cluster;
  const inScope = (o: KubeObject): boolean =>
    (p.name === undefined || o.metadata.name === p.name) &&
    (!p.resource.namespaced || p.namespace === undefined || o.metadata.namespace === p.namespace) && matches(o.metadata.labels, labels) && (fields.length === 0 || matchesFields(o, fields));
  const present = (type: string, o: KubeObject): string => {
    const obj = { ...o, apiVersion: gv };
    const object = table && type !== 'BOOKMARK' ? toTable(p.resource, p.version, [obj], cluster.clock.now(), q.includeObject ?? 'Metadata', { resourceVersion: o.metadata.resourceVersion }) : obj;
    return `${JSON.stringify({ type, object })}\n`;
  };
  const bookmark = (rv: number, initialEnd = false): string =>
    `${JSON.stringify({ type: 'BOOKMARK', object: { kind: p.resource.kind, apiVersion: gv, metadata: { resourceVersion: String(rv), ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) } } })}\n`;
  return {
    status: 200,
    headers: { 'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json', 'Transfer-Encoding': 'chunked' },
    start(sink) {
      const stops: (() => void)[] = [];
      let ended = false;
      const stop = (): void => {
        if (ended) return;
        ended = true;
        for (const s of stops) s();
      };
      const end = (): void => {
        stop();
        sink.end();
      };
      const from = rv === undefined || rv === '' || rv === '0' || sendInitial ? undefined : Number(rv);
      const initial = from === undefined;
      let start = api.watchCache.revision;
      if (initial) {
        const list = cluster.server.handle({ method: 'GET', path: pathOf(p), query: { labelSelector: q.labelSelector ?? '', fieldSelector: p.name ? `metadata.name=${p.name}` : q.fieldSelector ?? '' } });
        const items = (list.body as KubeList).items ?? [];
        start = Number((list.body as KubeList).metadata?.resourceVersion ?? start);
        for (const o of items) sink.write(present('ADDED', o));
        if (sendInitial) sink.write(bookmark(start, true));
      }
      const sub = api.watchCache.subscribe(p.resource, initial ? start : from, inScope, (e: CachedEvent) => {
        if (!ended) sink.write(present(e.type, e.object));
      });
      if (typeof sub !== 'function') {
        const gone: Status = statusOf(410, 'Expired', `too old resource version: ${from} (${sub.gone})`);
        sink.write(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
        end();
        return stop;
      }
      stops.push(sub);
      if (bookmarks) {
        const t = setInterval(() => sink.write(bookmark(api.watchCache.revision)), api.opts.bookmarkIntervalMs ?? 10_000);
        stops.push(() => clearInterval(t));
      }
      const timeout = Number(q.timeoutSeconds ?? '1800');
      if (timeout > 0) {
        const t = setTimeout(end, timeout * 1000);
        stops.push(() => clearTimeout(t));
      }
      return stop;
    },
  };
}

function pathOf(p: Parsed): string {
  const r = p.resource;
  const base = r.group ? `/apis/${r.group}/${p.version}` : `/api/${p.version}`;
  return `${base}${r.namespaced && p.namespace !== undefined ? `/namespaces/${p.namespace}` : ''}/${r.plural}`;
}
