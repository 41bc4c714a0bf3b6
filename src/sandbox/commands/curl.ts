/**
 * curl: requests from the node's shell (to Services, pods, the ingress gateway or the
 * Internet) or, under `kubectl exec`, from inside a pod through its sidecar. Output, the
 * -v trace in curl's order, error messages and exit codes as curl 8 prints them
 * (curl/curl lib/urlapi.c, lib/connect.c, lib/vtls/openssl.c, lib/http2.c, src/tool_writeout.c).
 */
import { isNetError, reasonPhrase, type HttpResponse, type NetError } from '../network/http';
import { commonName, formatName, parseCertificates } from '../pki/certificate';
import { clientCertificate, curlServerCheck, OPENSSL_ALERT_ERRORS, type ClientCertAlert } from '../pki/tls';
import { verifyChain, VERIFY_ERRORS, type VerifyErrorKind } from '../pki/verify';
import { flag, has, parseArgs, type ParsedArgs } from './args';
import { isUrlError, parseCurlUrl, writeOut, type CurlUrl } from './curlUrl';
import type { CommandContext, CommandSpec } from './types';

/** Ubuntu 24.04's curl on the node; the curlimages/curl image in pods. */
const HOST_CURL = { version: '8.5.0', openssl: 'OpenSSL/3.0.13', caFile: '/etc/ssl/certs/ca-certificates.crt', caPath: '/etc/ssl/certs' };
const POD_CURL = { version: '8.11.1', openssl: 'OpenSSL/3.3.2', caFile: '/cacert.pem', caPath: 'none' };

const OPTIONS = {
  withValue: ['cacert', 'cert', 'key', 'E', 'H', 'X', 'd', 'o', 'w', 'm', 'D', 'A', 'e', 'u', 'b', 'c', 'connect-timeout', 'retry', 'resolve', 'connect-to', 'max-redirs', 'json', 'data', 'data-raw', 'data-binary', 'header', 'request', 'output', 'write-out', 'max-time', 'user-agent', 'dump-header', 'referer', 'user', 'cookie', 'cookie-jar', 'cert', 'key'],
  boolean: ['s', 'S', 'v', 'i', 'I', 'L', 'k', 'f', '4', '6', 'http1.1', 'http2', 'http2-prior-knowledge', 'silent', 'show-error', 'verbose', 'include', 'head', 'location', 'insecure', 'fail', 'fail-with-body', 'compressed', 'no-progress-meter', 'no-keepalive', 'raw'],
  aliases: { E: 'cert', 'dump-header': 'D', header: 'H', request: 'X', data: 'd', 'data-raw': 'd', 'data-binary': 'd', output: 'o', 'write-out': 'w', 'max-time': 'm', 'user-agent': 'A', silent: 's', 'show-error': 'S', verbose: 'v', include: 'i', head: 'I', location: 'L', insecure: 'k', fail: 'f', json: 'd', referer: 'e', user: 'u', cookie: 'b', 'cookie-jar': 'c' },
};

interface Transfer {
  url: CurlUrl;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** The HTTP version curl ends up speaking: h2 over TLS through ALPN unless --http1.1. */
function httpVersion(p: ParsedArgs, url: CurlUrl): '1.1' | '2' {
  if (has(p, 'http1.1')) return '1.1';
  return url.scheme === 'https' || has(p, 'http2-prior-knowledge') ? '2' : '1.1';
}

function statusLine(version: '1.1' | '2', status: number): string {
  return version === '2' ? `HTTP/2 ${status} ` : `HTTP/1.1 ${status} ${reasonPhrase(status)}`;
}

function titleCase(h: string): string {
  return h.replace(/(^|-)([a-z])/g, (_a, d: string, c: string) => d + c.toUpperCase());
}

/** curl's messages for transport failures (exit code, text). */
function netFailure(e: NetError, url: CurlUrl, tool: typeof HOST_CURL, tookMs: number): [number, string] {
  const after = Math.max(0, Math.round(tookMs));
  switch (e.error) {
    case 'ENOTFOUND':
      return [6, `Could not resolve host: ${url.host}`];
    case 'ECONNREFUSED':
      return [7, `Failed to connect to ${url.host} port ${url.port} after ${after} ms: Couldn't connect to server`];
    case 'ETIMEDOUT':
      return [28, `Failed to connect to ${url.host} port ${url.port} after ${after} ms: Couldn't connect to server`];
    case 'ECONNRESET':
      // the server's TLS alert about our client certificate, read after the TLS 1.3 handshake
      if (url.scheme === 'https' && e.message.startsWith('TLS alert: ')) return [56, `OpenSSL SSL_read: ${OPENSSL_ALERT_ERRORS[e.message.slice(11) as ClientCertAlert]}, errno 0`];
      if (url.scheme === 'https' && e.message === 'wrong version number') return [35, `${tool.openssl}: error:0A00010B:SSL routines::wrong version number`];
      if (url.scheme === 'https' && e.message === 'TLS handshake failed') return [35, `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${url.host}:${url.port} `];
      return [url.scheme === 'https' ? 35 : 56, 'Recv failure: Connection reset by peer'];
    default:
      return [52, 'Empty reply from server'];
  }
}

/** Certificate verification as OpenSSL does it for curl: the CA bundle or --cacert, then the name (src/sandbox/pki). */
function verifyCertificate(ctx: CommandContext, p: ParsedArgs, url: CurlUrl, pem: string): { code: number; message: string } | undefined {
  const caFile = flag(p, 'cacert');
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, caFile));
    } catch {
      return { code: 77, message: `error setting certificate file: ${caFile}` };
    }
  }
  const problem = curlServerCheck(pem, ca, url.host, ctx.cluster.clock.now());
  if (problem?.startsWith('SSL certificate problem'))
    return {
      code: 60,
      message: `${problem}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.`,
    };
  return problem ? { code: 60, message: problem } : undefined;
}

/** OpenSSL's X509_V_ERR_* numbers of the verify errors (include/openssl/x509_vfy.h). */
const X509_ERROR_CODES: Record<VerifyErrorKind, number> = {
  'unable-to-get-local-issuer': 20,
  'self-signed': 18,
  'self-signed-in-chain': 19,
  'bad-signature': 7,
  expired: 10,
  'not-yet-valid': 9,
  'invalid-ca': 24,
};

/**
 * -k: curl still verifies and reports the result, then continues (lib/vtls/openssl.c
 * ossl_check_cert: "SSL certificate verify result: %s (%ld), continuing anyway.").
 */
function insecureVerifyResult(ctx: CommandContext, p: ParsedArgs, pem: string): string {
  let ca: string | undefined;
  const caFile = flag(p, 'cacert');
  try {
    if (caFile !== undefined) ca = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, caFile));
  } catch {
    ca = undefined;
  }
  const r = verifyChain(parseCertificates(pem), ca === undefined ? [] : parseCertificates(ca), ctx.cluster.clock.now());
  return r.ok ? '*  SSL certificate verify ok.' : `*  SSL certificate verify result: ${VERIFY_ERRORS[r.error]} (${X509_ERROR_CODES[r.error]}), continuing anyway.`;
}

export const curl: CommandSpec = {
  name: 'curl',
  summary: 'make an HTTP request (-s -S -v -i -I -H -X -d -o -w -m -L -f -k --cacert --resolve --connect-to --http2 -b -c -u -e)',
  async run(ctx: CommandContext) {
    const p = parseArgs(ctx.argv.slice(1), OPTIONS);
    if (p.unknown.length) {
      ctx.err(`curl: option ${p.unknown[0]}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
      return 2;
    }
    const tool = ctx.origin.kind === 'pod' ? POD_CURL : HOST_CURL;
    const raw = p.positional[0];
    if (raw === undefined) {
      ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
      return 2;
    }
    const silent = has(p, 's') || has(p, 'no-progress-meter');
    const showError = !silent || has(p, 'S');
    const verbose = has(p, 'v');
    const trace = (line: string): void => {
      if (verbose) ctx.err(`${line}\n`);
    };
    let redirects = 0;
    let elapsed = 0;
    let remote = { ip: '', port: 0 };
    const vars = (url: string, r?: HttpResponse, version = '1.1'): Record<string, string> => ({
      http_code: r ? String(r.status).padStart(3, '0') : '000',
      response_code: r ? String(r.status) : '0',
      http_version: r ? version : '0',
      time_total: (elapsed / 1000).toFixed(6),
      time_namelookup: (Math.min(elapsed, 0.4) / 1000).toFixed(6),
      time_connect: (Math.min(elapsed, 0.4 + Math.min(elapsed / 4, 40)) / 1000).toFixed(6),
      time_appconnect: '0.000000',
      time_starttransfer: (Math.max(0, elapsed - 0.2) / 1000).toFixed(6),
      size_download: String(r?.body.length ?? 0),
      size_header: r ? String(Object.entries(r.headers).reduce((a, [k, v]) => a + k.length + v.length + 4, 19)) : '0',
      url_effective: url,
      url: raw,
      num_redirects: String(redirects),
      redirect_url: r?.headers.location ?? '',
      content_type: r?.headers['content-type'] ?? '',
      remote_ip: remote.ip,
      remote_port: remote.port ? String(remote.port) : '',
      scheme: url.split(':')[0].toUpperCase(),
      method: '',
      exitcode: '0',
      errormsg: '',
    });
    const fail = (code: number, msg: string, url = raw): number => {
      // -w is written even when the transfer failed (http_code 000)
      const w = flag(p, 'w');
      if (w !== undefined) ctx.out(writeOut(w, { ...vars(url), exitcode: String(code), errormsg: msg }));
      if (showError) ctx.err(`curl: (${code}) ${msg}\n`);
      return code;
    };
    const parsed = parseCurlUrl(raw);
    if (isUrlError(parsed)) {
      trace(`* ${parsed.message}`);
      return fail(parsed.code, parsed.message);
    }
    // request headers: curl's own first (Host, User-Agent, Accept), then -H in order
    const extra: [string, string][] = [];
    for (const h of p.flags.get('H') ?? []) {
      const i = h.indexOf(':');
      if (i > 0) extra.push([h.slice(0, i).trim(), h.slice(i + 1).trim()]);
    }
    const has2 = (name: string): boolean => extra.some(([k]) => k.toLowerCase() === name);
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
    const user = flag(p, 'u');
    const cookie = flag(p, 'b');
    let cookieHeader: string | undefined;
    if (cookie !== undefined) {
      if (cookie.includes('=')) cookieHeader = cookie;
      else {
        try {
          // a Netscape cookie file (what -c writes)
          const jar = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, cookie));
          cookieHeader = jar
            .split('\n')
            .filter((l) => l.trim() && (!l.startsWith('#') || l.startsWith('#HttpOnly_')))
            .map((l) => l.split('\t'))
            .filter((f) => f.length >= 7)
            .map((f) => `${f[5]}=${f[6]}`)
            .join('; ') || undefined;
        } catch {
          cookieHeader = undefined;
        }
      }
    }
    const optionalHeaders: [string, string][] = [];
    if (user !== undefined) optionalHeaders.push(['Authorization', `Basic ${btoa(user.includes(':') ? user : `${user}:`)}`]);
    if (flag(p, 'e') !== undefined) optionalHeaders.push(['Referer', flag(p, 'e')!]);
    if (cookieHeader) optionalHeaders.push(['Cookie', cookieHeader]);
    const transfer: Transfer = { url: parsed, method: flag(p, 'X') ?? (has(p, 'I') ? 'HEAD' : data ? 'POST' : 'GET'), headers: {}, body };
    // --cert/--key: a client certificate for servers that ask for one (mutual TLS)
    let clientCert: string | undefined;
    if (flag(p, 'cert') !== undefined) {
      const loaded = await clientCertificate((f) => ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, f)), flag(p, 'cert')!, flag(p, 'key'));
      if ('error' in loaded) return fail(58, loaded.error);
      clientCert = loaded.pem;
    }
    // -D FILE is opened (truncated) before the transfer; a file that cannot be opened ends curl
    // there (curl src/tool_operate.c: errorf "Failed to open %s", CURLE_WRITE_ERROR)
    const headerFile = flag(p, 'D');
    if (headerFile !== undefined && headerFile !== '-') {
      try {
        ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, headerFile), '');
      } catch {
        ctx.err(`curl: Failed to open ${headerFile}\n`);
        return 23;
      }
    }
    const maxTime = flag(p, 'm') !== undefined ? Number(flag(p, 'm')) * 1000 : undefined;
    const resolve: Record<string, string> = {};
    for (const spec of p.flags.get('resolve') ?? []) {
      const mm = spec.match(/^([^:]+):(\d+):(.+)$/);
      if (mm) resolve[`${mm[1].toLowerCase()}:${mm[2]}`] = mm[3].replace(/^\[|\]$/g, '');
    }
    let res: HttpResponse | undefined;
    let dumped = '';
    let version: '1.1' | '2' = '1.1';
    const maxRedirs = Number(flag(p, 'max-redirs') ?? '50');
    for (;;) {
      const url = transfer.url;
      version = httpVersion(p, url);
      // --connect-to HOST1:PORT1:HOST2:PORT2 (empty parts match anything / keep the original)
      let connectHost = url.host;
      let connectPort = url.port;
      for (const spec of p.flags.get('connect-to') ?? []) {
        const [h1, p1, h2, p2] = spec.split(':');
        if ((h1 === '' || h1 === url.host) && (p1 === '' || Number(p1) === url.port)) {
          if (h2) connectHost = h2.toLowerCase();
          if (p2) connectPort = Number(p2);
          break;
        }
      }
      const ns = ctx.origin.kind === 'pod' ? ctx.origin.pod.namespace : undefined;
      const literal = /^\d+\.\d+\.\d+\.\d+$/.test(connectHost) || connectHost.startsWith('[');
      const override = resolve[`${connectHost}:${connectPort}`];
      // curl answers *.localhost itself with the loopback address (lib/hostip.c, RFC 6761)
      const ip = literal ? connectHost.replace(/^\[|\]$/g, '') : override ?? (connectHost === 'localhost' || connectHost.endsWith('.localhost') ? '127.0.0.1' : ctx.cluster.network.resolve(connectHost, ns));
      if (connectHost !== url.host || connectPort !== url.port) trace(`* Connecting to hostname: ${connectHost}\n* Connecting to port: ${connectPort}`);
      if (override) trace(`* Added ${connectHost}:${connectPort}:${override} to DNS cache`);
      if (!literal) {
        if (!ip) {
          trace(`* Could not resolve host: ${connectHost}\n* Closing connection`);
          await ctx.cluster.clock.sleep(1, ctx.token);
          return fail(6, `Could not resolve host: ${connectHost}`, url.href);
        }
        trace(`* Host ${connectHost}:${connectPort} was resolved.\n* IPv6: (none)\n* IPv4: ${ip}`);
      }
      remote = { ip: ip!, port: connectPort };
      trace(`*   Trying ${ip}:${connectPort}...`);
      const headers: Record<string, string> = { host: url.hostHeader };
      headers['user-agent'] = flag(p, 'A') ?? `curl/${tool.version}`;
      headers.accept = '*/*';
      for (const [k, v] of optionalHeaders) headers[k.toLowerCase()] = v;
      for (const [k, v] of extra) headers[k.toLowerCase()] = v;
      if (transfer.body) {
        if (!has2('content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = String(transfer.body.length);
      }
      if (has(p, 'http2') && url.scheme === 'http') {
        headers.connection = 'Upgrade, HTTP2-Settings';
        headers.upgrade = 'h2c';
        headers['http2-settings'] = 'AAMAAABkAAQAoAAAAAIAAAAA';
      }
      const start = ctx.cluster.clock.now();
      const target = connectHost === url.host && connectPort === url.port ? url.href : `${url.scheme}://${ip}:${connectPort}${url.path}`;
      const r = ctx.cluster.network.request(ctx.origin, target, { method: transfer.method, headers: { ...headers, host: headers.host }, body: transfer.body, resolve: { ...resolve, [`${url.host}:${url.port}`]: ip! }, sni: url.host, clientCertificate: clientCert, ...(version === '2' && url.scheme === 'https' ? { protocol: 'HTTP/2' } : {}) }, start);
      const took = r.durationMs;
      if (maxTime !== undefined && took > maxTime) {
        await ctx.cluster.clock.sleep(maxTime, ctx.token);
        ctx.cluster.sync();
        elapsed += maxTime;
        const connectFailed = isNetError(r) && r.error === 'ETIMEDOUT';
        return fail(28, connectFailed ? `Connection timed out after ${Math.round(maxTime) + 1} milliseconds` : `Operation timed out after ${Math.round(maxTime) + 1} milliseconds with 0 bytes received`, url.href);
      }
      if (ctx.background) ctx.finishAt(start + took);
      else await ctx.cluster.clock.sleep(Math.max(0, took), ctx.token);
      elapsed += took;
      ctx.cluster.sync();
      if (isNetError(r)) {
        const [code, msg] = netFailure(r, url, tool, took);
        if (code === 7) trace(`* connect to ${ip} port ${connectPort} from ${ctx.origin.kind === 'pod' ? ctx.origin.pod.ip : '172.18.0.2'} port ${40000 + (Math.floor(start) % 20000)} failed: Connection refused`);
        if (code === 7 || code === 28) trace(`* Failed to connect to ${url.host} port ${url.port} after ${Math.round(took)} ms: Couldn't connect to server\n* Closing connection`);
        else if (code !== 35) trace(`* Connected to ${connectHost} (${ip}) port ${connectPort}`);
        return fail(code, msg, url.href);
      }
      trace(`* Connected to ${connectHost} (${ip}) port ${connectPort}`);
      // ALPN: a server that offers only http/1.1 (nginx's `listen 443 ssl` without http2) gets HTTP/1.1
      if (r.tls?.alpn === 'http/1.1') version = '1.1';
      if (url.scheme === 'https') {
        trace(`* ALPN: curl offers ${has(p, 'http1.1') ? 'http/1.1' : 'h2,http/1.1'}`);
        trace(`* TLSv1.3 (OUT), TLS handshake, Client hello (1):`);
        if (!has(p, 'k')) trace(`*  CAfile: ${flag(p, 'cacert') ?? tool.caFile}\n*  CApath: ${flag(p, 'cacert') !== undefined ? 'none' : tool.caPath}`);
        trace('* TLSv1.3 (IN), TLS handshake, Server hello (2):\n* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):\n* TLSv1.3 (IN), TLS handshake, Certificate (11):\n* TLSv1.3 (IN), TLS handshake, CERT verify (15):\n* TLSv1.3 (IN), TLS handshake, Finished (20):\n* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):\n* TLSv1.3 (OUT), TLS handshake, Finished (20):');
        trace(`* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / X25519 / RSASSA-PSS\n* ALPN: server accepted ${version === '2' ? 'h2' : 'http/1.1'}\n* Server certificate:`);
        if (r.tls) {
          const problem = has(p, 'k') ? undefined : verifyCertificate(ctx, p, url, r.tls.certificate);
          if (problem) return fail(problem.code, problem.message, url.href);
          const leaf = parseCertificates(r.tls.certificate)[0];
          if (leaf) {
            trace(`*  subject: ${formatName(leaf.subject)}\n*  start date: ${opensslDate(leaf.notBefore)}\n*  expire date: ${opensslDate(leaf.notAfter)}`);
            const names = leaf.extensions.dnsNames;
            const matched = names.find((n) => n === url.host || (n.startsWith('*.') && url.host.endsWith(n.slice(1)))) ?? commonName(leaf.subject) ?? url.host;
            // curl lib/vtls/openssl.c ossl_verifyhost: a subjectAltName match, or, for a certificate without
            // DNS/IP names, the subject's CN: infof(" common name: %s (matched)")
            const bySan = names.length > 0 || leaf.extensions.ipAddresses.length > 0;
            if (!has(p, 'k')) trace(bySan ? `*  subjectAltName: host "${url.host}" matched cert's "${matched}"` : `*  common name: ${matched} (matched)`);
            trace(`*  issuer: ${formatName(leaf.issuer)}`);
          }
          trace(has(p, 'k') ? insecureVerifyResult(ctx, p, r.tls.certificate) : '*  SSL certificate verify ok.');
        } else trace(`*  subject: CN=${url.host}\n*  subjectAltName: host "${url.host}" matched cert's "${url.host}"\n*  SSL certificate verify ok.`);
      }
      if (ctx.origin.kind === 'pod') trace(version === '2' ? '* using HTTP/2' : '* using HTTP/1.x');
      if (version === '2') {
        trace(`* [HTTP/2] [1] OPENED stream for ${url.href}\n* [HTTP/2] [1] [:method: ${transfer.method}]\n* [HTTP/2] [1] [:scheme: ${url.scheme}]\n* [HTTP/2] [1] [:authority: ${headers.host}]\n* [HTTP/2] [1] [:path: ${url.path}]`);
        for (const [k, v] of Object.entries(headers)) if (k !== 'host') trace(`* [HTTP/2] [1] [${k}: ${v}]`);
      }
      trace(`> ${transfer.method} ${url.path} HTTP/${version}`);
      trace(`> Host: ${headers.host}`);
      for (const [k, v] of Object.entries(headers)) if (k !== 'host') trace(`> ${k === 'user-agent' ? 'User-Agent' : k === 'accept' ? 'Accept' : (extra.find(([x]) => x.toLowerCase() === k)?.[0] ?? titleCase(k))}: ${v}`);
      trace('> ');
      if (ctx.origin.kind === 'pod') trace('* Request completely sent off');
      trace(`< ${statusLine(version, r.status)}`);
      for (const [k, v] of Object.entries(r.headers)) trace(`< ${k}: ${v}`);
      trace('< ');
      res = r;
      const loc = r.headers.location;
      if (has(p, 'L') && loc && r.status >= 300 && r.status < 400) {
        if (redirects >= maxRedirs) return fail(47, `Maximum (${maxRedirs}) redirects followed`, url.href);
        redirects++;
        const next = parseCurlUrl(/^https?:\/\//i.test(loc) ? loc : `${url.scheme}://${url.hostHeader}${loc.startsWith('/') ? loc : `/${loc}`}`);
        if (isUrlError(next)) return fail(next.code, next.message, url.href);
        trace(`* Connection #0 to host ${url.host} left intact\n* Issue another request to this URL: '${next.href}'`);
        // the headers of each response are printed with -i; the body of a redirect is not
        if (has(p, 'i') || has(p, 'I')) ctx.out(headerBlock(version, r));
        dumped += headerBlock(version, r);
        if (r.status === 303 || ((r.status === 301 || r.status === 302) && transfer.method === 'POST')) {
          transfer.method = 'GET';
          transfer.body = '';
        }
        transfer.url = next;
        continue;
      }
      break;
    }
    const r = res!;
    const url = transfer.url;
    const jar = flag(p, 'c');
    if (jar !== undefined) {
      const setCookie = r.headers['set-cookie'];
      let text = '# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n# This file was generated by libcurl! Edit at your own risk.\n\n';
      if (setCookie) {
        const [pair, ...attrs] = setCookie.split(';').map((x) => x.trim());
        const eq = pair.indexOf('=');
        const httpOnly = attrs.some((a) => a.toLowerCase() === 'httponly');
        const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
        text += `${httpOnly ? '#HttpOnly_' : ''}${url.host}\tFALSE\t${path}\tFALSE\t0\t${pair.slice(0, eq)}\t${pair.slice(eq + 1)}\n`;
      }
      try {
        ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, jar), text);
      } catch {
        /* curl only warns when the jar cannot be written */
      }
    }
    if ((has(p, 'f') || has(p, 'fail-with-body')) && r.status >= 400) {
      if (has(p, 'fail-with-body')) ctx.out(r.body);
      return fail(22, `The requested URL returned error: ${r.status}`, url.href);
    }
    let text = has(p, 'i') || has(p, 'I') ? headerBlock(version, r) : '';
    const dump = flag(p, 'D');
    if (dump !== undefined) {
      const h = (dumped + headerBlock(version, r)).replace(/\n/g, '\r\n');
      if (dump === '-') ctx.out(h.replace(/\r/g, ''));
      else {
        try {
          ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, dump), h);
        } catch {
          return fail(23, 'Failure writing output to destination', url.href);
        }
      }
    }
    if (transfer.method !== 'HEAD') text += r.body;
    const out = flag(p, 'o');
    if (out !== undefined && out !== '-') {
      try {
        ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, out), text);
      } catch {
        return fail(23, `Failure writing output to destination`, url.href);
      }
    } else ctx.out(text);
    trace(`* Connection #0 to host ${url.host} left intact`);
    const w = flag(p, 'w');
    if (w !== undefined) ctx.out(writeOut(w, { ...vars(url.href, r, version), method: transfer.method }, r.headers));
    return 0;
  },
};

function headerBlock(version: '1.1' | '2', r: HttpResponse): string {
  let h = `${statusLine(version, r.status)}\n`;
  for (const [k, v] of Object.entries(r.headers)) h += `${k}: ${v}\n`;
  return `${h}\n`;
}

/** OpenSSL's ASN1_TIME_print, as curl -v shows certificate dates: "Dec  4 17:00:00 2026 GMT". */
function opensslDate(ms: number): string {
  const d = new Date(ms);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} ${d.getUTCFullYear()} GMT`;
}
