import {describe, expect, it, vi} from 'vitest';
import {ManifestRegistry} from './registry';

describe('page registry of manifest blocks', () => {
  it('keeps blocks in page order and tells subscribers about changes', () => {
    const registry = new ManifestRegistry();
    const listener = vi.fn();
    registry.subscribe(listener);
    const offA = registry.register({file: 'a.yaml', vetted: 'A', text: 'A'});
    registry.register({file: 'b.yaml', vetted: 'B', text: 'B'});
    expect(registry.getSnapshot().map((b) => b.file)).toEqual(['a.yaml', 'b.yaml']);
    expect(listener).toHaveBeenCalledTimes(2);

    const before = registry.getSnapshot();
    registry.update('a.yaml', 'A2');
    expect(registry.getSnapshot()).not.toBe(before);
    expect(registry.get('a.yaml')?.text).toBe('A2');
    registry.update('a.yaml', 'A2');
    expect(listener).toHaveBeenCalledTimes(3);

    expect(registry.othersOf('b.yaml')).toEqual([{file: 'a.yaml', text: 'A2'}]);
    offA();
    expect(registry.othersOf('b.yaml')).toEqual([]);
  });

  it('changes a block’s context signature only when another block changes', () => {
    const registry = new ManifestRegistry();
    registry.register({file: 'a.yaml', vetted: 'A', text: 'A'});
    registry.register({file: 'b.yaml', vetted: 'B', text: 'B'});
    const sig = () => ManifestRegistry.contextSignature(registry.getSnapshot(), 'a.yaml');
    const first = sig();
    registry.update('a.yaml', 'A2');
    expect(sig()).toBe(first);
    registry.update('b.yaml', 'B2');
    expect(sig()).not.toBe(first);
  });
});
