import { describe, expect, it } from 'vitest';
import { ptyApplyInput, ptyCommandInput, seatMapping } from './ptyTerminal';

const seat = { namespace: 'ws-abc-0123456789', lessons: { 'practice/resilience': { from: 'shop', namespaceOnlyFiles: ['examples/resilience/namespace.yaml'] } } };

describe('the PTY terminal of a cluster room (ptyTerminal.ts)', () => {
  it('finds the lesson of a scenario in the seat the server sent', () => {
    expect(seatMapping(seat, 'resilience')).toEqual({ from: 'shop', to: 'ws-abc-0123456789', namespaceOnlyFiles: new Set(['examples/resilience/namespace.yaml']) });
    expect(seatMapping(seat, 'mtls')).toBeUndefined();
  });

  it('types a run button block command by command, mapped, each ended by Enter; comments and blank lines dropped', () => {
    const m = seatMapping(seat, 'resilience');
    const text = '# first the namespace\nkubectl apply -f examples/resilience/namespace.yaml\n\nkubectl get pods -n shop \\\n  -o wide\n';
    expect(ptyCommandInput(text, m)).toBe(
      "echo 'Namespace ws-abc-0123456789 уже создан для вас (с istio-injection=enabled): урок работает в нём.'\r" + 'kubectl get pods -n ws-abc-0123456789 \\\r  -o wide\r',
    );
    expect(ptyCommandInput('kubectl get pods -n shop', undefined)).toBe('kubectl get pods -n shop\r');
  });

  it('applies an edited manifest as a here-document that nothing in the text can end, mapped, without control characters', () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: shop\ndata:\n  a: "MANIFEST_N1"\n  b: "\x03\x04bad\tvalue"\n';
    const input = ptyApplyInput(yaml, seatMapping(seat, 'resilience'), 'N1');
    const lines = input.split('\r');
    expect(lines[0]).toBe("kubectl apply -f - <<'MANIFEST_N1_'");
    expect(lines).toContain('  namespace: ws-abc-0123456789');
    expect(lines).toContain('  b: "bad  value"');
    expect(lines.at(-2)).toBe('MANIFEST_N1_');
    expect(lines.filter((l) => l === 'MANIFEST_N1_')).toHaveLength(1);
    // eslint-disable-next-line no-control-regex
    expect(input).not.toMatch(/[\x00-\x08\x0b-\x0c\x0e-\x1f]/);
  });
});
