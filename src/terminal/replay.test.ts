import type { ReplayEntry } from './protocol';
import { describe, expect, it } from 'vitest';
import { appendJournal, shouldReplay } from './replay';
import { splitCommands } from './splitCommands';

describe('shouldReplay', () => {
  it.each([
    ['kubectl apply -f examples/ingress-service-a/', true],
    ['kubectl -n demo scale deployment service-a --replicas=0', true],
    ['export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath=x)', true],
    ['istioctl install -y --set meshConfig.accessLogFile=/dev/stdout', true],
    ['cd examples', true],
    ["cat > vs.yaml <<'EOF'\nkind: X\nEOF", true],
    ['kubectl get pods -n demo', false],
    ['kubectl logs -l app=x -c istio-proxy --tail=1', false],
    ['curl -s http://$INGRESS_HOST/', false],
    ["for i in $(seq 1 100); do curl -s http://$INGRESS_HOST/ | grep -o x; done | sort | uniq -c", false],
    ['watch kubectl get pods', false],
    ['kubectl rollout status deployment/service-a -n demo', false],
    ['', false],
  ])('%j → %s', (line, want) => {
    expect(shouldReplay(line)).toBe(want);
  });

  it('keeps the journal bounded', () => {
    let j: ReplayEntry[] = [];
    for (let i = 0; i < 600; i++) j = appendJournal(j, `export A=${i}`);
    expect(j.length).toBe(500);
    expect(j[499]).toBe('export A=599');
  });

  it('keeps the text of an applied file once: an earlier apply of the same path replays without it', () => {
    const apply = (content: string): ReplayEntry => ({ line: 'kubectl apply -f ~/edited/a.yaml', files: [{ path: 'edited/a.yaml', content }] });
    let j = appendJournal([], apply('v1'));
    j = appendJournal(j, 'export B=1');
    j = appendJournal(j, apply('v2'));
    expect(j).toEqual(['kubectl apply -f ~/edited/a.yaml', 'export B=1', apply('v2')]);
  });
});

describe('splitCommands', () => {
  it('keeps continuation lines, loops and here-documents together', () => {
    const text = "# comment\nkubectl apply -f a \\\n  -f b\nfor i in 1 2; do\n  echo $i\ndone\ncat <<EOF\nx\nEOF\n\necho end\n";
    expect(splitCommands(text)).toEqual(['kubectl apply -f a \\\n  -f b', 'for i in 1 2; do\n  echo $i\ndone', 'cat <<EOF\nx\nEOF', 'echo end']);
  });

  it('a backslash-quoted delimiter (<<\\EOF, as istio.io writes nginx.conf) is a here-document too', () => {
    expect(splitCommands("cat <<\\EOF > ./nginx.conf\nlog_format main '$remote_addr';\nEOF\necho end\n")).toEqual(["cat <<\\EOF > ./nginx.conf\nlog_format main '$remote_addr';\nEOF", 'echo end']);
  });
});
