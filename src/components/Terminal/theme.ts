import type { ITheme } from '@xterm/xterm';

/** Terminal palettes matching the site's light and dark themes. */
export function themeFor(mode: 'light' | 'dark'): ITheme {
  return mode === 'dark'
    ? {
        background: '#1b1b1d',
        foreground: '#e3e3e3',
        cursor: '#8ec5ff',
        selectionBackground: '#3a4a63',
        black: '#1b1b1d',
        red: '#ff7b72',
        green: '#7ee787',
        yellow: '#e3b341',
        blue: '#79c0ff',
        magenta: '#d2a8ff',
        cyan: '#56d4dd',
        white: '#e3e3e3',
        brightBlack: '#8b949e',
      }
    : {
        background: '#fbfcfe',
        foreground: '#1c1e21',
        cursor: '#1f6feb',
        selectionBackground: '#c8ddff',
        black: '#1c1e21',
        red: '#c62828',
        green: '#1a7f37',
        yellow: '#9a6700',
        blue: '#0b57d0',
        magenta: '#8250df',
        cyan: '#0a7a83',
        white: '#6e7781',
        brightBlack: '#57606a',
      };
}
