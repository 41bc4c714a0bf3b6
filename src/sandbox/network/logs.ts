/** Container logs kept by the kubelet: what `kubectl logs` reads. Bounded per container. */
export interface LogLine {
  at: number;
  text: string;
}

const MAX_LINES = 5000;

export class LogStore {
  private logs = new Map<string, LogLine[]>();

  append(podUid: string, container: string, text: string, at: number): void {
    const k = `${podUid}/${container}`;
    let l = this.logs.get(k);
    if (!l) {
      l = [];
      this.logs.set(k, l);
    }
    for (const line of text.split('\n')) l.push({ at, text: line });
    if (l.length > MAX_LINES) l.splice(0, l.length - MAX_LINES);
  }

  read(podUid: string, container: string): LogLine[] {
    return this.logs.get(`${podUid}/${container}`) ?? [];
  }

  drop(podUid: string): void {
    for (const k of [...this.logs.keys()]) if (k.startsWith(`${podUid}/`)) this.logs.delete(k);
  }
}
