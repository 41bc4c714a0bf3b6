/**
 * The validation engine never throws: every entry point answers with findings for any input,
 * type confusion included (found by npm run fuzz; issue 16's reproducers).
 */
import { describe, expect, it } from 'vitest';
import { analyzeObjects, formatIstioctl, validateObject, validateObjectDiagnostics, validateText, type KubeObjectLike } from './index';
import { sandboxValidation } from './sandbox';

const CONFUSED = [
  'apiVersion:\n  toString: x\n  valueOf: 1\nkind: VirtualService\nmetadata:\n  name: a\nspec:\n  hosts: [a]\n',
  'apiVersion: networking.istio.io/v1\nkind:\n  toString: 1\nmetadata:\n  name: {toString: 1}\n  namespace: {valueOf: 2}\nspec:\n  hosts: [{toString: 1}]\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels: {__proto__: {a: 1}}\nspec:\n  selector: {toString: {a: 1}}\n  ports: [{port: {valueOf: 1}, name: {toString: 1}}]\n',
];

const objectsOf = (text: string): KubeObjectLike[] => validateText(text, { analysis: false }).documents.flatMap((d) => (d.object ? [d.object] : []));

describe('validation never throws', () => {
  it.each(CONFUSED)('mappings where strings belong: %j', (text) => {
    const all = [...validateText(text).diagnostics, ...analyzeObjects(objectsOf(text))].map((d) => `${d.message} ${formatIstioctl(d)}`).join('\n');
    expect(all).not.toMatch(/\[object Object\]|TypeError|Cannot convert/);
    // istioctl analyze in the sandbox (it crashed with "Cannot convert object to primitive value")
    expect(sandboxValidation.analyzer(objectsOf(text), undefined, [{ name: 'f.yaml', text }]).join('\n')).not.toMatch(/\[object Object\]/);
  });

  it('the analyzer names a Service port without a usable number as empty, not [object Object]', () => {
    const lines = analyzeObjects(objectsOf(CONFUSED[2])).map((d) => formatIstioctl(d));
    expect(lines).toContain("Info [IST0118] (Service s.default) Port name (без имени) (port: , targetPort: ) doesn't follow the naming convention of Istio port.");
  });

  it('entry points given things that are not objects answer with findings', () => {
    for (const v of [null, 1, 'x', [], [[]]] as unknown[]) {
      expect(validateObject(v as KubeObjectLike)).toHaveLength(1);
      expect(validateObjectDiagnostics(v as KubeObjectLike)).toHaveLength(1);
      expect(analyzeObjects([v as KubeObjectLike])).toEqual([]);
    }
    expect(validateText(undefined as unknown as string).diagnostics).toEqual([]);
  });

  it('a 250-deep [{ nesting and a 200 000-deep flow mapping get the depth limit at once, with its position', () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  x: ${'[{'.repeat(125)}a: 1${'}]'.repeat(125)}\n`;
    const d = validateText(deep).diagnostics;
    expect(d.map((x) => [x.code, x.range?.start.line, x.range?.start.column])).toEqual([['YAML008', 6, 106]]);
    const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata: ${'{a: '.repeat(200_000)}1${'}'.repeat(200_000)}\n`;
    expect(huge.length).toBeLessThan(1024 * 1024);
    expect(validateText(huge).diagnostics.map((x) => [x.code, x.range?.start.line, x.range?.start.column])).toEqual([['YAML008', 5, 7 + 4 * 100]]);
  });

  it('brackets inside quoted scalars and comments do not count as nesting', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q # ${'['.repeat(300)}\ndata:\n  a: "${'['.repeat(300)}"\n  b: '${'{'.repeat(300)}'\n`;
    expect(validateText(text).diagnostics.filter((d) => d.code === 'YAML008')).toEqual([]);
  });

  it('a Service with 16 000 invalid selector labels gets a finding at each label key (locate() was quadratic: seconds)', () => {
    const n = 16_000;
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: wide\nspec:\n  selector:\n${Array.from({ length: n }, (_, i) => `    "bad label ${i}!": v`).join('\n')}\n  ports:\n  - port: 80\n`;
    const found = validateText(text).diagnostics.filter((d) => d.code === 'K8S010');
    expect(found).toHaveLength(n);
    // each at its own line: line 7 holds label 0
    for (const i of [0, 1, 8_000, n - 1]) expect(found.find((d) => d.message.includes(`«bad label ${i}!»`))?.range?.start.line).toBe(7 + i);
  });

  it('a regex repeated in many routes is judged for each route (the compile outcome is remembered, the finding is not)', () => {
    const routes = (re: string): string => Array.from({ length: 3 }, (_, i) => `  - match:\n    - headers:\n        h:\n          regex: "${re}"\n    route:\n    - destination:\n        host: r${i}`).join('\n');
    const vs = (re: string): string => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: v\nspec:\n  hosts: [a]\n  http:\n${routes(re)}\n`;
    const bad = validateText(vs('(a')).diagnostics.filter((d) => d.message.includes('missing closing )'));
    // the webhook's refusal at `headers`, the analyzer's IST0122 at the header: in every route
    expect(bad.map((d) => `${d.code} ${d.range?.start.line}`)).toEqual(['IST0106 10', 'IST0122 11', 'IST0106 17', 'IST0122 18', 'IST0106 24', 'IST0122 25']);
    expect(validateText(vs('(a|a)*$')).diagnostics.filter((d) => d.message.includes('regexp'))).toEqual([]);
  });
});
