/**
 * The nginx image (docker.io/library/nginx): its configuration read from /etc/nginx/nginx.conf as the
 * pod mounts it (or the image's own, which includes conf.d/default.conf: port 80), its `server`
 * blocks with `listen <port> [ssl] [http2]`, `server_name`, `ssl_certificate`, and the welcome page.
 * A TLS server presents the certificate file it names (istio.io's "Ingress Gateway without TLS
 * Termination" task runs exactly this); plain HTTP to a TLS port gets nginx's 400 "The plain HTTP
 * request was sent to HTTPS port" (ngx_http_request.c, NGX_HTTP_TO_HTTPS); TLS to a plain port is
 * read as a bad request, which the client's TLS stack reports as "wrong version number".
 * Access logs follow the `log_format` and go to stdout (the image links /var/log/nginx/access.log
 * to /dev/stdout).
 */
import type { HttpRequest, HttpResult } from '../network/http';
import type { Workload, WorkloadContext } from './types';

export const NGINX_VERSION = '1.27.3';

/** The image's /etc/nginx/nginx.conf and /etc/nginx/conf.d/default.conf (docker-library/nginx, mainline). */
const IMAGE_FILES: Record<string, string> = {
  '/etc/nginx/nginx.conf': `user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    keepalive_timeout  65;

    include /etc/nginx/conf.d/*.conf;
}
`,
  '/etc/nginx/conf.d/default.conf': `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }
}
`,
};

const WELCOME =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n';

interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

/** nginx's configuration syntax: directives end in ";" or open a "{ … }" block; "#" comments; quoted strings. */
export function parseNginxConf(text: string): Directive[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) i++;
    else if (ch === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (ch === ';' || ch === '{' || ch === '}') {
      tokens.push(ch);
      i++;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== ch) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        s += text[j++];
      }
      tokens.push(`\u0000${s}`);
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s;{}]/.test(text[j])) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  let pos = 0;
  const block = (): Directive[] => {
    const out: Directive[] = [];
    let words: string[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++];
      if (t === '}') break;
      if (t === ';') {
        if (words.length) out.push({ name: words[0], args: words.slice(1) });
        words = [];
      } else if (t === '{') {
        out.push({ name: words[0] ?? '', args: words.slice(1), block: block() });
        words = [];
      } else words.push(t.startsWith('\u0000') ? t.slice(1) : t);
    }
    return out;
  };
  return block();
}

interface NginxServer {
  ports: { port: number; ssl: boolean; http2: boolean }[];
  names: string[];
  certificateFile?: string;
}

interface NginxConfig {
  servers: NginxServer[];
  logFormat?: string;
}

function globFiles(files: Record<string, string>, pattern: string): string[] {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return Object.keys(files)
    .filter((f) => re.test(f))
    .sort();
}

/** Reads the http block: includes expanded, log_format "main" (or the access_log's format), servers. */
function loadConfig(files: Record<string, string>): NginxConfig {
  const formats = new Map<string, string>();
  let accessFormat: string | undefined;
  const servers: NginxServer[] = [];
  const walk = (ds: Directive[], inHttp: boolean, depth: number): void => {
    if (depth > 8) return;
    for (const d of ds) {
      if (d.name === 'include') {
        for (const f of globFiles(files, d.args[0] ?? '')) walk(parseNginxConf(files[f]), inHttp, depth + 1);
      } else if (d.name === 'http' && d.block) walk(d.block, true, depth + 1);
      else if (inHttp && d.name === 'log_format') formats.set(d.args[0], d.args.slice(1).join(''));
      else if (inHttp && d.name === 'access_log' && d.args[0] !== 'off') accessFormat = d.args[1] ?? 'combined';
      else if (inHttp && d.name === 'server' && d.block) {
        const s: NginxServer = { ports: [], names: [] };
        let http2On = false;
        for (const x of d.block) {
          if (x.name === 'listen') {
            const addr = x.args[0] ?? '';
            if (addr.startsWith('[')) continue; // [::]:80, the IPv6 twin of a port already listed
            const port = Number(addr.includes(':') ? addr.split(':').pop() : addr);
            if (Number.isInteger(port)) s.ports.push({ port, ssl: x.args.includes('ssl'), http2: x.args.includes('http2') });
          } else if (x.name === 'server_name') s.names.push(...x.args);
          else if (x.name === 'ssl_certificate') s.certificateFile = x.args[0];
          else if (x.name === 'http2' && x.args[0] === 'on') http2On = true;
        }
        // a server without listen listens on *:80 (ngx_http_core_module "listen", default *:80)
        if (!d.block.some((x) => x.name === 'listen')) s.ports.push({ port: 80, ssl: false, http2: false });
        if (http2On) for (const p of s.ports) p.http2 = true;
        servers.push(s);
      }
    }
  };
  walk(parseNginxConf(files['/etc/nginx/nginx.conf'] ?? ''), false, 0);
  const combined = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
  return { servers, logFormat: accessFormat === undefined ? undefined : accessFormat === 'combined' ? combined : formats.get(accessFormat) };
}

/** $time_local: "15/Jan/2025:10:00:23 +0000". */
function timeLocal(ms: number): string {
  const d = new Date(ms);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export class Nginx implements Workload {
  readonly ports: number[];
  private readonly config: NginxConfig;

  /** `files`: the container's mounted files; a mount hides the image's files below its path. */
  constructor(private readonly files: Record<string, string>, mountPaths: string[] = []) {
    const image = Object.fromEntries(Object.entries(IMAGE_FILES).filter(([f]) => !mountPaths.some((m) => f === m || f.startsWith(`${m}/`))));
    this.files = { ...image, ...files };
    this.config = loadConfig(this.files);
    // a TLS server whose certificate file is missing stops nginx at startup ("cannot load certificate");
    // the sandbox leaves its ports closed
    const usable = this.config.servers.filter((s) => !s.ports.some((p) => p.ssl) || (s.certificateFile !== undefined && this.files[s.certificateFile] !== undefined));
    this.ports = [...new Set(usable.flatMap((s) => s.ports.map((p) => p.port)))];
  }

  handle(req: HttpRequest, port: number, ctx: WorkloadContext, startMs: number): HttpResult {
    const onPort = this.config.servers.filter((s) => s.ports.some((p) => p.port === port));
    const host = (req.tlsOnWire ? req.sni : undefined) ?? req.authority.replace(/:\d+$/, '');
    // the server whose server_name is the host (the SNI for TLS), else the port's first (default) server
    const server = onPort.find((s) => s.names.includes(host)) ?? onPort[0];
    const listen = server?.ports.find((p) => p.port === port);
    if (!server || !listen) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: 0.1 };
    const server_ = `nginx/${NGINX_VERSION}`;
    if (!listen.ssl && req.tlsOnWire) return { error: 'ECONNRESET', message: 'wrong version number', durationMs: 0.3 };
    let res;
    if (listen.ssl && !req.tlsOnWire) {
      const body = `<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>${server_}</center>\r\n</body>\r\n</html>\r\n`;
      res = { status: 400, headers: { server: server_, 'content-type': 'text/html', 'content-length': String(body.length) }, body, durationMs: 0.3 };
    } else {
      res = { status: 200, headers: { 'content-type': 'text/html', 'content-length': String(WELCOME.length), server: server_ }, body: WELCOME, durationMs: 0.3 };
    }
    if (this.config.logFormat) {
      const vars: Record<string, string> = {
        remote_addr: ctx.peer?.ip ?? '-',
        remote_user: '-',
        time_local: timeLocal(startMs),
        request: `${req.method} ${req.path} ${req.tlsOnWire && listen.http2 ? 'HTTP/2.0' : 'HTTP/1.1'}`,
        status: String(res.status),
        body_bytes_sent: String(res.body.length),
        http_referer: req.headers.referer ?? '-',
        http_user_agent: req.headers['user-agent'] ?? '-',
        http_x_forwarded_for: req.headers['x-forwarded-for'] ?? '-',
      };
      ctx.log(this.config.logFormat.replace(/\$([a-z_]+)/g, (m, v: string) => vars[v] ?? m), startMs + res.durationMs);
    }
    if (listen.ssl && req.tlsOnWire) return { ...res, tls: { certificate: this.files[server.certificateFile!], ...(listen.http2 ? {} : { alpn: 'http/1.1' as const }) } };
    return res;
  }
}
