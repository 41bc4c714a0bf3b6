/**
 * curl: requests from the learner's machine (to the ingress gateway's external IP or to the
 * Internet) or, under `kubectl exec`, from inside a pod through its sidecar. Output, -v
 * traces and error messages as curl 8 prints them.
 */
import { isNetError, reasonPhrase, type HttpResponse } from '../network/http';
import { clientCertificate, curlServerCheck, OPENSSL_ALERT_ERRORS, type ClientCertAlert } from '../pki/tls';
import { flag, has, parseArgs } from './args';
import type { CommandContext, CommandSpec } from './types';

const HOST_CURL = '8.5.0';

const POD_CURL = '8.11.1';

function writeOut(fmt: string, v: Record<string, string>): string {
  return fmt
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/%\{([a-z_]+)\}/g, (m, k: string) => v[k] ?? m)
    .replace(/%%/g, '%');
}

export const curl: CommandSpec = {
  name: 'curl',
  summary: 'make an HTTP request (-s -v -i -I -H -X -d -o -w --max-time -L -f)',
  async run(ctx: CommandContext) {
    const p = parseArgs(ctx.argv.slice(1), {
      withValue: ['cacert', 'cert', 'key', 'E', 'H', 'X', 'd', 'o', 'w', 'm', 'D', 'dump-header', 'A', 'connect-timeout', 'data', 'data-raw', 'data-binary', 'header', 'request', 'output', 'write-out', 'max-time', 'user-agent', 'retry', 'resolve', 'json'],
      boolean: ['s', 'S', 'v', 'i', 'I', 'L', 'k', 'f', '4', '6', 'http1.1', 'http2', 'silent', 'show-error', 'verbose', 'include', 'head', 'location', 'insecure', 'fail', 'compressed', 'no-progress-meter'],
      aliases: { E: 'cert', 'dump-header': 'D', header: 'H', request: 'X', data: 'd', 'data-raw': 'd', 'data-binary': 'd', output: 'o', 'write-out': 'w', 'max-time': 'm', 'user-agent': 'A', silent: 's', 'show-error': 'S', verbose: 'v', include: 'i', head: 'I', location: 'L', insecure: 'k', fail: 'f', json: 'd' },
    });
    if (p.unknown.length) {
      ctx.err(`curl: option ${p.unknown[0]}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
      return 2;
    }
    const url0 = p.positional[0];
    if (!url0) {
      ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
      return 2;
    }
    const silent = has(p, 's') || has(p, 'no-progress-meter');
    const showError = !silent || has(p, 'S');
    const verbose = has(p, 'v');
    const version = ctx.origin.kind === 'pod' ? POD_CURL : HOST_CURL;
    const fail = (code: number, msg: string): number => {
      // -w is written even when the transfer failed (http_code 000)
      const w0 = flag(p, 'w');
      if (w0 !== undefined) ctx.out(writeOut(w0, { http_code: '000', response_code: '0', time_total: '0.000000', size_download: '0', url_effective: url0, num_redirects: '0', content_type: '', redirect_url: '' }));
      if (showError) ctx.err(`curl: (${code}) ${msg}\n`);
      return code;
    };
    let url = /^[a-z]+:\/\//i.test(url0) ? url0 : `http://${url0}`;
    if (!/^https?:\/\//i.test(url)) return fail(1, `Protocol "${url.split(':')[0]}" not supported`);
    const headers: Record<string, string> = {};
    for (const h of p.flags.get('H') ?? []) {
      const i = h.indexOf(':');
      if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
    }
    const data = p.flags.get('d');
    let body = data ? data.join('&') : '';
    if (body.startsWith('@')) {
      try {
        body = body === '@-' ? ctx.stdin : ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, body.slice(1)));
      } catch {
        if (showError) ctx.err(`Warning: Couldn't read data from file "${body.slice(1)}", this makes an empty POST.\n`);
        body = '';
      }
    }
    let method = flag(p, 'X') ?? (has(p, 'I') ? 'HEAD' : data ? 'POST' : 'GET');
    if (data && !headers['content-type']) headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['user-agent'] = flag(p, 'A') ?? headers['user-agent'] ?? `curl/${version}`;
    headers.accept ??= '*/*';
    if (body) headers['content-length'] = String(body.length);
    // --cert/--key: a client certificate for servers that ask for one (mutual TLS)
    let clientCert: string | undefined;
    if (flag(p, 'cert') !== undefined) {
      const loaded = await clientCertificate((f) => ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, f)), flag(p, 'cert')!, flag(p, 'key'));
      if ('error' in loaded) return fail(58, loaded.error);
      clientCert = loaded.pem;
    }
    const maxTime = flag(p, 'm') !== undefined ? Number(flag(p, 'm')) * 1000 : undefined;
    let redirects = 0;
    let res: HttpResponse | undefined;
    let elapsed = 0;
    for (;;) {
      const m = url.match(/^(https?):\/\/([^/?#]+)([^#]*)/i)!;
      const authority = m[2];
      const host = authority.replace(/:\d+$/, '');
      const port = authority.includes(':') ? Number(authority.split(':').pop()) : m[1] === 'https' ? 443 : 80;
      const path = m[3] || '/';
      const reqHeaders = { host: headers.host ?? authority, ...headers };
      const start = ctx.cluster.clock.now();
      if (verbose) {
        ctx.err(`* Host ${host}:${port} was resolved.\n`);
      }
      const resolve: Record<string, string> = {};
      for (const spec of p.flags.get('resolve') ?? []) {
        const mm = spec.match(/^([^:]+):(\d+):(.+)$/);
        if (mm) resolve[`${mm[1]}:${mm[2]}`] = mm[3].replace(/^\[|\]$/g, '');
      }
      const r = ctx.cluster.network.request(ctx.origin, url, { method, headers: reqHeaders, body, resolve, clientCertificate: clientCert }, start);
      const took = r.durationMs;
      if (maxTime !== undefined && took > maxTime) {
        await ctx.cluster.clock.sleep(maxTime, ctx.token);
        ctx.cluster.sync();
        return fail(28, `Operation timed out after ${Math.round(maxTime)} milliseconds with 0 bytes received`);
      }
      if (ctx.background) ctx.finishAt(start + took);
      else await ctx.cluster.clock.sleep(Math.max(0, took), ctx.token);
      elapsed += took;
      ctx.cluster.sync();
      if (isNetError(r)) {
        if (verbose) ctx.err(`*   Trying ${host}:${port}...\n`);
        switch (r.error) {
          case 'ENOTFOUND':
            return fail(6, `Could not resolve host: ${host}`);
          case 'ECONNREFUSED':
            return fail(7, `Failed to connect to ${host} port ${port} after ${Math.max(0, Math.round(took))} ms: Couldn't connect to server`);
          case 'ETIMEDOUT':
            return fail(28, `Failed to connect to ${host} port ${port} after ${Math.round(took)} ms: Couldn't connect to server`);
          case 'ECONNRESET':
            // the server's TLS alert about our client certificate, read after the TLS 1.3 handshake
            if (m[1] === 'https' && r.message.startsWith('TLS alert: ')) return fail(56, `OpenSSL SSL_read: ${OPENSSL_ALERT_ERRORS[r.message.slice(11) as ClientCertAlert]}, errno 0`);
            if (m[1] === 'https' && r.message === 'TLS handshake failed') return fail(35, `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${host}:${port} `);
            return fail(m[1] === 'https' ? 35 : 56, 'Recv failure: Connection reset by peer');
          default:
            return fail(52, 'Empty reply from server');
        }
      }
      if (m[1] === 'https' && r.tls && !has(p, 'k')) {
        // certificate verification, as curl does with the CA bundle or --cacert (src/sandbox/pki)
        const caFile = flag(p, 'cacert');
        let ca: string | undefined;
        if (caFile !== undefined) {
          try {
            ca = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, caFile));
          } catch {
            return fail(77, `error setting certificate file: ${caFile}`);
          }
        }
        const problem = curlServerCheck(r.tls.certificate, ca, host, ctx.cluster.clock.now());
        if (problem?.startsWith('SSL certificate problem'))
          return fail(60, `${problem}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.`);
        if (problem) return fail(60, problem);
      }
      if (verbose) {
        const ip = ctx.cluster.network.resolve(host, ctx.origin.kind === 'pod' ? ctx.origin.pod.namespace : undefined) ?? host;
        ctx.err(`* IPv4: ${ip}\n*   Trying ${ip}:${port}...\n* Connected to ${host} (${ip}) port ${port}\n`);
        ctx.err(`> ${method} ${path} HTTP/1.1\n> Host: ${reqHeaders.host}\n> User-Agent: ${headers['user-agent']}\n> Accept: ${headers.accept}\n`);
        for (const [k2, v] of Object.entries(headers)) if (!['host', 'user-agent', 'accept'].includes(k2)) ctx.err(`> ${k2.replace(/(^|-)([a-z])/g, (_a, d: string, c: string) => d + c.toUpperCase())}: ${v}\n`);
        ctx.err('> \n');
        ctx.err(`< HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\n`);
        for (const [k2, v] of Object.entries(r.headers)) ctx.err(`< ${k2}: ${v}\n`);
        ctx.err('< \n');
      }
      res = r;
      const loc = r.headers.location;
      if (has(p, 'L') && loc && r.status >= 300 && r.status < 400 && redirects < 10) {
        redirects++;
        url = /^https?:\/\//.test(loc) ? loc : `${m[1]}://${authority}${loc.startsWith('/') ? loc : `/${loc}`}`;
        if (r.status === 303 || ((r.status === 301 || r.status === 302) && method === 'POST')) {
          method = 'GET';
          body = '';
        }
        continue;
      }
      break;
    }
    const r = res!;
    if (has(p, 'f') && r.status >= 400) {
      return fail(22, `The requested URL returned error: ${r.status}`);
    }
    let text = '';
    if (has(p, 'i') || has(p, 'I')) {
      text += `HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\n`;
      for (const [k2, v] of Object.entries(r.headers)) text += `${k2}: ${v}\n`;
      text += '\n';
    }
    const dump = flag(p, 'D');
    if (dump !== undefined) {
      let h = `HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\r\n`;
      for (const [k2, v] of Object.entries(r.headers)) h += `${k2}: ${v}\r\n`;
      h += '\r\n';
      if (dump === '-') ctx.out(h.replace(/\r/g, ''));
      else ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, dump), h);
    }
    if (method !== 'HEAD') text += r.body;
    const out = flag(p, 'o');
    if (out !== undefined && out !== '-') {
      try {
        ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, out), text);
      } catch {
        return fail(23, `Failure writing output to destination`);
      }
    } else ctx.out(text);
    if (verbose) ctx.err(`* Connection #0 to host ${url.replace(/^https?:\/\//, '').split(/[/:?]/)[0]} left intact\n`);
    const w = flag(p, 'w');
    if (w !== undefined)
      ctx.out(
        writeOut(w, {
          http_code: String(r.status).padStart(3, '0'),
          response_code: String(r.status),
          time_total: (elapsed / 1000).toFixed(6),
          size_download: String(r.body.length),
          url_effective: url,
          num_redirects: String(redirects),
          redirect_url: r.headers.location ?? '',
          content_type: r.headers['content-type'] ?? '',
        }),
      );
    return 0;
  },
};
