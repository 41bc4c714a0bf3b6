import { describe, expect, it } from 'vitest';
import { decode, encode, isClientMessage, isServerMessage, type ClientMessage } from './protocol';

describe('protocol', () => {
  const valid: ClientMessage[] = [
    { type: 'start', scenario: 'egress', seed: 3, replay: ['kubectl get pods'] },
    { type: 'run', line: 'kubectl get pods' },
    { type: 'run', line: 'kubectl apply -f ~/edited/a.yaml', files: [{ path: 'edited/a.yaml', content: 'kind: x\r' }] },
    { type: 'start', scenario: 'egress', replay: [{ line: 'kubectl apply -f ~/edited/a.yaml', files: [{ path: 'edited/a.yaml', content: '' }] }] },
    { type: 'interrupt' },
    { type: 'complete', id: 1, line: 'kub', cursor: 3 },
    { type: 'check', id: 2, probes: [{ command: 'true', missing: 'нет' }] },
    { type: 'resize', cols: 80, rows: 24 },
    { type: 'traffic', id: 3 },
    { type: 'traffic', id: 4, since: 17 },
    { type: 'reset' },
  ];
  it.each(valid)('accepts $type and survives a JSON round trip (WebSocket framing)', (msg) => {
    const back = decode(encode(msg));
    expect(back).toEqual(msg);
    expect(isClientMessage(back)).toBe(true);
  });

  it.each([
    null,
    'run',
    { type: 'run' },
    { type: 'run', line: 42 },
    { type: 'start' },
    { type: 'start', scenario: 'x', replay: [1] },
    { type: 'run', line: 'x', files: 'a' },
    { type: 'run', line: 'x', files: [{ path: '../a', content: '' }] },
    { type: 'run', line: 'x', files: [{ path: 'a', content: 1 }] },
    { type: 'complete', id: '1', line: '', cursor: 0 },
    { type: 'check', id: 1, probes: [{ command: 'x' }] },
    { type: 'traffic' },
    { type: 'traffic', id: 1, since: 'all' },
    { type: 'shutdown' },
  ])('rejects %j', (msg) => {
    expect(isClientMessage(msg)).toBe(false);
  });

  it('recognizes server messages and rejects garbage frames', () => {
    expect(isServerMessage({ type: 'output', stream: 'stdout', data: 'x' })).toBe(true);
    expect(isServerMessage({ type: 'nope' })).toBe(false);
    expect(decode('{not json')).toBeUndefined();
  });
});
