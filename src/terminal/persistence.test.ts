import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../components/ManifestEditor/storage';
import { inspectLessonState, loadLessonState, parseLessonState, saveLessonState } from './persistence';

describe('stored lesson state is checked on load', () => {
  it.each([
    ['not JSON', '{"journal": [', { journal: [], history: [], passed: [] }],
    ['not an object', '"hello"', { journal: [], history: [], passed: [] }],
    ['null', 'null', { journal: [], history: [], passed: [] }],
    ['a journal with a bad entry (dropped whole)', '{"journal": ["export A=1", 42], "history": ["ls"]}', { journal: [], history: ['ls'], passed: [] }],
    ['history with a bad item (the readable rest kept)', '{"history": ["ls", {"x": 1}, "pwd"], "passed": "step-1"}', { journal: [], history: ['ls', 'pwd'], passed: [] }],
    ['a file that leaves the home directory', '{"journal": [{"line": "kubectl apply -f ~/x", "files": [{"path": "../x", "content": ""}]}]}', { journal: [], history: [], passed: [] }],
  ])('%s: damaged, readable parts kept', (_name, raw, state) => {
    expect(parseLessonState(raw)).toEqual({ state, damaged: true });
  });

  it('reads a sound state as it was saved', () => {
    const state = { journal: ['export A=1', { line: 'kubectl apply -f ~/edited/a.yaml', files: [{ path: 'edited/a.yaml', content: 'x' }] }], history: ['ls'], passed: ['step-1'] };
    expect(parseLessonState(JSON.stringify(state))).toEqual({ state, damaged: false });
    expect(parseLessonState('{}')).toEqual({ state: { journal: [], history: [], passed: [] }, damaged: false });
  });

  describe('in the browser', () => {
    afterEach(() => vi.unstubAllGlobals());

    it('rewrites a damaged state once, so the notice is given once', () => {
      const localStorage = memoryStorage();
      vi.stubGlobal('window', { localStorage });
      localStorage.setItem('istio-practicum:lesson:egress:v1', '{"history": ["ls", 7]}');
      expect(inspectLessonState('egress')).toEqual({ state: { journal: [], history: ['ls'], passed: [] }, damaged: true });
      expect(inspectLessonState('egress').damaged).toBe(false);
      saveLessonState('egress', { passed: ['a'] });
      expect(loadLessonState('egress')).toEqual({ journal: [], history: ['ls'], passed: ['a'] });
    });
  });
});
