import {describe, expect, it} from 'vitest';
import {validateText} from '../../validation';
import {applyEdit, isSuppressible, parseCodes, setSuppressedCodes, suppressCode, suppressedByDocument, suppressedCodesIn, unsuppressCode} from './suppress';

const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
spec:
  hosts:
    - web
  http:
    - route:
        - destination:
            host: nowhere # no such Service
`;

function codes(text: string): string[] {
  return validateText(text, {baseline: 'none'}).diagnostics.map((d) => d.code);
}

function suppressed(text: string, index: number, code: string): string {
  const edit = suppressCode(text, index, code);
  if (!edit) throw new Error('no edit');
  return applyEdit(text, edit);
}

describe('silencing a rule for one manifest (galley.istio.io/analyze-suppress)', () => {
  it('parses annotation values as istioctl does', () => {
    expect(parseCodes('IST0101, prk004 ,,IST0101')).toEqual(['IST0101', 'PRK004']);
    expect(parseCodes('*')).toEqual(['*']);
    expect(parseCodes('')).toEqual([]);
    expect(parseCodes(undefined)).toEqual([]);
  });

  it('offers silencing only for analyzer findings', () => {
    expect(isSuppressible({code: 'IST0101', source: 'analysis'})).toBe(true);
    expect(isSuppressible({code: 'PRK004', source: 'analysis'})).toBe(true);
    expect(isSuppressible({code: 'IST0106', source: 'analysis'})).toBe(false);
    expect(isSuppressible({code: 'K8S003', source: 'schema'})).toBe(false);
    expect(isSuppressible({code: 'YAML001', source: 'syntax'})).toBe(false);
  });

  it('adds annotations: under metadata with the file’s indentation, and the engine honours it', () => {
    expect(codes(vs)).toContain('IST0101');
    const out = suppressed(vs, 0, 'IST0101');
    expect(out).toBe(vs.replace('  name: web\n', '  annotations:\n    galley.istio.io/analyze-suppress: "IST0101"\n  name: web\n'));
    expect(codes(out)).not.toContain('IST0101');
    expect(suppressedCodesIn(out, 0)).toEqual(['IST0101']);
  });

  it('adds to an existing annotations map, keeping other annotations and comments', () => {
    const text = vs.replace('  name: web\n', '  name: web\n  annotations:\n    # why\n    example.com/owner: team-a\n');
    const out = suppressed(text, 0, 'IST0101');
    expect(out).toContain('    galley.istio.io/analyze-suppress: "IST0101"\n    # why\n    example.com/owner: team-a\n');
    expect(codes(out)).not.toContain('IST0101');
  });

  it('appends a second code to the same annotation and removes codes one by one', () => {
    const one = suppressed(vs, 0, 'IST0101');
    const two = suppressed(one, 0, 'PRK002');
    expect(suppressedCodesIn(two, 0)).toEqual(['IST0101', 'PRK002']);
    expect(two).toContain('galley.istio.io/analyze-suppress: "IST0101,PRK002"');
    const back = applyEdit(two, unsuppressCode(two, 0, 'PRK002')!);
    expect(suppressedCodesIn(back, 0)).toEqual(['IST0101']);
    // Removing the last code removes the annotation and the annotations map it created.
    const clean = applyEdit(back, unsuppressCode(back, 0, 'IST0101')!);
    expect(clean).toBe(vs);
  });

  it('does nothing when the rule is already silenced, or silenced by "*"', () => {
    const one = suppressed(vs, 0, 'IST0101');
    expect(suppressCode(one, 0, 'ist0101')).toBeNull();
    const star = vs.replace('  name: web\n', '  name: web\n  annotations:\n    galley.istio.io/analyze-suppress: "*"\n');
    expect(suppressCode(star, 0, 'IST0101')).toBeNull();
    expect(unsuppressCode(vs, 0, 'IST0101')).toBeNull();
  });

  it('edits the right document of a multi-document text', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports:\n    - name: http\n      port: 80\n';
    const text = `${svc}---\n${vs}`;
    const out = suppressed(text, 1, 'IST0101');
    expect(out.startsWith(svc)).toBe(true);
    expect(suppressedByDocument(out)).toEqual([{index: 1, codes: ['IST0101']}]);
  });

  it('handles `annotations: {}`, flow-style metadata and a value-less annotation', () => {
    const empty = vs.replace('  name: web\n', '  name: web\n  annotations: {}\n');
    expect(suppressedCodesIn(suppressed(empty, 0, 'IST0101'), 0)).toEqual(['IST0101']);
    const flow = vs.replace('metadata:\n  name: web\n  namespace: shop\n', 'metadata: {name: web, namespace: shop}\n');
    const out = suppressed(flow, 0, 'IST0101');
    expect(suppressedCodesIn(out, 0)).toEqual(['IST0101']);
    expect(codes(out)).not.toContain('IST0101');
    const bare = vs.replace('  name: web\n', '  name: web\n  annotations:\n    galley.istio.io/analyze-suppress:\n');
    expect(suppressedCodesIn(suppressed(bare, 0, 'IST0101'), 0)).toEqual(['IST0101']);
  });

  it('refuses to edit what is not an object', () => {
    expect(setSuppressedCodes('- a\n- b\n', 0, ['IST0101'])).toBeNull();
    expect(setSuppressedCodes('a: [\n', 0, ['IST0101'])).toBeNull();
    expect(suppressCode(vs, 3, 'IST0101')).toBeNull();
  });
});
