/**
 * The code colours of the static code blocks: Prism's GitHub (light) and Dracula (dark) themes
 * with the token colours that fall below WCAG AA's 4.5:1 on their backgrounds replaced by darker
 * (light) or lighter (dark) ones of the same hue. tests/e2e/accessibility.spec.ts checks them with axe.
 */
import {themes, type PrismTheme} from 'prism-react-renderer';

const withColors = (base: PrismTheme, colors: Record<string, string>): PrismTheme => ({
  ...base,
  // later entries win for a token type (prism-react-renderer themeToDict)
  styles: [...base.styles, ...Object.entries(colors).map(([type, color]) => ({types: [type], style: {color}}))],
});

/** On #f6f8fa: comment 5.9:1, blue 5.9:1, teal 5.7:1, magenta 7.2:1, red 6.3:1. */
export const lightCode = withColors(themes.github, {
  comment: '#59636e',
  prolog: '#59636e',
  doctype: '#59636e',
  cdata: '#59636e',
  atrule: '#005cc5',
  'attr-name': '#005cc5',
  keyword: '#005cc5',
  number: '#0a6e6b',
  variable: '#0a6e6b',
  entity: '#0a6e6b',
  url: '#0a6e6b',
  'string-property': '#0a6e6b',
  property: '#0a6e6b',
  symbol: '#0a6e6b',
  boolean: '#0a6e6b',
  constant: '#0a6e6b',
  regex: '#0a6e6b',
  inserted: '#0a6e6b',
  selector: '#005cc5',
  deleted: '#b31d28',
  string: '#a31150',
  'attr-value': '#a31150',
  function: '#b31d28',
});

/** On #282a36: comment 5.9:1. */
export const darkCode = withColors(themes.dracula, {comment: '#9aa5ce', prolog: '#9aa5ce', doctype: '#9aa5ce', cdata: '#9aa5ce'});
