/** Container logs kept by the kubelet: what `kubectl logs` reads. Bounded per container. */
export interface LogLine {
  at: number;
  text: string;
}

const MAX_LINES = 5000;

/** Logs in a snapshot: "podUid/container" → lines as [at, text]. */
export type LogStoreSnapshot = Record<string, [number, string][]>;

export class LogStore {
  private logs = new Map<string, LogLine[]>();

  append(podUid: string, container: string, text: string, at: number): void {
    const k = `${podUid}/${container}`;
    let l = this.logs.get(k);
    if (!l) {
      l = [];
      this.logs.set(k, l);
    }
    if (text.includes('\n')) for (const line of text.split('\n')) l.push({ at, text: line });
    else l.push({ at, text });
    // trim in batches: amortized O(1) per line
    if (l.length > MAX_LINES * 1.25) l.splice(0, l.length - MAX_LINES);
  }

  read(podUid: string, container: string): LogLine[] {
    const l = this.logs.get(`${podUid}/${container}`) ?? [];
    return l.length > MAX_LINES ? l.slice(l.length - MAX_LINES) : l;
  }

  /** The last `maxLines` lines of every container (all the store keeps when Infinity). */
  snapshot(maxLines: number): LogStoreSnapshot {
    const out: LogStoreSnapshot = {};
    for (const [k, l] of this.logs) out[k] = l.slice(Math.max(0, l.length - Math.min(maxLines, MAX_LINES))).map((x) => [x.at, x.text]);
    return out;
  }

  restore(s: LogStoreSnapshot): void {
    this.logs = new Map(Object.entries(s).map(([k, l]) => [k, l.map(([at, text]) => ({ at, text }))]));
  }

  drop(podUid: string): void {
    for (const k of [...this.logs.keys()]) if (k.startsWith(`${podUid}/`)) this.logs.delete(k);
  }
}
