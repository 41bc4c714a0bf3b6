/**
 * The built site (build/) as files: a directory's index.html (Docusaurus writes each route as
 * route/index.html), a redirect to the trailing slash, and for the room pages (/room/…, whose
 * query or path the page reads itself) the nearest index.html above; anything else missing is
 * the site's 404 page.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

function fileAt(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function send(res: ServerResponse, path: string, status = 200, head = false): void {
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  res.writeHead(status, {
    'content-type': type,
    // hashed assets may be cached; pages and the service worker are checked every time
    'cache-control': /\.[0-9a-f]{8,}\./.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (head) res.end();
  else createReadStream(path).on('error', () => res.end()).pipe(res);
}

export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const rel = normalize(pathname).replace(/^([/\\])+/, '');
  const abs = join(root, rel);
  if (abs !== root && !abs.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  if (fileAt(abs)) return send(res, abs, 200, head);
  if (fileAt(join(abs, 'index.html'))) {
    if (!pathname.endsWith('/')) {
      const u = new URL(req.url ?? '/', 'http://x');
      res.writeHead(301, { location: `${u.pathname}/${u.search}` }).end();
      return;
    }
    return send(res, join(abs, 'index.html'), 200, head);
  }
  if (pathname.startsWith('/room/')) {
    const parts = rel.split(/[/\\]/).filter(Boolean);
    for (let n = parts.length - 1; n >= 1; n--) {
      const index = join(root, ...parts.slice(0, n), 'index.html');
      if (fileAt(index)) return send(res, index, 200, head);
    }
  }
  const notFound = join(root, '404.html');
  if (fileAt(notFound)) return send(res, notFound, 404, head);
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Не найдено');
}
