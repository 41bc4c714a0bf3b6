/**
 * Input generators of the fuzzing suite, one per class, as fast-check arbitraries (seeded, so
 * a class, a seed and an index always give the same input).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { courseCommands, exampleManifests, exampleObjects } from './corpus';

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

// ---- YAML ------------------------------------------------------------------------------------

const YAML_JUNK = [':', ': ', '- ', '-', '[', ']', '{', '}', ',', '&a ', '*a', '*b', '<<: *a', '!!binary ', '!!python/object ', '!foo ', '? ', '|', '>', '|-', '"', "'", '#', '%YAML 1.2\n', '---\n', '...\n', '\t', '\r', '\r\n', '\u2028', '\ufeff', '\u0000', '\u0085', '~', 'null', 'yes', 'on', '0x1F', '0o17', '1e400', '-.inf', '.nan', '2001-12-14t21:59:43.10-05:00', '@', '`', '%', '\\', '"\\u12"', '__proto__: ', 'constructor: ', 'toString: ', 'valueOf: ', '\n  ', '\n', '        '];

/** An example manifest with a few random edits: lines deleted, duplicated or swapped, indentation changed, YAML syntax inserted, characters flipped. */
export const yamlMutation: fc.Arbitrary<string> = fc
  .tuple(
    pick(exampleManifests()),
    fc.array(fc.tuple(fc.nat(5), fc.nat(), fc.nat(), pick(YAML_JUNK), fc.integer({ min: 0, max: 0xffff })), { minLength: 1, maxLength: 6 }),
  )
  .map(([text, edits]) => {
    let lines = text.split('\n');
    for (const [op, a, b, junk, code] of edits) {
      const i = a % Math.max(1, lines.length);
      const j = b % Math.max(1, lines.length);
      const line = lines[i] ?? '';
      switch (op) {
        case 0:
          lines.splice(i, 1);
          break;
        case 1:
          lines.splice(i, 0, line);
          break;
        case 2:
          [lines[i], lines[j]] = [lines[j] ?? '', line];
          break;
        case 3:
          lines[i] = b % 2 ? ` ${line}` : line.replace(/^ /, '');
          break;
        case 4: {
          const at = b % (line.length + 1);
          lines[i] = line.slice(0, at) + junk + line.slice(at);
          break;
        }
        default: {
          const at = b % (line.length + 1);
          lines[i] = line.slice(0, at) + String.fromCharCode(code) + line.slice(at + 1);
        }
      }
    }
    lines = lines.slice(0, 5000);
    return lines.join('\n');
  });

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n';

/** Deep nesting in every YAML style: flow sequences and mappings, block indentation, mixes, closed or not. */
export const yamlDeep: fc.Arbitrary<string> = fc
  .tuple(fc.nat(7), fc.integer({ min: 1, max: 200_000 }), fc.boolean())
  .map(([style, depth, closed]) => {
    const d = style >= 4 ? Math.min(depth, 5000) : depth; // block styles grow quadratically in size
    switch (style) {
      case 0:
        return `${HEAD}data: ${'['.repeat(d)}${closed ? ']'.repeat(d) : ''}\n`;
      case 1:
        return `${HEAD}data: ${'{a: '.repeat(d)}1${closed ? '}'.repeat(d) : ''}\n`;
      case 2:
        return `${HEAD}data: ${'[{'.repeat(Math.ceil(d / 2))}a: 1${closed ? '}]'.repeat(Math.ceil(d / 2)) : ''}\n`;
      case 3:
        return `${HEAD}data:\n  x: ${'{"k": ['.repeat(Math.ceil(d / 2))}${closed ? ']}'.repeat(Math.ceil(d / 2)) : ''}\n`;
      case 4:
        return `${HEAD}data:\n${Array.from({ length: Math.min(d, 600) }, (_, i) => `${' '.repeat(2 + i)}k${i}:`).join('\n')} v\n`;
      case 5:
        return `${HEAD}data:\n${Array.from({ length: Math.min(d, 600) }, (_, i) => `${' '.repeat(2 + i * 2)}-`).join('\n')} v\n`;
      case 6:
        return `${HEAD}data: &a ${'[*a, '.repeat(Math.min(d, 2000))}1${closed ? ']'.repeat(Math.min(d, 2000)) : ''}\n`;
      default:
        return `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: v\nspec:\n  hosts: ${'['.repeat(d)}x${closed ? ']'.repeat(d) : ''}\n`;
    }
  });

/** Wide collections: many keys, labels, documents, list items or one very long scalar. */
export function wideYaml(style: number, n: number): string {
  switch (style) {
    case 0:
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: wide\nspec:\n  selector:\n${Array.from({ length: n }, (_, i) => `    "bad label ${i}!": "${'v'.repeat(i % 70)}"`).join('\n')}\n  ports:\n  - port: 80\n`;
    case 1:
      return Array.from({ length: Math.min(n, 6000) }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join('---\n');
    case 2:
      return `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: wide\nspec:\n  hosts:\n${Array.from({ length: n }, (_, i) => `  - h${i}.example.com`).join('\n')}\n  http:\n  - route:\n    - destination:\n        host: h0.example.com\n`;
    case 3:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  k: ${'x'.repeat(n * 20)}\n`;
    case 4:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\ndata:\n${Array.from({ length: n }, (_, i) => `  k${i % 100}: v`).join('\n')}\n`;
    case 5:
      return `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: routes\nspec:\n  hosts: [a]\n  http:\n${Array.from({ length: Math.min(n, 5000) }, (_, i) => `  - match:\n    - headers:\n        h${i}:\n          regex: "(a|a)*$"\n    route:\n    - destination:\n        host: a\n        subset: s${i}`).join('\n')}\n`;
    default:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k\n  labels:\n${Array.from({ length: Math.min(n, 20_000) }, (_, i) => `    l${i}: ${'-'.repeat(i % 90)}`).join('\n')}\n`;
  }
}

export const yamlWide: fc.Arbitrary<string> = fc.tuple(fc.nat(6), fc.integer({ min: 1, max: 60_000 })).map(([style, n]) => wideYaml(style, n));

// ---- type confusion --------------------------------------------------------------------------

const CONFUSING: unknown[] = [
  { toString: 'x', valueOf: 1 },
  { toString: { a: 1 }, valueOf: { b: 2 } },
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
  { hasOwnProperty: 1 },
  [],
  [[]],
  [{}],
  {},
  null,
  true,
  0,
  -1,
  1e308,
  -0,
  1.5,
  9007199254740993,
  '',
  ' ',
  'x'.repeat(300),
  '__proto__',
  'constructor',
  'toString',
  '0',
  'NaN',
  '*',
  '../../etc',
  '\u0000',
  { length: 1e9 },
  { '0': 'a', length: 1 },
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'length', '0', ''];

/** A JSON value containing prototype-named keys, built from JSON text so `__proto__` is an own key. */
function withProtoKey(key: string, value: unknown): unknown {
  return JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value ?? null)}}`);
}

function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (out.length > 400) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

/** An example object with values replaced by mappings, lists, numbers or prototype-named keys. */
export const typeConfusion: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(pick(exampleObjects()), fc.array(fc.tuple(fc.nat(), fc.nat(CONFUSING.length - 1), fc.nat(PROTO_KEYS.length - 1), fc.boolean()), { minLength: 1, maxLength: 4 }))
  .map(([obj, edits]) => {
    const copy = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
    for (const [p, c, k, proto] of edits) {
      const all = paths(copy);
      const path = all[p % all.length];
      const value = proto ? withProtoKey(PROTO_KEYS[k], CONFUSING[c]) : JSON.parse(JSON.stringify(CONFUSING[c] ?? null));
      if (path.length === 0) {
        Object.assign(copy, value && typeof value === 'object' ? value : { apiVersion: value });
        continue;
      }
      let parent: unknown = copy;
      for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
      if (parent && typeof parent === 'object') Object.defineProperty(parent, path[path.length - 1], { value, enumerable: true, configurable: true, writable: true });
    }
    return copy;
  });

/** The same objects as YAML text (what the editor and `kubectl apply` read). */
export const typeConfusionYaml: fc.Arbitrary<string> = typeConfusion.map((o) => {
  try {
    return stringify(o, { aliasDuplicateObjects: false });
  } catch {
    return JSON.stringify(o);
  }
});

// ---- shell -----------------------------------------------------------------------------------

const TOKENS = [
  'echo', 'cat', 'ls', 'grep', 'sed', 'awk', 'jq', 'sort', 'uniq', 'head', 'tail', 'wc', 'cut', 'tr', 'xargs', 'tee', 'seq', 'sleep', 'watch', 'printf', 'base64', 'column',
  'kubectl', 'istioctl', 'curl', 'openssl', 'sh', 'bash', 'source', 'cd', 'export', 'unset', 'read', 'test', '[', ']', 'exit', 'true', 'false', 'wait', 'history', 'env',
  'for', 'in', 'do', 'done', 'while', 'until', 'if', 'then', 'elif', 'else', 'fi', '{', '}', '(', ')', '!', 'case', 'esac', 'function',
  '|', '||', '&&', ';', ';;', '&', '\n', '<', '>', '>>', '2>&1', '&>', '<<<', '<<', '<<-', 'EOF', "'EOF'", '>&', '1>&2', '2>', '<(', '>(',
  '$', '$(', '`', '${', '$((', '))', '((', '$?', '$#', '$@', '$*', '$$', '$!', '$-', '$0', '$1', '$HOME', '$X', '"$X"', '${X:-', '${X:=y}', '${#X}', '${X%', '${X##*/}', '${X/a/b}', '${!X}', '${X[0]}',
  '"', "'", '\\', '\\\n', '#', '*', '?', '[a-', '[!x]', '[[:alpha:]]', '~', '~/', '..', '/', '/dev/null', '/tmp/x', '-', '--', '-n', '-1', '-e', '-f', '-o', '-w', '-k', '-E', '-i',
  '0', '1', '-0', '99999999999999999999', '2**63', '1/0', 'NaN', 'X=1', 'X=', 'IFS=', 'PATH=', 'a', 'b', 'yaml', 'json', 'pods', 'svc', '-A', '-n', 'demo', 'default', 'istio-system',
  '{.items[*].metadata.name}', "'{print $1}'", "'s/a/b/g'", "'.[]'", "'/x/'", 'http://example.com/', 'http://$UNSET/', '\u0000', '\u001b[31m', 'é', '😀', '\t', '  ',
];

/** Random sequences of shell tokens. */
export const shellSoup: fc.Arbitrary<string> = fc.array(pick(TOKENS), { minLength: 1, maxLength: 30 }).chain((toks) => fc.array(fc.boolean(), { minLength: toks.length, maxLength: toks.length }).map((spaces) => toks.map((t, i) => (spaces[i] ? `${t} ` : t)).join('')));

/** Lines from the lessons with random edits: characters deleted or inserted, words swapped for tokens. */
export const courseMutation: fc.Arbitrary<string> = fc
  .tuple(pick(courseCommands()), fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.nat(), pick(TOKENS)), { minLength: 0, maxLength: 4 }))
  .map(([line, edits]) => {
    let s = line;
    for (const [op, a, b, tok] of edits) {
      const i = a % (s.length + 1);
      if (op === 0) s = s.slice(0, i) + s.slice(i + 1 + (b % 4));
      else if (op === 1) s = s.slice(0, i) + tok + s.slice(i);
      else if (op === 2) {
        const words = s.split(' ');
        words[b % words.length] = tok;
        s = words.join(' ');
      } else s = s.slice(0, i) + s.slice(i, i + 1 + (b % 8)).repeat(2 + (b % 5)) + s.slice(i);
    }
    return s;
  });

const OPENERS: [string, string][] = [
  ['$(', ')'],
  ['${X:-', '}'],
  ['$((', '))'],
  ['$((1+(', '))'],
  ['"$(', ')"'],
  ['( ', ' )'],
  ['{ ', '; }'],
  ['`echo ', '`'],
  ['$(echo ', ')'],
  ['${#', '}'],
  ['if true; then ', '; fi'],
  ['for i in 1; do ', '; done'],
  ['while false; do ', '; done'],
  ['$[', ']'],
  ['((', '))'],
  ['$(( (', ') ))'],
  ['${X%', '}'],
  ['[[ ', ' ]]'],
];

/** Deep `$( )`, `${ }`, arithmetic, subshell and compound-command nesting, closed or cut short. */
export const shellNesting: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.nat(OPENERS.length - 1), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 6000 }), fc.nat(2), pick(['echo a', '1', 'X', '2**62', 'a', '']))
  .map(([kinds, depth, close, core]) => {
    let open = '';
    let shut = '';
    for (let i = 0; i < depth; i++) {
      const [o, c] = OPENERS[kinds[i % kinds.length]];
      open += o;
      shut = c + shut;
    }
    const cut = close === 0 ? shut : close === 1 ? shut.slice(0, shut.length >> 1) : '';
    return `echo ${open}${core}${cut}`;
  });

/** Many here-documents: per line, in a row, unterminated, quoted, with tabs, with expansions. */
export const heredocs: fc.Arbitrary<string> = fc.tuple(fc.nat(5), fc.integer({ min: 1, max: 20_000 }), pick(['EOF', "'EOF'", '"E"', 'E\\OF', '-', ''])).map(([style, n, delim]) => {
  const d = delim.replace(/['"\\]/g, '');
  switch (style) {
    case 0:
      return Array.from({ length: n }, (_, i) => `cat <<${delim}\nline ${i} $X $(echo x)\n${d}`).join('\n');
    case 1:
      return `cat ${'<<E '.repeat(Math.min(n, 40))}\n${'x\nE\n'.repeat(Math.min(n, 40))}`;
    case 2:
      return `cat <<${delim}\n${'line\n'.repeat(n)}`;
    case 3:
      return `cat <<-${delim}\n${'\t\tx\n'.repeat(n)}\t${d}\n`;
    case 4:
      return `${'cat <<E | '.repeat(Math.min(n, 200))}cat\n${'y\nE\n'.repeat(Math.min(n, 200))}`;
    default:
      return `kubectl apply -f - <<${delim}\n${'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n'.repeat(Math.min(n, 3000))}${d}\n`;
  }
});

/** Recursion, fork bombs and endless loops: each must stop at a budget or at Ctrl-C. */
export const bombs: fc.Arbitrary<string> = fc.tuple(fc.nat(24), fc.integer({ min: 1, max: 100_000 })).map(([kind, n]) => {
  // shell functions: endless recursion (direct, mutual, through pipes, jobs, subshells and
  // substitutions) and fork bombs under any name
  const f = [':', 'f', 'bomb', '_', 'a.b', 'x-y'][n % 6];
  switch (kind) {
    case 14:
      return `${f}(){ ${f}; }; ${f}`;
    case 15:
      return `function ${f} { ${f} | ${f} & }; ${f}`;
    case 16:
      return `${f}() { echo $1; ${f} $(( $1 + 1 )); }; ${f} 0`;
    case 17:
      return `${f}() { local x=$1; ${f} "$x$x"; }; ${f} ${'a'.repeat(1 + (n % 9))}`;
    case 18:
      return `FUNCNEST=${1 + (n % 50)}; ${f}() { ${f}; }; ${f}; echo $?`;
    case 19:
      return `${f}() { ${f} & ${f}; }; ${f}`;
    case 20:
      return `ping() { pong "$@" x; }; pong() { ping "$@"; }; ping ${n}`;
    case 21:
      return `${f}() { while true; do ${f}; done; }; ${f}`;
    case 22:
      return `${f}() { ( ${f} ); }; ${f}`;
    case 23:
      return `${f}() { echo $(${f}); }; ${f}`;
    case 24:
      return `${f}() { for i in $(seq 1 ${n}); do ${f} | cat; done; return 1; }; ${f}`;
    case 0:
      return 'while true; do :; done';
    case 1:
      return `until false; do echo ${n}; done`;
    case 2:
      return "echo 'sh /tmp/r.sh' > /tmp/r.sh; sh /tmp/r.sh";
    case 3:
      return ':(){ :|:& };:';
    case 4:
      return `for i in $(seq 1 ${n * 10}); do for j in $(seq 1 ${n}); do true; done; done`;
    case 5:
      return "echo 'source /tmp/s.sh' > /tmp/s.sh; source /tmp/s.sh";
    case 6:
      return `X=a; for i in $(seq 1 ${30 + (n % 20)}); do X=$X$X; done; echo \${#X}`;
    case 7:
      return 'while true; do kubectl get pods >/dev/null; done';
    case 8:
      return `watch -n ${['-1', '0', '0.01', 'x', '1e9', ''][n % 6]} echo hi`;
    case 9:
      return 'kubectl get pods -w';
    case 10:
      return "echo 'bash -c \"sh /tmp/b.sh | sh /tmp/b.sh\"' > /tmp/b.sh; sh /tmp/b.sh";
    case 11:
      return `sleep ${['infinity', '1e9', '99999d', '-1', '0.0000001'][n % 5]}; echo done`;
    case 12:
      return `X=$(seq 1 ${n}); while true; do X="$X$X"; done`;
    default:
      return 'while :; do (while :; do :; done &); done';
  }
});

/** Commands with a lot of output, in pipes, substitutions, files and loops. */
export const hugeOutput: fc.Arbitrary<string> = fc.tuple(fc.nat(8), fc.integer({ min: 1, max: 2_000_000 })).map(([kind, n]) => {
  switch (kind) {
    case 0:
      return `seq 1 ${n}`;
    case 1:
      return `seq 1 ${n} | sort -rn | uniq -c | tail -3`;
    case 2:
      return `X=$(seq 1 ${Math.min(n, 200_000)}); echo "$X$X$X$X" | wc -c`;
    case 3:
      return `printf '%0${Math.min(n, 10_000_000)}d\\n' 1 | wc -c`;
    case 4:
      return `for i in $(seq 1 ${Math.min(n, 20_000)}); do echo "line $i ${'x'.repeat(200)}"; done | tail -1`;
    case 5:
      return `seq 1 ${Math.min(n, 500_000)} > /tmp/big; cat /tmp/big /tmp/big /tmp/big > /tmp/big2; wc -l /tmp/big2`;
    case 6:
      return `yes | head -${n}`;
    case 7:
      return `seq 1 ${Math.min(n, 300_000)} | tee /tmp/t | grep -c 7`;
    default:
      return `seq 1 ${Math.min(n, 100_000)} | xargs echo | wc -c`;
  }
});

const REGEXES = ['(a|a)*$', '([a-z]+)*[0-9]', '(a*)*b', '(x+x+)+y', '^(([a-z])+.)+[A-Z]([a-z])+$', '(.*a){12}', 'a{1000}', 'a{1,65536}', '[', '(', ')', '*', '+a', 'a**', '\\', '[[:alpha:]]+', '[[:nope:]]', '\\(a\\)\\1', '(?=a)', '(?<x>a)', '\\d+', 'x{2,1}', '^$', '.', '\\b\\w+\\b', '[z-a]', '(|)', 'é+', '\\p{L}'];
const TEXTS = ['a'.repeat(41) + '!', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', 'x'.repeat(5000), 'hello world\nfoo bar 123\n', 'ééé😀\n', '\n\n\n', 'a,b,c\n1,2,3\n'];

/** grep, awk, sed, jq and friends with hostile or invalid regular expressions on hostile lines. */
export const regexTools: fc.Arbitrary<string> = fc.tuple(fc.nat(9), pick(REGEXES), pick(TEXTS), fc.nat(40)).map(([tool, re, text, reps]) => {
  const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  const input = `printf '%s\\n' ${q(text.repeat(1 + reps))}`;
  switch (tool) {
    case 0:
      return `${input} | grep -E ${q(re)}`;
    case 1:
      return `${input} | grep ${q(re)}`;
    case 2:
      return `${input} | awk ${q(`/${re.replace(/\//g, '\\/')}/`)}`;
    case 3:
      return `${input} | sed ${q(`s/${re.replace(/\//g, '\\/')}/X/g`)}`;
    case 4:
      return `${input} | sed -n ${q(`/${re.replace(/\//g, '\\/')}/p`)}`;
    case 5:
      return `${input} | grep -o -E ${q(re)} | head -3`;
    case 6:
      return `${input} | awk -F ${q(re)} '{print $1, NF}'`;
    case 7:
      return `X=${q(text)}; echo "\${X%%${re}}"`;
    case 8:
      return `echo '{"a":${JSON.stringify(text)}}' | jq -r ${q(`.a | select(test(${JSON.stringify(re)}))`)}`;
    default:
      return `${input} | tr -s ${q(re)} x | cut -d ${q(re.slice(0, 1) || ',')} -f1`;
  }
});

const VERBS = ['get', 'describe', 'apply', 'create', 'delete', 'logs', 'exec', 'run', 'label', 'scale', 'rollout', 'wait', 'config', 'port-forward', 'api-resources', 'version', 'patch', 'edit', 'top', 'set', 'explain', 'cp'];
const KUBE_ARGS = ['pods', 'po', 'svc', 'deploy', 'vs', 'dr', 'gw', 'se', 'ns', 'all', 'events', 'cm', 'secret', 'foo', 'pods/x', 'deploy/service-a', 'service-a', '-n', 'demo', '-A', '-o', 'yaml', 'json', 'wide', 'name', "jsonpath='{.items[*].metadata.name}'", "jsonpath='{'", "jsonpath='{.a[?(@.x==\"y\")].b}'", 'custom-columns=N:.metadata.name', 'custom-columns=', '-l', 'app=x', "'!!!'", 'a in (b', '-L', '--show-labels', '-w', '--timeout=-1s', '--timeout=99999h', '--replicas=-1', '--replicas=1e9', '--tail=-5', '--since=x', '-c', 'istio-proxy', '--', 'sh', '-c', "'echo x'", '-f', '-', 'examples/', '/dev/null', '/nonexistent/x', '--dry-run=server', '--for=condition=Ready', '--all', '--image=x', '--type', 'merge', '-p', "'{\"spec\":1}'", '--context', 'x', '-i', '-t', '--', 'env', '=', '--=', '-', '---', '-o=', "--field-selector=status.phase!=Running"];
const ISTIO = ['install', '-y', '--set', 'profile=demo', 'meshConfig.accessLogFile=/dev/stdout', 'values.x=[', 'analyze', '-A', 'proxy-config', 'routes', 'clusters', 'listeners', 'endpoints', 'secret', 'all', 'deploy/service-a', 'x.y', '-n', 'demo', '--name', '80', '-o', 'json', 'yaml', 'x', 'describe', 'pod', 'proxy-status', 'version', 'precheck', '--fqdn', '--port', '-1', '--cluster', '"outbound|80||x"'];
const CURL = ['-s', '-S', '-v', '-i', '-I', '-D', '-', '-H', "'Host: x'", "'x'", "':'", '-X', 'DELETE', '-d', '@/tmp/none', '-o', '/dev/null', '-w', "'%{http_code}'", "'%{'", '-m', '-1', '0', '-L', '-f', '-k', '--cacert', '/nonexistent', '--resolve', 'a:80:1.2.3.4', 'x:y:z', '--connect-to', '::', 'http://example.com/', 'http://$UNSET/', 'http://', 'http://[::1/', 'http://a:99999/', 'https://httpbin.org/status/418', 'http://10.96.0.1/', 'http://service-a.demo/', 'ftp://x/', '://', 'http://a b/', "http://%41/", 'localhost:-1', '--retry', '1e9', '--http2', '-A', ''];

/** kubectl, istioctl and curl with random verbs, resources, flags and values. */
export const cliGrammar: fc.Arbitrary<string> = fc.tuple(fc.nat(2), fc.array(fc.nat(1000), { minLength: 0, maxLength: 10 }), pick(VERBS)).map(([tool, idx, verb]) => {
  if (tool === 0) return `kubectl ${verb} ${idx.map((i) => KUBE_ARGS[i % KUBE_ARGS.length]).join(' ')}`;
  if (tool === 1) return `istioctl ${idx.map((i) => ISTIO[i % ISTIO.length]).join(' ')}`;
  return `curl ${idx.map((i) => CURL[i % CURL.length]).join(' ')}`;
});

// ---- snapshots -------------------------------------------------------------------------------

export interface SnapshotEdit {
  path: number;
  op: number;
  value: number;
}

/** Edits to apply to a real snapshot (see targets.ts: the snapshot is taken once per run). */
export const snapshotEdits: fc.Arbitrary<SnapshotEdit[]> = fc.array(fc.record({ path: fc.nat(), op: fc.nat(4), value: fc.nat(CONFUSING.length - 1) }), { minLength: 1, maxLength: 4 });

export const CONFUSING_VALUES = CONFUSING;
export const PROTO_KEY_NAMES = PROTO_KEYS;
