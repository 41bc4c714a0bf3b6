/**
 * Bookinfo, Istio's sample application (istio/istio samples/bookinfo/src): productpage
 * (Python/Flask) calls details and reviews; reviews v2 and v3 (Java) call ratings (Node.js).
 *
 * What the istio.io tasks rely on, from the sources:
 * - productpage.py: GET /productpage renders the page; POST /login stores the user in the Flask
 *   session and productpage then sends `end-user: <user>` to details and reviews; it forwards
 *   x-request-id, user-agent, cookie, authorization, … (getForwardHeaders). details is called
 *   with timeout=3.0, reviews twice with timeout=3.0 each ("Bug introduced explicitly for
 *   illustration in fault injection task"); the errors "Sorry, product details/reviews are
 *   currently unavailable for this book.". /api/v1/products[/<id>[/reviews|/ratings]].
 * - templates/productpage.html: <title>Simple Bookstore App</title>, "Book Reviews", stars as
 *   glyphicon-star in <font color="black|red">, "Error fetching product reviews!",
 *   the rating error in <i>.
 * - reviews LibertyRestEndpoint.java: ENABLE_RATINGS (v2, v3), STAR_COLOR black (v2) / red (v3);
 *   ratings timeout 10 s for black, 2.5 s for red; "Ratings service is currently unavailable";
 *   the JSON is built by string concatenation (its odd spacing is kept).
 * - ratings.js: {"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}; details.rb: the book's details.
 */
import type { HttpRequest, HttpResponse, HttpResult } from '../network/http';
import { isNetError, splitPathQuery } from '../network/http';
import type { Workload, WorkloadContext } from './types';

export type BookinfoRole = 'productpage' | 'details' | 'reviews' | 'ratings';

const PORT = 9080;

function respond(status: number, body: string, contentType: string, ms: number, extra: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': contentType, 'content-length': String(new TextEncoder().encode(body).length), ...extra }, body, durationMs: ms };
}

/** A call made with a client-side timeout (Python requests' timeout=, JAX-RS receive.timeout). */
function callWithTimeout(ctx: WorkloadContext, url: string, headers: Record<string, string>, at: number, timeoutMs: number): { result?: HttpResponse; elapsed: number } {
  const r: HttpResult = ctx.fetch(url, { method: 'GET', headers }, at);
  if (r.durationMs > timeoutMs) return { elapsed: timeoutMs };
  if (isNetError(r)) return { elapsed: r.durationMs };
  return { result: r, elapsed: r.durationMs };
}

// ---- productpage -----------------------------------------------------------------------

const PRODUCT = {
  id: 0,
  title: 'The Comedy of Errors',
  descriptionHtml:
    '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.',
};

/** Python's json.dumps (", " and ": " separators, ASCII escapes). */
function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyJson(k)}: ${pyJson(x)}`).join(', ')}}`;
}

/** The Flask session cookie: base64url(JSON).timestamp.signature (itsdangerous). */
export function sessionCookie(user: string, atMs: number): string {
  const payload = btoa(JSON.stringify({ user })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const ts = btoa(String.fromCharCode(...[24, 16, 8, 0].map((s) => (Math.floor(atMs / 1000) >>> s) & 255))).replace(/=+$/, '');
  return `${payload}.${ts}.${'x'.repeat(27)}`;
}

function sessionUser(cookie: string | undefined): string | undefined {
  const m = cookie?.match(/(?:^|;\s*)session=([A-Za-z0-9_-]+)/);
  if (!m) return undefined;
  try {
    const v = JSON.parse(atob(m[1].replace(/-/g, '+').replace(/_/g, '/'))) as { user?: unknown };
    return typeof v.user === 'string' ? v.user : undefined;
  } catch {
    return undefined;
  }
}

const FORWARDED = ['x-request-id', 'x-ot-span-context', 'x-datadog-trace-id', 'x-datadog-parent-id', 'x-datadog-sampling-priority', 'traceparent', 'tracestate', 'x-cloud-trace-context', 'grpc-trace-bin', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'sw8', 'user-agent', 'cookie', 'authorization', 'jwt'];

interface Review {
  reviewer: string;
  text: string;
  rating?: { stars?: number; color?: string; error?: string };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

function renderPage(user: string, details: { status: number; body: Record<string, unknown> }, reviews: { status: number; body: Record<string, unknown> }): string {
  const nav = user
    ? `    <p class="navbar-text navbar-right">\n      <i class="glyphicon glyphicon-user" aria-hidden="true"></i>\n      <span style="padding-left: 5px;">${escapeHtml(user)} ( <a href="logout">sign out</a> )</span>\n    </p>`
    : '    <button type="button" class="btn btn-default navbar-btn navbar-right" data-toggle="modal" href="#login-modal">Sign\n      in</button>';
  const d = details.body;
  const detailsHtml =
    details.status === 200
      ? `      <h4 class="text-center text-primary">Book Details</h4>\n      <dl>\n        <dt>Type:</dt>${escapeHtml(String(d.type))}\n        <dt>Pages:</dt>${escapeHtml(String(d.pages))}\n        <dt>Publisher:</dt>${escapeHtml(String(d.publisher))}\n        <dt>Language:</dt>${escapeHtml(String(d.language))}\n        <dt>ISBN-10:</dt>${escapeHtml(String(d['ISBN-10']))}\n        <dt>ISBN-13:</dt>${escapeHtml(String(d['ISBN-13']))}\n      </dl>`
      : `      <h4 class="text-center text-primary">Error fetching product details!</h4>\n      <p>${escapeHtml(String(d.error))}</p>`;
  let reviewsHtml: string;
  if (reviews.status === 200) {
    const list = Array.isArray(reviews.body.reviews) ? (reviews.body.reviews as Review[]) : [];
    reviewsHtml =
      '      <h4 class="text-center text-primary">Book Reviews</h4>\n' +
      list
        .map((r) => {
          let rating = '';
          if (r.rating?.stars) {
            const full = Array.from({ length: r.rating.stars }, () => '          <span class="glyphicon glyphicon-star"></span>\n').join('');
            const empty = Array.from({ length: 5 - r.rating.stars }, () => '          <span class="glyphicon glyphicon-star-empty"></span>\n').join('');
            rating = `        <font color="${escapeHtml(r.rating.color ?? '')}">\n          <!-- full stars: -->\n${full}          <!-- empty stars: -->\n${empty}        </font>\n`;
          } else if (r.rating?.error) rating = `        <p><i>${escapeHtml(r.rating.error)}</i></p>\n`;
          return `      <blockquote>\n        <p>${escapeHtml(r.text)}</p>\n        <small>${escapeHtml(r.reviewer)}</small>\n${rating}      </blockquote>\n`;
        })
        .join('');
  } else reviewsHtml = `      <h4 class="text-center text-primary">Error fetching product reviews!</h4>\n      <p>${escapeHtml(String(reviews.body.error))}</p>\n`;
  return `<!DOCTYPE html>
<html>
  <head>
    <title>Simple Bookstore App</title>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<!-- Latest compiled and minified CSS -->
<link rel="stylesheet" href="static/bootstrap/css/bootstrap.min.css">
<!-- Optional theme -->
<link rel="stylesheet" href="static/bootstrap/css/bootstrap-theme.min.css">
  </head>
  <body>
<nav class="navbar navbar-inverse navbar-static-top">
  <div class="container">
    <div class="navbar-header">
      <a class="navbar-brand" href="#">BookInfo Sample</a>
    </div>
${nav}
  </div>
</nav>
<div id="login-modal" class="modal fade" role="dialog">
  <div class="modal-dialog">
    <div class="modal-content">
      <div class="modal-header">
        <button type="button" class="close" data-dismiss="modal">&times;</button>
        <h4 class="modal-title">Please sign in</h4>
      </div>
      <div class="modal-body">
        <form method="post" action='login' name="login_form">
          <p><input type="text" class="form-control" name="username" id="username" placeholder="User Name"></p>
          <p><input type="password" class="form-control" name="passwd" placeholder="Password"></p>
          <p>
            <button type="submit" class="btn btn-primary">Sign in</button>
            <button type="button" class="btn btn-default" data-dismiss="modal">Cancel</button>
          </p>
        </form>
      </div>
    </div>
  </div>
</div>
<div class="container-fluid">
  <div class="row">
    <div class="col-md-12">
      <h3 class="text-center text-primary">${PRODUCT.title}</h3>
      <p>Summary: ${PRODUCT.descriptionHtml}</p>
    </div>
  </div>
  <div class="row">
    <div class="col-md-6">
${detailsHtml}
    </div>
    <div class="col-md-6">
${reviewsHtml}    </div>
  </div>
</div>
<!-- Latest compiled and minified JavaScript -->
<script src="static/jquery.min.js"></script>
<!-- Latest compiled and minified JavaScript -->
<script src="static/bootstrap/js/bootstrap.min.js"></script>
<script type="text/javascript">
  $('#login-modal').on('shown.bs.modal', function () {
    $('#username').focus();
  });
</script>
  </body>
</html>
`;
}

export class ProductPage implements Workload {
  readonly ports = [PORT];

  startupLog(_ctx: WorkloadContext, atMs: number): string[] {
    void atMs;
    return ['INFO:root:start at port 9080'];
  }

  handle(req: HttpRequest, _port: number, ctx: WorkloadContext, startMs: number): HttpResponse {
    const { pathname, query } = splitPathQuery(req.path);
    const base = 2 + ctx.rng.next() * 3;
    const user = sessionUser(req.headers.cookie);
    const forward = (): Record<string, string> => {
      const h: Record<string, string> = {};
      if (user) h['end-user'] = user;
      for (const k of FORWARDED) if (req.headers[k] !== undefined) h[k] = req.headers[k];
      return h;
    };
    const svc = (name: string): string => `http://${name}${ctx.env.SERVICES_DOMAIN ? `.${ctx.env.SERVICES_DOMAIN}` : ''}:9080`;
    let elapsed = base;
    const getDetails = (id: string): { status: number; body: Record<string, unknown> } => {
      const r = callWithTimeout(ctx, `${svc(ctx.env.DETAILS_HOSTNAME ?? 'details')}/details/${id}`, forward(), startMs + elapsed, 3000);
      elapsed += r.elapsed;
      const parsed = r.result?.status === 200 ? parseJson(r.result.body) : undefined;
      if (parsed) return { status: 200, body: parsed };
      return { status: r.result?.status || 500, body: { error: 'Sorry, product details are currently unavailable for this book.' } };
    };
    const getReviews = (id: string): { status: number; body: Record<string, unknown> } => {
      let last: HttpResponse | undefined;
      for (let i = 0; i < 2; i++) {
        const r = callWithTimeout(ctx, `${svc(ctx.env.REVIEWS_HOSTNAME ?? 'reviews')}/reviews/${id}`, forward(), startMs + elapsed, 3000);
        elapsed += r.elapsed;
        last = r.result;
        const parsed = r.result?.status === 200 ? parseJson(r.result.body) : undefined;
        if (parsed) return { status: 200, body: parsed };
      }
      return { status: last?.status || 500, body: { error: 'Sorry, product reviews are currently unavailable for this book.' } };
    };
    const getRatings = (id: string): { status: number; body: Record<string, unknown> } => {
      const r = callWithTimeout(ctx, `${svc(ctx.env.RATINGS_HOSTNAME ?? 'ratings')}/ratings/${id}`, forward(), startMs + elapsed, 3000);
      elapsed += r.elapsed;
      const parsed = r.result?.status === 200 ? parseJson(r.result.body) : undefined;
      if (parsed) return { status: 200, body: parsed };
      return { status: r.result?.status || 500, body: { error: 'Sorry, product ratings are currently unavailable for this book.' } };
    };
    const jsonOut = (x: { status: number; body: unknown }): HttpResponse => respond(x.status, pyJson(x.body), 'application/json', elapsed);
    let m: RegExpMatchArray | null;
    if (pathname === '/health') return respond(200, 'Product page is healthy', 'text/html; charset=utf-8', 0.5);
    if (pathname === '/productpage') {
      const details = getDetails('0');
      const reviews = getReviews('0');
      return respond(200, renderPage(user ?? '', details, reviews), 'text/html; charset=utf-8', elapsed);
    }
    if (pathname === '/login' && req.method === 'POST') {
      const form = splitPathQuery(`?${req.body}`).query;
      const name = form.username ?? query.username ?? '';
      const cookie = `session=${sessionCookie(name, startMs)}; HttpOnly; Path=/`;
      const to = req.headers.referer ?? '';
      const body = `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${escapeHtml(to)}">${escapeHtml(to)}</a>. If not, click the link.\n`;
      return respond(302, body, 'text/html; charset=utf-8', base, { location: to, 'set-cookie': cookie, vary: 'Cookie' });
    }
    if (pathname === '/logout') {
      const to = req.headers.referer ?? '';
      const body = `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${escapeHtml(to)}">${escapeHtml(to)}</a>. If not, click the link.\n`;
      return respond(302, body, 'text/html; charset=utf-8', base, { location: to, 'set-cookie': 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/', vary: 'Cookie' });
    }
    if (pathname === '/api/v1/products') return respond(200, pyJson([PRODUCT]), 'application/json', base);
    if ((m = pathname.match(/^\/api\/v1\/products\/([^/]+)$/))) return jsonOut(getDetails(m[1]));
    if ((m = pathname.match(/^\/api\/v1\/products\/([^/]+)\/reviews$/))) return jsonOut(getReviews(m[1]));
    if ((m = pathname.match(/^\/api\/v1\/products\/([^/]+)\/ratings$/))) return jsonOut(getRatings(m[1]));
    if (pathname === '/' || pathname === '/index.html') {
      const body = '<!DOCTYPE html>\n<html>\n  <head>\n    <title>Simple Bookstore App</title>\n  </head>\n  <body>\n<p>\n    <h3>Hello! This is a simple bookstore application consisting of three services as shown below</h3>\n</p>\n<p>\n    <h4>Click on one of the links below to auto generate a request to the backend as a real user or a tester\n    </h4>\n</p>\n<p><a href="/productpage?u=normal">Normal user</a></p>\n<p><a href="/productpage?u=test">Test user</a></p>\n  </body>\n</html>\n';
      return respond(200, body, 'text/html; charset=utf-8', base);
    }
    const body = '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
    return respond(404, body, 'text/html; charset=utf-8', base);
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// ---- details ---------------------------------------------------------------------------

export class Details implements Workload {
  readonly ports = [PORT];
  handle(req: HttpRequest, _port: number, ctx: WorkloadContext): HttpResponse {
    const { pathname } = splitPathQuery(req.path);
    const ms = 1 + ctx.rng.next();
    if (pathname === '/health') return respond(200, '{"status":"Details is healthy"}', 'application/json', ms);
    const m = pathname.match(/^\/details\/(.*)$/);
    if (!m) return respond(404, '', 'text/plain', ms);
    if (!/^-?\d+$/.test(m[1])) return respond(400, '{"error":"please provide numeric product id"}', 'application/json', ms);
    const id = Number(m[1]);
    const body = `{"id":${id},"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}`;
    return respond(200, body, 'application/json', ms);
  }
}

// ---- reviews ---------------------------------------------------------------------------

const REVIEWS_FORWARDED = ['x-request-id', 'x-ot-span-context', 'x-datadog-trace-id', 'x-datadog-parent-id', 'x-datadog-sampling-priority', 'traceparent', 'tracestate', 'x-cloud-trace-context', 'grpc-trace-bin', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'sw8', 'end-user', 'user-agent', 'cookie', 'authorization', 'jwt'];

export class Reviews implements Workload {
  readonly ports = [PORT];
  /** version: v1 (no ratings), v2 (black stars), v3 (red stars), as the images are built. */
  constructor(private readonly version: 'v1' | 'v2' | 'v3') {}

  handle(req: HttpRequest, _port: number, ctx: WorkloadContext, startMs: number): HttpResponse {
    const { pathname } = splitPathQuery(req.path);
    let elapsed = 3 + ctx.rng.next() * 4; // a Liberty JVM
    if (pathname === '/health') return respond(200, '{"status": "Reviews is healthy"}', 'application/json', 1);
    const m = pathname.match(/^\/reviews\/(-?\d+)$/);
    if (!m) return respond(404, '', 'text/plain', elapsed);
    const ratingsEnabled = (ctx.env.ENABLE_RATINGS ?? (this.version === 'v1' ? 'false' : 'true')) === 'true';
    const color = ctx.env.STAR_COLOR ?? (this.version === 'v3' ? 'red' : 'black');
    let stars1 = -1;
    let stars2 = -1;
    if (ratingsEnabled) {
      const host = ctx.env.RATINGS_HOSTNAME ?? 'ratings';
      const domain = ctx.env.SERVICES_DOMAIN ? `.${ctx.env.SERVICES_DOMAIN}` : '';
      const url = `http://${host}${domain}:${ctx.env.RATINGS_SERVICE_PORT ?? '9080'}/ratings/${m[1]}`;
      const headers: Record<string, string> = {};
      for (const k of REVIEWS_FORWARDED) if (req.headers[k] !== undefined) headers[k] = req.headers[k];
      const r = callWithTimeout(ctx, url, headers, startMs + elapsed, color === 'black' ? 10_000 : 2500);
      elapsed += r.elapsed;
      const body = r.result?.status === 200 ? parseJson(r.result.body) : undefined;
      const ratings = body && typeof body.ratings === 'object' && body.ratings !== null ? (body.ratings as Record<string, unknown>) : undefined;
      if (ratings) {
        if (typeof ratings.Reviewer1 === 'number') stars1 = ratings.Reviewer1;
        if (typeof ratings.Reviewer2 === 'number') stars2 = ratings.Reviewer2;
      } else if (r.result) ctx.log(`Error: unable to contact ${url.replace(/\/\d+$/, '')} got status of ${r.result.status}`, startMs + elapsed);
      else ctx.log(`Error: unable to contact ${url.replace(/\/\d+$/, '')} got exception javax.ws.rs.ProcessingException: java.net.SocketTimeoutException: Read timed out`, startMs + elapsed);
    }
    const rating = (stars: number): string =>
      !ratingsEnabled ? '' : stars !== -1 ? `, "rating": {"stars": ${stars}, "color": "${color}"}` : ', "rating": {"error": "Ratings service is currently unavailable"}';
    const body =
      `{"id": "${m[1]}","podname": "${ctx.pod.name}","clustername": "${ctx.env.CLUSTER_NAME ?? 'null'}","reviews": [` +
      `{  "reviewer": "Reviewer1",  "text": "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"${rating(stars1)}},` +
      `{  "reviewer": "Reviewer2",  "text": "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."${rating(stars2)}}]}`;
    return respond(200, body, 'application/json', elapsed);
  }
}

// ---- ratings ---------------------------------------------------------------------------

export class Ratings implements Workload {
  readonly ports = [PORT];
  handle(req: HttpRequest, _port: number, ctx: WorkloadContext): HttpResponse {
    const { pathname } = splitPathQuery(req.path);
    const ms = 1 + ctx.rng.next();
    if (pathname === '/health') return respond(200, '{"status":"Ratings is healthy"}', 'application/json', ms);
    const m = pathname.match(/^\/ratings\/(.*)$/);
    if (!m) return respond(404, '{"error":"invalid request"}', 'application/json', ms);
    if (!/^\d+$/.test(m[1])) return respond(400, '{"error":"please provide numeric product ID"}', 'application/json', ms);
    return respond(200, `{"id":${Number(m[1])},"ratings":{"Reviewer1":5,"Reviewer2":4}}`, 'application/json', ms);
  }
}

export function createBookinfo(role: BookinfoRole, version: string): Workload {
  switch (role) {
    case 'productpage':
      return new ProductPage();
    case 'details':
      return new Details();
    case 'reviews':
      return new Reviews(version === 'v2' || version === 'v3' ? version : 'v1');
    case 'ratings':
      return new Ratings();
  }
}
