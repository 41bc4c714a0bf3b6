import {describe, expect, it} from 'vitest';
import {lazyModule} from '../../src/components/Terminal/launcher';

describe("the terminal's lazily loaded chunks", () => {
  it('load once, are at hand afterwards, and are tried again after a failed load (the connection came back)', async () => {
    let calls = 0;
    const module = lazyModule(async () => {
      calls += 1;
      if (calls === 1) throw new Error('ChunkLoadError');
      return {name: 'dock'};
    });
    expect(module.current()).toBeUndefined();
    await expect(module.load()).rejects.toThrow('ChunkLoadError');
    expect(module.current()).toBeUndefined();
    const [a, b] = await Promise.all([module.load(), module.load()]);
    expect(a).toEqual({name: 'dock'});
    expect(b).toBe(a);
    expect(module.current()).toBe(a);
    await module.load();
    expect(calls).toBe(2);
  });
});
