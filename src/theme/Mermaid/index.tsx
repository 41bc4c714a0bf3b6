/**
 * Mermaid diagrams, rendered one at a time.
 *
 * Mermaid is a mutable singleton: `initialize(config)` followed by `render()`. The stock theme component starts a
 * render for every diagram at once and again when the color mode switches from the server-rendered light theme to
 * a stored dark preference; overlapping renders then leave some diagrams empty. Here every render waits for the
 * previous one, uses a fresh element id, and a result that arrives after its diagram's config changed is dropped.
 */
import React, {useEffect, useRef, useState} from 'react';
import ErrorBoundary from '@docusaurus/ErrorBoundary';
import {ErrorBoundaryErrorMessageFallback} from '@docusaurus/theme-common';
import {MermaidContainerClassName, useMermaidConfig} from '@docusaurus/theme-mermaid/client';
import {loadMermaid} from '@docusaurus/theme-mermaid/lib/client/loadMermaid.js';

interface RenderResult {
  svg: string;
  bindFunctions?: (element: Element) => void;
}

let queue: Promise<unknown> = Promise.resolve();
let renderCount = 0;

function renderInTurn(text: string, config: ReturnType<typeof useMermaidConfig>): Promise<RenderResult> {
  const render = async (): Promise<RenderResult> => {
    const mermaid = await loadMermaid();
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

function MermaidDiagram({value}: {value: string}): React.JSX.Element | null {
  const config = useMermaidConfig();
  const [result, setResult] = useState<RenderResult | null>(null);
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
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
  }, [value, config]);

  useEffect(() => {
    if (result && container.current) result.bindFunctions?.(container.current);
  }, [result]);

  if (!result) return null;
  return (
    <div
      ref={container}
      className={MermaidContainerClassName}
      // The SVG comes from Mermaid rendering the lesson's own diagram source.
      dangerouslySetInnerHTML={{__html: result.svg}}
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
