/**
 * The navbar's search (@easyops-cn/docusaurus-search-local), loaded when the reader reaches for it.
 *
 * The plugin's SearchBar brings lunr with its Russian stemmer, mark.js and its worker client into
 * the bundle every page runs (~25 KB gzip), though most readers never search. Until the reader
 * points at the field, focuses it, presses the plugin's shortcut (mod+K) or arrives from a search
 * result (`?_highlight=…`, which the plugin marks in the text), a stand-in with the plugin's own
 * markup and classes is shown; then the plugin's SearchBar takes its place with what was typed
 * and the focus. Also: the plugin hard-codes aria-label="Search" on its input; screen readers on
 * a Russian page should announce the same translated label the placeholder shows.
 */
import React, {useCallback, useEffect, useRef, useState} from 'react';
import clsx from 'clsx';
import {translate} from '@docusaurus/Translate';
import {useLocation} from '@docusaurus/router';
import useIsBrowser from '@docusaurus/useIsBrowser';
// The plugin's own styles and shortcut helpers (small; its CSS is on every page already).
import styles from '@easyops-cn/docusaurus-search-local/dist/client/client/theme/SearchBar/SearchBar.module.css';
import {getKeymapHints, matchesKeymap, parseKeymap} from '@easyops-cn/docusaurus-search-local/dist/client/client/utils/keymap';
import {isMacPlatform} from '@easyops-cn/docusaurus-search-local/dist/client/client/utils/platform';

type SearchBarComponent = React.ComponentType<Record<string, unknown>>;

/** The plugin's default shortcut (searchBarShortcutKeymap; this site does not change it). */
const SHORTCUT = 'mod+k';
/** The plugin marks these query parameters' words in the page it opens from a search result. */
const HIGHLIGHT_PARAM = '_highlight';

let loaded: SearchBarComponent | undefined;
function loadSearchBar(): Promise<SearchBarComponent> {
  return import('@theme-original/SearchBar').then((m) => {
    loaded = m.default as SearchBarComponent;
    return loaded;
  });
}

const label = (): string => translate({id: 'theme.SearchBar.label', message: 'Search', description: 'The ARIA label and placeholder for search button'});

/** What the reader did in the stand-in, handed over to the plugin's field. */
interface Handover {
  value: string;
  focused: boolean;
}

/** Sets a React-controlled input's value the way typing does, so the component's state follows. */
function typeInto(input: HTMLInputElement, value: string): void {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('input', {bubbles: true}));
}

export default function SearchBarWrapper(props: Record<string, unknown>): React.JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  const standIn = useRef<HTMLInputElement>(null);
  const [SearchBar, setSearchBar] = useState<SearchBarComponent | undefined>(() => loaded);
  const handover = useRef<Handover | undefined>(undefined);
  const location = useLocation();
  const isBrowser = useIsBrowser();

  const wake = useCallback(() => {
    void loadSearchBar().then(
      (component) => {
        const input = standIn.current;
        handover.current = {value: input?.value ?? '', focused: !!input && document.activeElement === input};
        setSearchBar(() => component);
      },
      () => undefined, // offline before the chunk was cached: the stand-in stays, a later attempt retries
    );
  }, []);

  // Arriving from a search result: the plugin marks the words it was opened for.
  useEffect(() => {
    if (!SearchBar && new URLSearchParams(location.search).has(HIGHLIGHT_PARAM)) wake();
  }, [SearchBar, location.search, wake]);

  // The plugin's shortcut works before the plugin is there: it focuses the stand-in, which loads it.
  useEffect(() => {
    if (SearchBar) return undefined;
    const keymap = parseKeymap(SHORTCUT);
    const onKey = (event: KeyboardEvent): void => {
      if (!matchesKeymap(event, keymap)) return;
      event.preventDefault();
      standIn.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [SearchBar]);

  useEffect(() => {
    const input = container.current?.querySelector('input');
    if (!input) return;
    input.setAttribute('aria-label', label());
    const given = handover.current;
    handover.current = undefined;
    if (!SearchBar || !given) return undefined;
    if (given.focused) input.focus();
    if (!given.value) return undefined;
    // On mount the plugin sets its field to the page's highlight words (none) in a macro task
    // (SearchBar.jsx, the Mark effect); what was typed goes in after that, with anything typed since.
    const timer = setTimeout(() => typeInto(input, given.value + input.value));
    return () => clearTimeout(timer);
  }, [SearchBar]);

  if (SearchBar)
    return (
      <div ref={container} style={{display: 'contents'}}>
        <SearchBar {...props} />
      </div>
    );
  // The plugin's markup (SearchBar.jsx), without its behaviour.
  return (
    <div ref={container} style={{display: 'contents'}}>
      <div className={clsx('navbar__search', styles.searchBarContainer)} dir="ltr">
        <svg aria-hidden="true" className={styles.searchIcon} focusable="false" viewBox="0 0 16 16">
          <path
            fill="currentColor"
            d="M6.02945 10.20327a4.17382 4.17382 0 1 1 4.17382-4.17382 4.15609 4.15609 0 0 1-4.17382 4.17382Zm9.69195 4.2199-4.8225-4.82338A5.88021 5.88021 0 0 0 12.058 6.02856 6.00467 6.00467 0 1 0 9.59979 10.8989l4.82338 4.82338a.89729.89729 0 0 0 1.29912 0 .89749.89749 0 0 0-.00087-1.29909Z"
          />
        </svg>
        <input ref={standIn} placeholder={label()} aria-label={label()} className={`navbar__search-input ${styles.searchInput}`} onMouseEnter={wake} onPointerDown={wake} onFocus={wake} />
        {isBrowser && (
          <div className={styles.searchHintContainer}>
            {getKeymapHints(SHORTCUT, isMacPlatform()).map((hint: string) => (
              <kbd key={hint} className={styles.searchHint}>
                {hint}
              </kbd>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
