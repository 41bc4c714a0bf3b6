/**
 * busybox wget (networking/wget.c), as alpine-based images have it: `wget [-q] [-O FILE|-] [-S] URL`.
 * The request is made by the sandbox's curl (through the pod's sidecar when run in a pod); the
 * messages are busybox's: "Connecting to HOST (IP:PORT)", "writing to stdout" / "saving to 'F'",
 * the progress line, "written to stdout" / "'F' saved"; errors "wget: server returned error:
 * HTTP/1.1 404 Not Found", "wget: bad address 'HOST'", "wget: can't connect to remote host (IP): Connection refused".
 */
import { reasonPhrase } from '../network/http';
import type { CommandSpec } from './types';

export function wgetCommand(curl: CommandSpec): CommandSpec {
  return {
    name: 'wget',
    summary: 'busybox wget: fetch a URL',
    run: async (ctx) => {
      let quiet = false;
      let output: string | undefined;
      const headers: string[] = [];
      let url: string | undefined;
      const args = ctx.argv.slice(1);
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === '-O' || a === '--output-document') output = args[++i] ?? '';
        else if (a.startsWith('--output-document=')) output = a.slice(18);
        else if (a === '--header') headers.push(args[++i] ?? '');
        else if (a === '-q' || a === '--quiet') quiet = true;
        else if (/^-[qS]*O./.test(a)) {
          quiet ||= a.includes('q');
          output = a.slice(a.indexOf('O') + 1);
        } else if (/^-[qS]+$/.test(a)) quiet ||= a.includes('q');
        else if (a.startsWith('-')) {
          ctx.err(`wget: unrecognized option '${a}'\nBusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n`);
          return 1;
        } else url ??= a;
      }
      if (!url) {
        ctx.err('BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n');
        return 1;
      }
      const full = /^[a-z]+:\/\//.test(url) ? url : `http://${url}`;
      const host = full.replace(/^[a-z]+:\/\//, '').replace(/[/:?#].*$/, '');
      let body = '';
      const argv = ['curl', '-s', '-A', 'Wget', ...headers.flatMap((h) => ['-H', h]), '-w', '\n%{http_code} %{remote_ip}:%{remote_port}', full];
      const code = await curl.run({ ...ctx, argv, out: (s) => (body += s), err: () => undefined });
      const nl = body.lastIndexOf('\n');
      const [status, addr] = body.slice(nl + 1).split(' ');
      body = body.slice(0, nl);
      const say = (s: string): void => {
        if (!quiet) ctx.err(s);
      };
      if (code === 6) {
        ctx.err(`wget: bad address '${host}'\n`);
        return 1;
      }
      if (code !== 0) {
        say(`Connecting to ${host} (${addr})\n`);
        ctx.err(`wget: can't connect to remote host (${addr.replace(/:\d*$/, '')}): Connection refused\n`);
        return 1;
      }
      say(`Connecting to ${host} (${addr})\n`);
      const st = Number(status);
      if (st >= 400) {
        ctx.err(`wget: server returned error: HTTP/1.1 ${st} ${reasonPhrase(st)}\n`);
        return 1;
      }
      const file = output ?? (full.replace(/[?#].*$/, '').split('/').slice(3).pop() || 'index.html');
      const bar = (name: string): string => `${name.padEnd(20).slice(0, 20)} 100% |${'*'.repeat(32)}| ${String(body.length).padStart(5)}  0:00:00 ETA\n`;
      if (file === '-') {
        say('writing to stdout\n');
        ctx.out(body);
        say(`${bar('-')}written to stdout\n`);
        return 0;
      }
      const abs = ctx.fs.resolve(ctx.cwd, file);
      try {
        ctx.fs.writeFile(abs, body);
      } catch {
        ctx.err(`wget: can't open '${file}': No such file or directory\n`);
        return 1;
      }
      say(`saving to '${file}'\n${bar(file)}'${file}' saved\n`);
      return 0;
    },
  };
}
