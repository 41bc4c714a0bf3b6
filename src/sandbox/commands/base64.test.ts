/**
 * base64 as GNU coreutils 9 prints it (src/basenc.c): wrapped at 76 columns, -w 0, -d with its
 * "invalid input" after the bytes it could decode. Outputs compared with the real base64 9.1.
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

const PAYLOAD = 'eyJleHAiOjQ2ODU5ODk3MDAsImZvbyI6ImJhciIsImlhdCI6MTUzMjM4OTcwMCwiaXNzIjoidGVzdGluZ0BzZWN1cmUuaXN0aW8uaW8iLCJzdWIiOiJ0ZXN0aW5nQHNlY3VyZS5pc3Rpby5pbyJ9';

describe('base64', () => {
  it.each([
    [`echo ${PAYLOAD} | base64 --decode`, 0, '{"exp":4685989700,"foo":"bar","iat":1532389700,"iss":"testing@secure.istio.io","sub":"testing@secure.istio.io"}', ''],
    [`echo -n '{"sub":"admin","exp":4685989700,"iss":"testing@secure.istio.io"}' | base64`, 0, 'eyJzdWIiOiJhZG1pbiIsImV4cCI6NDY4NTk4OTcwMCwiaXNzIjoidGVzdGluZ0BzZWN1cmUuaXN0\naW8uaW8ifQ==\n', ''],
    [`echo -n '{"sub":"admin"}' | base64 -w 0`, 0, 'eyJzdWIiOiJhZG1pbiJ9', ''],
    ['echo hello | base64 | base64 -d', 0, 'hello\n', ''],
    ['echo -n YQ== | base64 -d', 0, 'a', ''],
    ['echo -n YWI | base64 -d', 1, 'ab', 'base64: invalid input\n'],
    ["echo 'Y-I=' | base64 -d", 1, '', 'base64: invalid input\n'],
    ['echo -n | base64', 0, '', ''],
  ])('%s', async (cmd, code, stdout, stderr) => {
    const sb = new Sandbox({ seed: 1 });
    const r = await sb.exec(cmd);
    expect([r.code, r.stdout, r.stderr]).toEqual([code, stdout, stderr]);
  });
});
