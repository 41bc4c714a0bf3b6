/**
 * A sticky bar's height as a CSS variable on <html> (e.g. `--presenter-bar-height`), so the CSS
 * can give the lesson's headings a scroll-margin-top: a heading scrolled to the top (a step
 * move, follow-me, an anchor link) then stops below the bar instead of under it. Set before the
 * first scroll (a layout effect runs ahead of the page's effects) and kept up to date.
 */
import { useLayoutEffect, type RefObject } from 'react';

export function useStickyHeight(bar: RefObject<HTMLElement | null>, cssVar: `--${string}`): void {
  useLayoutEffect(() => {
    const el = bar.current;
    if (!el) return undefined;
    const root = document.documentElement;
    const update = (): void => root.style.setProperty(cssVar, `${Math.ceil(el.getBoundingClientRect().height)}px`);
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty(cssVar);
    };
  }, [bar, cssVar]);
}
