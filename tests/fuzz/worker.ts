/** Child process of `npm run fuzz`: runs a range of one class's inputs and reports each verdict. */
import { CLASSES, judgeAt } from './harness';
import { SandboxPool } from './targets';

interface Job {
  className: string;
  seed: number;
  from: number;
  to: number;
  patienceMs: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as Job;
  const send = (m: unknown): Promise<void> => new Promise((resolve) => process.send!(m, () => resolve()));
  const cls = CLASSES.find((c) => c.name === job.className)!;
  const pool = new SandboxPool();
  for (let i = job.from; i < job.to; i++) {
    await send({ type: 'start', index: i });
    const { input, verdict } = await judgeAt(cls, job.seed, i, pool, job.patienceMs);
    await send({ type: 'done', index: i, verdict, input: verdict.kind === 'crash' || verdict.kind === 'hang' ? input.slice(0, 400) : '' });
  }
}

void main().then(() => process.disconnect());
