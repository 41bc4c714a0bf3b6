import { describe, expect, it } from 'vitest';
import { deepClone } from './types';

describe('deepClone', () => {
  it('copies objects and arrays all the way down: nothing is shared with the original', () => {
    const o = { metadata: { labels: { a: '1' } }, spec: { http: [{ route: [{ destination: { host: 'a' } }] }] }, n: 1, b: true, z: null };
    const c = deepClone(o);
    expect(c).toEqual(o);
    c.metadata.labels.a = '2';
    c.spec.http[0].route[0].destination.host = 'b';
    c.spec.http.push({ route: [] });
    expect(o.metadata.labels.a).toBe('1');
    expect(o.spec.http[0].route[0].destination.host).toBe('a');
    expect(o.spec.http).toHaveLength(1);
  });

  it('keeps keys whose value is undefined, as structuredClone does', () => {
    const c = deepClone({ metadata: { annotations: undefined, name: 'x' } });
    expect(Object.keys(c.metadata)).toEqual(['annotations', 'name']);
  });

  it('a "__proto__" key stays an own key of the copy and pollutes nothing', () => {
    const o = JSON.parse('{"spec": {"__proto__": {"polluted": true}, "a": 1}}') as { spec: Record<string, unknown> };
    const c = deepClone(o);
    expect(Object.keys(c.spec)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(c.spec)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(c)).toBe(JSON.stringify(o));
  });

  it('dates, typed arrays and very deep values are copied by structuredClone', () => {
    const when = new Date(0);
    const c = deepClone({ when, bytes: new Uint8Array([1, 2]) });
    expect(c.when).toBeInstanceOf(Date);
    expect(c.when).not.toBe(when);
    expect(c.bytes).toEqual(new Uint8Array([1, 2]));
    let deep: unknown = 'leaf';
    for (let i = 0; i < 1000; i++) deep = { d: [deep] };
    expect(JSON.stringify(deepClone(deep))).toBe(JSON.stringify(deep));
  });
});
