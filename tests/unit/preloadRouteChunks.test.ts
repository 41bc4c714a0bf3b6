import {describe, expect, it} from 'vitest';
import {chunkNamesOf, matchRoutes, parseRoutes, scriptFiles, withPreloads} from '../../src/plugins/preload-route-chunks';

const ROUTES = `import React from 'react';
import ComponentCreator from '@docusaurus/ComponentCreator';

export default [
  {
    path: '/docs',
    component: ComponentCreator('/docs', '8e2'),
    routes: [
      {
        path: '/docs/gateway',
        component: ComponentCreator('/docs/gateway', '83c'),
        exact: true,
        sidebar: "course"
      }
    ]
  },
  {
    path: '/',
    component: ComponentCreator('/', 'e5f'),
    exact: true
  },
  {
    path: '*',
    component: ComponentCreator('*'),
  },
];
`;

describe('preload-route-chunks plugin', () => {
  it('reads the generated routes and matches a page as react-router does', () => {
    const routes = parseRoutes(ROUTES);
    expect(matchRoutes(routes, '/docs/gateway').map((r) => r.key)).toEqual(['/docs-8e2', '/docs/gateway-83c']);
    expect(matchRoutes(routes, '/').map((r) => r.key)).toEqual(['/-e5f']);
    expect(matchRoutes(routes, '/docs-extra')).toEqual([]);
  });

  it('turns chunk names into their files, siblings included, and adds only missing preloads', () => {
    expect(chunkNamesOf({__comp: 'a', __context: {plugin: 'b'}, content: 'c'})).toEqual(['a', 'b', 'c']);
    const manifest = {origins: {a: [1, 2], c: [2]}, assets: {'1': {js: [{publicPath: '/assets/js/1.js'}]}, '2': {js: [{publicPath: '/assets/js/2.js'}]}}};
    expect(scriptFiles(manifest, ['a', 'c', 'unknown'])).toEqual(['/assets/js/1.js', '/assets/js/2.js']);
    const html = '<html><head><script src="/assets/js/1.js" defer></script></head><body></body></html>';
    expect(withPreloads(html, ['/assets/js/1.js', '/assets/js/2.js'])).toBe(
      '<html><head><script src="/assets/js/1.js" defer></script><link rel="preload" href="/assets/js/2.js" as="script"></head><body></body></html>',
    );
  });
});
