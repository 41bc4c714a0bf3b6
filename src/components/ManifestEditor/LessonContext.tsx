/**
 * The lesson page's manifest registry, provided around the doc content (src/theme/DocItem/
 * Content) so every <Manifest> of the page finds the others. Outside a doc page a block falls
 * back to a registry of its own page (module-level).
 */
import React, {createContext, useContext, useState} from 'react';
import {ManifestRegistry} from './registry';

const fallbackRegistry = new ManifestRegistry();

const LessonManifestsContext = createContext<ManifestRegistry>(fallbackRegistry);

export function LessonManifestsProvider({children}: {children: React.ReactNode}): React.JSX.Element {
  const [registry] = useState(() => new ManifestRegistry());
  return <LessonManifestsContext.Provider value={registry}>{children}</LessonManifestsContext.Provider>;
}

export function useLessonRegistry(): ManifestRegistry {
  return useContext(LessonManifestsContext);
}
