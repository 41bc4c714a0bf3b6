/**
 * Mermaid diagrams, rendered one at a time.
 *
 * Mermaid is a mutable singleton: `initialize(config)` followed by `render()`. The stock theme component starts a
 * render for every diagram at once and again when the color mode switches from the server-rendered light theme to
 * a stored dark preference; overlapping renders then leave some diagrams empty. Here every render waits for the
 * previous one, uses a fresh element id, and a result that arrives after its diagram's config changed is dropped.
 *
 * Mermaid and its diagram parsers are large (~2 MB of JavaScript): a diagram starts loading them only when it comes
 * near the viewport, so a lesson opens (and its terminal starts) without waiting for diagrams further down. Each
 * render also waits for an idle moment of the page and gives way to a terminal that is starting: the learner asked
 * for the terminal, a diagram can appear a moment later.
 */
import React, {useEffect, useRef, useState} from 'react';
import ErrorBoundary from '@docusaurus/ErrorBoundary';
import {ErrorBoundaryErrorMessageFallback} from '@docusaurus/theme-common';
import {MermaidContainerClassName, useMermaidConfig} from '@docusaurus/theme-mermaid/client';
import {loadMermaid} from '@docusaurus/theme-mermaid/lib/client/loadMermaid.js';
import {terminalStore} from '@site/src/terminal/store';

interface RenderResult {
  svg: string;
  bindFunctions?: (element: Element) => void;
}

let queue: Promise<unknown> = Promise.resolve();
let renderCount = 0;

/** The page's next idle moment (at most a second away). */
function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), {timeout: 1000});
    else setTimeout(resolve, 50);
  });
}

function renderInTurn(text: string, config: ReturnType<typeof useMermaidConfig>): Promise<RenderResult> {
  const render = async (): Promise<RenderResult> => {
    await idle();
    await terminalStore.quiet();
    const mermaid = await loadMermaid();
    await terminalStore.quiet();
    renderCount += 1;
    const id = `mermaid-svg-${renderCount}`;
    mermaid.initialize(config);
    try {
      return await mermaid.render(id, text);
    } catch (error) {
      // On a syntax error Mermaid leaves its error graphic in the document body.
      document.querySelector(`#d${id}`)?.remove();
      throw error;
    }
  };
  const result = queue.then(render, render);
  queue = result.catch(() => undefined);
  return result;
}

/** How far below (or above) the viewport a diagram starts rendering. */
const NEAR_VIEWPORT = '800px 0px';

/** True once the element has come within NEAR_VIEWPORT of the viewport (and stays true). */
function useNearViewport(ref: React.RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return undefined;
    if (typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return undefined;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setNear(true);
        observer.disconnect();
      }
    }, {rootMargin: NEAR_VIEWPORT});
    observer.observe(element);
    return () => observer.disconnect();
  }, [near, ref]);
  return near;
}

function MermaidDiagram({value}: {value: string}): React.JSX.Element | null {
  const config = useMermaidConfig();
  const [result, setResult] = useState<RenderResult | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const near = useNearViewport(container);

  useEffect(() => {
    if (!near) return undefined;
    let current = true;
    renderInTurn(value, config).then(
      (rendered) => current && setResult(rendered),
      (error: unknown) =>
        current &&
        setResult(() => {
          throw error;
        }),
    );
    return () => {
      current = false;
    };
  }, [value, config, near]);

  useEffect(() => {
    if (result && container.current) result.bindFunctions?.(container.current);
  }, [result]);

  // Until it is drawn, an empty container marks the diagram's place (and is what the observer watches).
  return (
    <div
      ref={container}
      className={MermaidContainerClassName}
      data-mermaid={result ? 'rendered' : 'pending'}
      // The SVG comes from Mermaid rendering the lesson's own diagram source.
      dangerouslySetInnerHTML={{__html: result?.svg ?? ''}}
    />
  );
}

export default function Mermaid(props: {value: string}): React.JSX.Element {
  return (
    <ErrorBoundary fallback={(params) => <ErrorBoundaryErrorMessageFallback {...params} />}>
      <MermaidDiagram {...props} />
    </ErrorBoundary>
  );
}
