/**
 * Benchmark of the workshop server (src/workshop): N simulated participants, each joining a room
 * and running the resilience lesson's first steps over a real WebSocket (the page's own client
 * and SandboxConnection), with a person's pause between commands. Prints, per N: the p50/p99
 * latency from sending a command line to its exit (commands that wait on purpose — rollout
 * status, sleep, kubectl wait — are counted apart), the time to a ready sandbox, and the server
 * process's peak RSS (the server runs as a child process: `node --import tsx scripts/workshop.ts`).
 *
 *   npm run bench:workshop [-- --sizes 50,100,200] [--think-ms 10000] [--threads N]
 *
 * The pause before each command is uniform in 0.5–1.5 × --think-ms. The default, 10 s (5–15 s),
 * is a workshop's pace: a person reads the step, then presses its run button or types the
 * command; `--think-ms 1000` (0.5–1.5 s) is a stress test — everyone firing a command a second.
 *
 * Goal (issue #14): 200 participants with p99 < 200 ms on 2 cores.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lessonBashBlocks } from '../src/terminal/testSupport';
import { splitCommands } from '../src/terminal/splitCommands';
import type { WorkshopServer } from '../src/workshop/server';
import { createRoom, join as joinRoom, participant } from '../src/workshop/testSupport';

const KEY = 'bench-instructor-key';
const WAITS = /rollout status|kubectl wait|\bsleep\b/;
/** The lesson's first blocks: setup (apply, rollout), a request, the retries step's env change and its 20 requests. */
const BLOCKS = 4;

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
};
const pct = (xs: number[], p: number): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] : NaN);
const ms = (x: number): string => (Number.isNaN(x) ? '—' : `${x.toFixed(0)} ms`);
const sleep = (t: number): Promise<void> => new Promise((r) => setTimeout(r, t));

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function startServer(threads: string | undefined): Promise<{ child: ChildProcess; url: string; data: string }> {
  const data = mkdtempSync(join(tmpdir(), 'bench-workshop-'));
  const args = ['--import', 'tsx', 'scripts/workshop.ts', '--port', '0', '--data', data, ...(threads ? ['--threads', threads] : [])];
  const child = spawn(process.execPath, args, { env: { ...process.env, WORKSHOP_INSTRUCTOR_KEY: KEY }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the workshop server did not start in 60 s')), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Workshop server: (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the workshop server exited (${code})`)));
  });
  child.stdout!.resume();
  return { child, url, data };
}

async function run(n: number, thinkMs: number, threads: string | undefined): Promise<void> {
  const { child, url, data } = await startServer(threads);
  // the helpers take a server handle; only its url and key are used over the network
  const server = { url, instructorKey: KEY } as WorkshopServer;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 250);
  const lines = lessonBashBlocks('docs/practice/resilience.mdx').slice(0, BLOCKS).flatMap(splitCommands);
  const instant: number[] = [];
  const waiting: number[] = [];
  const readies: number[] = [];
  let failures = 0;
  try {
    // wait until the pool is warm (state "ready")
    const room = await createRoom(server, { capacity: n, durationMinutes: 120, title: `bench ${n}` });
    for (let i = 0; i < 120; i++) {
      const info = (await (await fetch(`${url}/api/rooms/${room.code}`)).json()) as { state: string };
      if (info.state === 'ready') break;
      await sleep(500);
    }
    const idle = rssMb(child.pid!);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await sleep((i * 20) % 2000); // people arrive over a couple of seconds
        const answer = await joinRoom(server, room.code, `Участник ${i + 1}`);
        const p = participant(server, answer.token);
        try {
          const t0 = performance.now();
          await p.conn.start('resilience');
          readies.push(performance.now() - t0);
          for (const line of lines) {
            await sleep(thinkMs * (0.5 + Math.random()));
            const t = performance.now();
            const code = await p.conn.run(line);
            (WAITS.test(line) ? waiting : instant).push(performance.now() - t);
            if (code !== 0) failures++;
          }
        } finally {
          p.close();
        }
      }),
    );
    const wall = (Date.now() - started) / 1000;
    process.stdout.write(
      [
        `N=${n}: ${instant.length + waiting.length} commands in ${wall.toFixed(1)} s (${lines.length} per participant, think ${thinkMs} ms, ${failures} exited non-zero)`,
        `  command → exit, p50 ${ms(pct(instant, 50))}, p99 ${ms(pct(instant, 99))}, max ${ms(Math.max(...instant))}   (${instant.length} commands that do not wait on purpose)`,
        `  waiting commands (rollout status): p50 ${ms(pct(waiting, 50))}, p99 ${ms(pct(waiting, 99))}`,
        `  start → ready: p50 ${ms(pct(readies, 50))}, p99 ${ms(pct(readies, 99))}`,
        `  server RSS: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (${((peak - idle) / n).toFixed(1)} MB per participant)`,
        `  target: p99 < 200 ms → ${pct(instant, 99) < 200 ? 'met' : 'MISSED'}`,
        '',
      ].join('\n'),
    );
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(data, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = arg('--sizes', '50,100,200').split(',').map(Number);
  const think = Number(arg('--think-ms', '10000'));
  const threads = process.argv.includes('--threads') ? arg('--threads', '') : undefined;
  process.stdout.write(`workshop bench: resilience lesson, first ${BLOCKS} blocks per participant\n`);
  for (const n of sizes) await run(n, think, threads);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-workshop: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
