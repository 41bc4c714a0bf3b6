import React, {useEffect, useRef} from 'react';
import SearchBar from '@theme-original/SearchBar';
import {translate} from '@docusaurus/Translate';

/**
 * The local-search plugin hard-codes aria-label="Search" on its input; screen readers on a Russian page should
 * announce the same translated label the placeholder shows.
 */
export default function SearchBarWrapper(props: Record<string, unknown>): React.JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const label = translate({id: 'theme.SearchBar.label', message: 'Search'});
    container.current?.querySelector('input')?.setAttribute('aria-label', label);
  }, []);
  return (
    <div ref={container} style={{display: 'contents'}}>
      <SearchBar {...props} />
    </div>
  );
}
