/**
 * The marker after a command's output that opens the «Трафик» view on the path of the requests
 * the command sent. It is terminal UI, not output: a blank line is written (what a copy of the
 * screen gets) and an xterm.js decoration, a DOM button over that line, carries the marker.
 * Nothing of it reaches the command's pipes: the sandbox ran the line before the marker exists.
 */
import type { IDecoration, IDisposable, IMarker, Terminal } from '@xterm/xterm';
import type { TraceRange } from '@site/src/terminal/protocol';
import styles from './styles.module.css';

export function requestMarkerLabel(r: TraceRange): string {
  const n = r.last - r.first + 1;
  return n === 1 ? '→ путь запроса' : `→ пути запросов (${n})`;
}

export function requestMarkerTitle(r: TraceRange): string {
  const n = r.last - r.first + 1;
  return n === 1 ? 'Открыть «Трафик»: путь этого запроса по mesh' : `Открыть «Трафик»: путь последнего из ${n} запросов, остальные — в списке рядом`;
}

/**
 * Writes the marker's line after what the terminal has so far; `activate` gets the trace id of
 * the request to show (the last one the command sent).
 */
export function markRequests(term: Terminal, requests: TraceRange, activate: (traceId: number) => void): IDisposable {
  let gone = false;
  let marker: IMarker | undefined;
  const label = requestMarkerLabel(requests);
  // the callback runs once the line break is parsed, before anything written after it
  term.write('\r\n', () => {
    if (gone) return;
    let decoration: IDecoration | undefined;
    // a marker that cannot be placed is left out: this runs inside xterm's write loop, which must go on
    try {
      marker = term.registerMarker(-1);
      decoration = marker && term.registerDecoration({ marker, x: 0, width: label.length + 1 });
    } catch {
      return;
    }
    decoration?.onRender((el) => {
      if (el.firstChild) return;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = styles.requestMarker;
      button.textContent = label;
      button.style.fontSize = `${term.options.fontSize ?? 14}px`;
      button.style.lineHeight = el.style.height;
      button.title = requestMarkerTitle(requests);
      button.dataset.testid = 'request-marker';
      button.dataset.trace = String(requests.last);
      // a press on the marker is not the start of a text selection in the terminal
      button.addEventListener('mousedown', (e) => e.stopPropagation());
      button.addEventListener('click', () => activate(requests.last));
      el.appendChild(button);
    });
  });
  // disposing the marker removes its decoration; the blank line stays
  return {
    dispose: () => {
      gone = true;
      marker?.dispose();
    },
  };
}
