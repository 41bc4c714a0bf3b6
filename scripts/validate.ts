/**
 * CLI over src/validation, used by CI on examples/:
 *
 *   npm run --silent validate -- [--json] [--together] [--baseline=none] [--suppress=CODE,…] PATH…
 *
 * PATH is a file or a folder (searched recursively for *.yaml / *.yml). Files are analyzed
 * together with the other manifests of their folder (a folder is one scenario applied as a
 * whole); --together analyzes all given files as one set. Prints one line per diagnostic,
 * `file:line:column: severity CODE message`, then a summary; --json prints an array of
 * {file, line, column, endLine, endColumn, severity, code, message} instead. Exit code 1 if any
 * error was found, 2 on a usage problem.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseManifests, validateText, type Baseline, type Diagnostic, type KubeObjectLike } from '../src/validation/index';

interface Options {
  json: boolean;
  together: boolean;
  baseline: Baseline;
  suppress: string[];
  paths: string[];
}

function usage(msg?: string): never {
  if (msg) console.error(`validate: ${msg}`);
  console.error('usage: validate [--json] [--together] [--baseline=istio-default|none] [--suppress=CODE,...] PATH...');
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, together: false, baseline: 'istio-default', suppress: [], paths: [] };
  for (const a of argv) {
    if (a === '--json') o.json = true;
    else if (a === '--together') o.together = true;
    else if (a.startsWith('--baseline=')) {
      const b = a.slice('--baseline='.length);
      if (b !== 'istio-default' && b !== 'none') usage(`unknown baseline ${b}`);
      o.baseline = b;
    } else if (a.startsWith('--suppress=')) o.suppress.push(...a.slice('--suppress='.length).split(',').filter(Boolean));
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else o.paths.push(a);
  }
  if (!o.paths.length) usage('no PATH given');
  return o;
}

const YAML_FILE = /\.ya?ml$/i;

function collect(path: string, out: string[]): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    usage(`${path}: no such file or directory`);
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(path, name);
      const s = statSync(p);
      if (s.isDirectory() || YAML_FILE.test(name)) collect(p, out);
    }
  } else out.push(path);
}

interface Row {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const files: string[] = [];
  for (const p of opts.paths) collect(p, files);
  const unique = [...new Set(files.map((f) => resolve(f)))];
  const texts = new Map<string, string>();
  for (const f of unique) {
    try {
      texts.set(f, readFileSync(f, 'utf8'));
    } catch {
      usage(`${f}: cannot be read`);
    }
  }

  const groups = new Map<string, string[]>();
  for (const f of unique) {
    const key = opts.together ? '' : dirname(f);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }

  const rows: Row[] = [];
  const started = performance.now();
  const objects = new Map<string, KubeObjectLike[]>();
  for (const f of unique) objects.set(f, parseManifests(texts.get(f)!));
  // Each file is checked against the other manifests of its folder and, as background the
  // scenarios build on, the manifests of the other folders given (never reported on).
  for (const group of groups.values()) {
    const others = unique.filter((g) => !group.includes(g)).flatMap((g) => objects.get(g)!);
    for (const f of group) {
      const context = [...others, ...group.filter((g) => g !== f).flatMap((g) => objects.get(g)!)];
      const result = validateText(texts.get(f)!, { context, baseline: opts.baseline, suppress: opts.suppress });
      const shown = relative(process.cwd(), f) || f;
      for (const d of result.diagnostics) {
        rows.push({
          file: shown,
          line: d.range?.start.line ?? 1,
          column: d.range?.start.column ?? 1,
          endLine: d.range?.end.line ?? 1,
          endColumn: d.range?.end.column ?? 1,
          severity: d.severity,
          code: d.code,
          message: d.message,
        });
      }
    }
  }
  const ms = performance.now() - started;
  const errors = rows.filter((r) => r.severity === 'error').length;
  const warnings = rows.filter((r) => r.severity === 'warning').length;
  const infos = rows.filter((r) => r.severity === 'info').length;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    for (const r of rows) console.log(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}`);
    console.log(`${unique.length} files checked in ${ms.toFixed(0)} ms: ${errors} errors, ${warnings} warnings, ${infos} info`);
  }
  process.exitCode = errors > 0 ? 1 : 0;
}

/**
 * Whatever happens, `--json` prints JSON: an unexpected failure becomes one row with code
 * INTERNAL (and exit status 2) instead of a stack trace.
 */
function guardedMain(): void {
  try {
    main();
  } catch (e) {
    const message = `validate: internal error while checking the files (${e instanceof Error ? e.name : typeof e})`;
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify([{ file: '', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'INTERNAL', message }], null, 2)}\n`);
    else console.error(message);
    process.exitCode = 2;
  }
}

guardedMain();
