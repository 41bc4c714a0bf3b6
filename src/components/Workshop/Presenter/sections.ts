/**
 * A lesson page cut into the sections a presenter reveals one after another: the introduction
 * (everything before the first `##`), then each `##` heading with what follows it («Шаг N. …»,
 * «Итоги»). Works on the rendered page (the MDX content's top-level elements), so it needs
 * nothing from the lesson's source.
 */
export interface Section {
  /** The heading's text without its hash link, e.g. «Шаг 2. Повторы» (the title for the introduction). */
  title: string;
  /** The heading's id (its anchor); absent for the introduction. */
  anchor?: string;
  /** The first step check in the section (`<StepCheck step>` / `<Challenge step>`), if any. */
  step?: string;
  elements: HTMLElement[];
}

/** Heading text as a reader sees it (Docusaurus appends a zero-width space in the hash link). */
export function headingText(h: Element): string {
  const copy = h.cloneNode(true) as Element;
  copy.querySelectorAll('.hash-link').forEach((a) => a.remove());
  return (copy.textContent ?? '').replace(/\u200b/g, '').replace(/\s+/g, ' ').trim();
}

export function collectSections(root: HTMLElement): Section[] {
  const h1 = root.querySelector('h1');
  const sections: Section[] = [{ title: h1 ? headingText(h1) : 'Введение', elements: [] }];
  for (const child of Array.from(root.children)) {
    if (!(child instanceof HTMLElement)) continue;
    if (child.tagName === 'H2') sections.push({ title: headingText(child), anchor: child.id || undefined, elements: [] });
    const current = sections[sections.length - 1];
    current.elements.push(child);
    if (current.step === undefined) {
      const check = child.matches('[data-step]') ? child : child.querySelector('[data-step]');
      current.step = check?.getAttribute('data-step') ?? undefined;
    }
  }
  return sections;
}

/** Shows sections 0…upTo (the ones revealed so far) and hides the rest. */
export function reveal(sections: Section[], upTo: number): void {
  sections.forEach((s, i) => {
    for (const el of s.elements) el.hidden = i > upTo;
  });
}

/** Undoes `reveal`: the whole lesson is visible again. */
export function revealAll(sections: Section[]): void {
  reveal(sections, sections.length);
}
