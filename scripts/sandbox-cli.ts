/**
 * Headless sandbox.
 *
 *   npm run --silent sandbox -- --script FILE [--seed N] [--mount DIR] [--think SECONDS] [--real-time] [--strict]
 *   npm run sandbox                          (interactive shell in this terminal)
 *
 * --script runs the file's commands one by one and prints a transcript: each command after
 * "$ ", then its output. Lines ending in "\" and here-documents belong to one command.
 * --mount DIR makes DIR's files available under ~/examples (default: ./examples).
 * --think S lets S seconds of virtual time pass after each command (default 2), as a person
 * reading the output would; pods started by one command are running a few commands later.
 * --strict exits with the status of the last command.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Sandbox } from '../src/sandbox/sandbox';
import { RealClock } from '../src/sandbox/core/clock';

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.size < 2 * 1024 * 1024) out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Splits a script into command units: continuation lines and here-documents stay together. */
export function splitCommands(text: string): string[] {
  const lines = text.split('\n');
  const units: string[] = [];
  let cur: string[] = [];
  let heredoc: string[] = [];
  let depth = 0;
  for (const line of lines) {
    if (heredoc.length) {
      cur.push(line);
      const want = heredoc[0];
      if (line.replace(/^\t+/, '') === want) heredoc.shift();
      if (heredoc.length === 0 && depth === 0 && !line.endsWith('\\')) {
        units.push(cur.join('\n'));
        cur = [];
      }
      continue;
    }
    if (cur.length === 0 && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    cur.push(line);
    for (const m of line.matchAll(/<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/g)) heredoc.push(m[2]);
    const opens = (line.match(/\b(do|then)\b|\{\s*$/g) ?? []).length;
    const closes = (line.match(/\b(done|fi)\b|^\s*\}/g) ?? []).length;
    depth = Math.max(0, depth + opens - closes);
    if (heredoc.length === 0 && depth === 0 && !line.endsWith('\\') && !/(\||&&|\|\|)\s*$/.test(line)) {
      units.push(cur.join('\n'));
      cur = [];
    }
  }
  if (cur.length) units.push(cur.join('\n'));
  return units;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const mount = resolve(opt('--mount') ?? 'examples');
  let examples: Record<string, string> = {};
  try {
    examples = readTree(mount);
  } catch {
    if (opt('--mount')) {
      process.stderr.write(`sandbox: cannot read ${mount}\n`);
      process.exit(2);
    }
  }
  const seed = Number(opt('--seed') ?? '1');
  const script = opt('--script');
  const realTime = args.includes('--real-time') || !script;
  const thinkMs = realTime ? 0 : Number(opt('--think') ?? '2') * 1000;
  const sb = new Sandbox({ seed, examples, clock: realTime ? new RealClock() : undefined });
  if (script) {
    const text = readFileSync(script, 'utf8');
    let status = 0;
    let last = '\n';
    const write = (s: string): void => {
      if (s) {
        process.stdout.write(s);
        last = s[s.length - 1];
      }
    };
    for (const unit of splitCommands(text)) {
      // a command whose output did not end with a newline (curl -s of "no healthy upstream") must not glue onto the next prompt
      if (last !== '\n') write('\n');
      write(`$ ${unit}\n`);
      status = await sb.run(unit, write, write);
      // a person reads the output before typing the next command: let the cluster's time pass
      if (thinkMs > 0) await sb.cluster.advance(thinkMs);
    }
    if (last !== '\n') write('\n');
    process.exit(args.includes('--strict') ? status : 0);
  }
  // interactive
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'learner@sandbox:~$ ', terminal: process.stdin.isTTY });
  sb.shell.onClear = () => process.stdout.write('\x1b[2J\x1b[H');
  let running = false;
  rl.on('SIGINT', () => {
    if (running) sb.interrupt();
    else {
      process.stdout.write('^C\n');
      rl.prompt();
    }
  });
  let buffer = '';
  rl.prompt();
  for await (const line of rl) {
    buffer = buffer ? `${buffer}\n${line}` : line;
    if (splitCommands(`${buffer}\n`).length === 0 && buffer.trim() !== '') {
      continue;
    }
    const complete = splitCommands(buffer);
    const unfinished = buffer.endsWith('\\') || /<<-?\s*['"]?\w+/.test(buffer) && complete.length === 1 && !new RegExp(`\\n${(buffer.match(/<<-?\s*['"]?(\w+)/) ?? [])[1]}\\s*$`).test(buffer);
    if (unfinished) {
      process.stdout.write('> ');
      continue;
    }
    running = true;
    await sb.run(buffer, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    running = false;
    buffer = '';
    rl.prompt();
  }
}

void main();
