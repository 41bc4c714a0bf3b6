/**
 * The workshop server (issue #14): the built site, rooms, and a sandbox per participant.
 *
 *   npm run workshop -- --port PORT [--host 127.0.0.1] [--data DIR] [--cluster KUBECONFIG]
 *                       [--allow-origin https://proxy.example ...] [--threads N] [--stuck-minutes N]
 *                       [--retention-days N]
 *
 * Prints the instructor key (or takes WORKSHOP_INSTRUCTOR_KEY) and the addresses. State (rooms,
 * participants, snapshots) lives in --data (default ./workshop-data), so a restart resumes.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClusterMode, ClusterModule } from '../src/workshop/clusterMode';
import { startWorkshopServer } from '../src/workshop/server';

function fail(message: string): never {
  process.stderr.write(`workshop: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const values = (name: string): string[] => args.flatMap((a, i) => (a === name && args[i + 1] !== undefined ? [args[i + 1]] : []));
  const opt = (name: string): string | undefined => values(name)[0];
  const port = Number(opt('--port') ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port: a port number');
  const threads = opt('--threads') === undefined ? undefined : Number(opt('--threads'));
  const stuck = opt('--stuck-minutes') === undefined ? undefined : Number(opt('--stuck-minutes'));
  const retention = opt('--retention-days') === undefined ? undefined : Number(opt('--retention-days'));
  if (retention !== undefined && !(retention >= 0)) fail('--retention-days: a number of days (0 or more)');
  const siteDir = resolve('build');
  if (!existsSync(siteDir)) process.stderr.write('workshop: build/ is missing — run `npm run build` first; serving the API only\n');
  const dataDir = resolve(opt('--data') ?? 'workshop-data');
  let cluster: ClusterMode | undefined;
  const kubeconfig = opt('--cluster');
  if (kubeconfig !== undefined) {
    // src/workshop/cluster/index.ts exports createClusterMode (see src/workshop/clusterMode.ts)
    const modulePath = '../src/workshop/cluster/index';
    const mod = (await import(modulePath).catch(() => undefined)) as ClusterModule | undefined;
    if (!mod?.createClusterMode) fail('--cluster: the real-cluster mode (src/workshop/cluster) is not available in this build');
    cluster = await mod.createClusterMode(resolve(kubeconfig), { dataDir, examplesDir: resolve('examples') }).catch((e: unknown) => fail(`--cluster: ${e instanceof Error ? e.message : String(e)}`));
  }
  const server = await startWorkshopServer({
    port,
    host: opt('--host') ?? '127.0.0.1',
    dataDir,
    examplesDir: resolve('examples'),
    samplesDir: resolve('samples'),
    siteDir: existsSync(siteDir) ? siteDir : undefined,
    instructorKey: process.env.WORKSHOP_INSTRUCTOR_KEY || undefined,
    allowOrigins: values('--allow-origin'),
    threads,
    stuckMinutes: stuck,
    retentionDays: retention,
    cluster,
  });
  process.stdout.write(
    [
      `Workshop server: ${server.url}/`,
      `Instructor key:  ${server.instructorKey}`,
      '',
      'Create a room:',
      `  curl -s -X POST ${server.url}/api/rooms -H "Authorization: Bearer ${server.instructorKey}" \\`,
      `       -H 'content-type: application/json' -d '{"title":"Istio","lessons":["practice/resilience"],"capacity":30,"durationMinutes":180}'`,
      `Participants open ${server.url}/room/?code=CODE; the instructor ${server.url}/room/instructor/?code=CODE`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    process.stdout.write('workshop: stopping (state saved)\n');
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
