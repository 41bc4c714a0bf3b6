/** Container logs kept by the kubelet: what `kubectl logs` reads. Bounded per container. */
export interface LogLine {
  at: number;
  text: string;
}

const MAX_LINES = 5000;

/** Logs in a snapshot: "podUid/container" → lines as [at, text]. */
export type LogStoreSnapshot = Record<string, [number, string][]>;

/** Someone following a container's log (`kubectl logs -f`): each new line, then the end when the pod goes. */
export interface LogFollower {
  line(l: LogLine): void;
  end(): void;
}

export class LogStore {
  private logs = new Map<string, LogLine[]>();
  private followers = new Map<string, Set<LogFollower>>();

  append(podUid: string, container: string, text: string, at: number): void {
    const k = `${podUid}/${container}`;
    let l = this.logs.get(k);
    if (!l) {
      l = [];
      this.logs.set(k, l);
    }
    const added = text.includes('\n') ? text.split('\n').map((line) => ({ at, text: line })) : [{ at, text }];
    for (const x of added) l.push(x);
    const fs = this.followers.get(k);
    if (fs) for (const f of [...fs]) for (const x of added) f.line(x);
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

  /** Calls the follower for every line the container writes from now on; returns the function that stops it. */
  follow(podUid: string, container: string, f: LogFollower): () => void {
    const k = `${podUid}/${container}`;
    let fs = this.followers.get(k);
    if (!fs) {
      fs = new Set();
      this.followers.set(k, fs);
    }
    fs.add(f);
    return () => {
      fs.delete(f);
      if (fs.size === 0 && this.followers.get(k) === fs) this.followers.delete(k);
    };
  }

  /** The pod is gone: its logs go, and whoever follows them sees the stream end. */
  drop(podUid: string): void {
    for (const k of [...this.logs.keys()]) if (k.startsWith(`${podUid}/`)) this.logs.delete(k);
    for (const [k, fs] of [...this.followers]) {
      if (!k.startsWith(`${podUid}/`)) continue;
      this.followers.delete(k);
      for (const f of fs) f.end();
    }
  }
}
