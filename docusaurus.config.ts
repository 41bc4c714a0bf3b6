import path from 'node:path';
import type {Config} from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import {darkCode, lightCode} from './src/theme/prismThemes';
import manifestSource from './src/remark/manifestSource';
import mermaidDiagrams from './src/remark/mermaidDiagrams';
import manifestEditor from './src/plugins/manifest-editor';
import lazyLibraries from './src/plugins/lazy-libraries';
import preloadRouteChunks from './src/plugins/preload-route-chunks';
import sandboxWorker from './src/plugins/sandbox-worker';
import utf8Scripts from './src/plugins/utf8-scripts';

const examplesDir = path.resolve(__dirname, 'examples');
const staticDir = path.resolve(__dirname, 'static');
const baseUrl = '/';
/**
 * Where the site is published: canonical links, the sitemap and the social card's absolute URL use it.
 * SITE_URL=https://… at build time sets it; the default is a placeholder (.example is reserved, RFC 2606).
 */
const siteUrl = (process.env.SITE_URL ?? 'https://istio-practicum.example').replace(/\/+$/, '');
/**
 * «Предложить правку» under each lesson: EDIT_URL is the base of the repository's edit links (the doc's
 * path in the repository is appended, e.g. https://github.com/ORG/REPO/edit/main/); no link without it.
 */
const editUrl = process.env.EDIT_URL || undefined;

const config: Config = {
  title: 'Istio-практикум',
  tagline: 'Интерактивный курс по service mesh и Istio: читаете урок, правите манифесты, запускаете их в песочнице',
  favicon: 'img/favicon.svg',
  url: siteUrl,
  baseUrl,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',

  i18n: {
    defaultLocale: 'ru',
    locales: ['ru'],
    localeConfigs: {ru: {label: 'Русский', htmlLang: 'ru'}},
  },

  markdown: {
    hooks: {onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw'},
  },

  plugins: [
    (context) => manifestEditor(context, {examplesDir}),
    lazyLibraries,
    preloadRouteChunks,
    sandboxWorker,
    utf8Scripts,
    [
      // A service worker precaches the whole build on the first visit, so lessons, the editor, the terminal and
      // the sandbox keep working offline (a workshop room's Wi-Fi). 'always': offline mode for every visitor,
      // not only for an installed app. The largest chunk (Monaco) is above Workbox's 2 MiB default limit.
      '@docusaurus/plugin-pwa',
      {
        offlineModeActivationStrategies: ['always'],
        // registered once the page is quiet or its terminal is ready: the precache must not slow the terminal's start
        swRegister: path.resolve(__dirname, 'src/pwa/registerServiceWorker.ts'),
        injectManifestConfig: {maximumFileSizeToCacheInBytes: 16 * 1024 * 1024},
        pwaHead: [
          {tagName: 'link', rel: 'manifest', href: `${baseUrl}manifest.json`},
          {tagName: 'meta', name: 'theme-color', content: '#2f5fb3'},
        ],
      },
    ],
  ],

  themes: [
    '@docusaurus/theme-live-codeblock',
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        language: ['ru', 'en'],
        indexBlog: false,
        indexPages: true,
        docsRouteBasePath: '/docs',
        highlightSearchTermsOnTargetPage: true,
        searchResultLimits: 10,
      },
    ],
  ],

  presets: [
    [
      'classic',
      {
        docs: {
          sidebarPath: './sidebars.ts',
          // Mermaid diagrams become pictures drawn ahead of time (npm run diagrams): no Mermaid code in the browser.
          remarkPlugins: [[manifestSource, {examplesDir}], [mermaidDiagrams, {staticDir, baseUrl}]],
          showLastUpdateTime: false,
          editUrl,
        },
        blog: false,
        theme: {customCss: './src/css/custom.css'},
      } satisfies Preset.Options,
    ],
  ],

  themeConfig: {
    // og:image and twitter:image (summary_large_image); drawn by npm run social-card
    image: 'img/social-card.png',
    colorMode: {respectPrefersColorScheme: true},
    navbar: {
      title: 'Istio-практикум',
      logo: {alt: 'Istio-практикум', src: 'img/logo.svg'},
      items: [
        {type: 'docSidebar', sidebarId: 'course', position: 'left', label: 'Курс'},
        {to: '/docs/scenarios/ingress-service-a', label: 'Сценарии', position: 'left'},
        {to: '/docs/commands', label: 'Команды', position: 'left'},
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Курс',
          items: [
            {label: 'Service mesh', to: '/docs/service-mesh'},
            {label: 'Ресурсы Istio', to: '/docs/gateway'},
            {label: 'Сценарии', to: '/docs/scenarios/ingress-service-a'},
          ],
        },
      ],
      copyright: 'Istio-практикум. Istio и Envoy — проекты CNCF; курс с ними не аффилирован.',
    },
    prism: {
      theme: lightCode,
      darkTheme: darkCode,
      additionalLanguages: ['bash', 'json', 'diff'],
    },
    liveCodeBlock: {playgroundPosition: 'bottom'},
  } satisfies Preset.ThemeConfig,
};

export default config;
