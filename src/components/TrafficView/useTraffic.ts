/**
 * The traffic the lesson's sandbox recorded, kept up to date while the view is open: polls the
 * worker for the traces newer than the last one seen (a few hundred bytes when nothing happened).
 */
import { useEffect, useState } from 'react';
import type { Party, RequestTrace } from '@site/src/sandbox/network/traffic';
import { terminalStore } from '@site/src/terminal/store';
import { mergeTraces } from '@site/src/traffic/graph';

export const POLL_MS = 1000;

export interface TrafficState {
  traces: RequestTrace[];
  workloads: Party[];
  /** The first answer has come. */
  loaded: boolean;
}

export function useTraffic(): TrafficState {
  const [state, setState] = useState<TrafficState>({ traces: [], workloads: [], loaded: false });
  useEffect(() => {
    let live = true;
    let since = 0;
    let kept: RequestTrace[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const c = await terminalStore.ready();
        if (!live) return;
        let r = await c.traffic(since);
        // a reset or a new start: the sandbox's trace ids begin again
        if (r.latest < since) {
          kept = [];
          r = await c.traffic(0);
        }
        if (!live) return;
        kept = mergeTraces(kept, r.traces);
        since = r.latest;
        setState({ traces: kept, workloads: r.workloads, loaded: true });
      } catch {
        // the worker is being replaced (reset, reload of the sandbox): try again at the next tick
      }
      if (live) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, []);
  return state;
}
