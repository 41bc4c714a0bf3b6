/** Where in a static (Prism-highlighted) code block a click landed, as 1-based line and column. */

interface CaretPoint {
  node: Node;
  offset: number;
}

function caretAt(x: number, y: number): CaretPoint | null {
  const doc = document as Document & {
    caretPositionFromPoint?: (x: number, y: number) => {offsetNode: Node; offset: number} | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  if (doc.caretPositionFromPoint) {
    const position = doc.caretPositionFromPoint(x, y);
    return position ? {node: position.offsetNode, offset: position.offset} : null;
  }
  if (doc.caretRangeFromPoint) {
    const range = doc.caretRangeFromPoint(x, y);
    return range ? {node: range.startContainer, offset: range.startOffset} : null;
  }
  return null;
}

/** Line and column of a click inside `root` (a Docusaurus CodeBlock), or null outside the code. */
export function positionFromClick(root: HTMLElement, event: {clientX: number; clientY: number; target: EventTarget | null}): {line: number; column: number} | null {
  const target = event.target instanceof Element ? event.target : null;
  const caret = caretAt(event.clientX, event.clientY);
  // Prism's lines are table rows: a click beside the text lands on <code>, not on a line.
  const caretElement = caret ? (caret.node instanceof Element ? caret.node : caret.node.parentElement) : null;
  const lineElement = target?.closest('.token-line') ?? caretElement?.closest('.token-line');
  if (!lineElement || !root.contains(lineElement)) return null;
  const lines = Array.from(root.querySelectorAll('.token-line'));
  const line = lines.indexOf(lineElement) + 1;
  if (line <= 0) return null;
  const content = lineElement.querySelector('[class*="codeLineContent"]') ?? lineElement;
  let column = 1;
  if (caret && content.contains(caret.node)) {
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    let count = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node === caret.node) {
        column = count + caret.offset + 1;
        break;
      }
      count += node.textContent?.length ?? 0;
    }
  } else {
    column = (content.textContent?.length ?? 0) + 1;
  }
  return {line, column};
}
