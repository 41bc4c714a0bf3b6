import { describe, expect, it } from 'vitest';
import { clampHeight, parseDockPrefs } from './dockPrefs';

describe('dock preferences read back', () => {
  it.each([
    [null, 1280, { fontSize: 14, height: undefined }],
    [null, 400, { fontSize: 12, height: undefined }],
    ['{"fontSize": 18, "height": 300}', 1280, { fontSize: 18, height: 300 }],
    ['{"fontSize": 99, "height": -5}', 1280, { fontSize: 24, height: undefined }],
    ['{"fontSize": "big", "height": "1e9"}', 1280, { fontSize: 14, height: undefined }],
    ['not json', 1280, { fontSize: 14, height: undefined }],
    ['null', 1280, { fontSize: 14, height: undefined }],
  ])('%s (viewport %i px wide) → %j', (raw, width, want) => {
    expect(parseDockPrefs(raw, width)).toEqual(want);
  });

  it('keeps the dock within the window', () => {
    expect(clampHeight(50, 900)).toBe(160);
    expect(clampHeight(2000, 900)).toBe(840);
    expect(clampHeight(333.4, 900)).toBe(333);
  });
});
