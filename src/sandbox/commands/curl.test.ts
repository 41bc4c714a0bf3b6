/**
 * curl as curl 8 prints it: golden -v traces, curl's own URL errors and exit codes, the
 * outside internet's answers (sources: curl/curl lib/urlapi.c curl_url_strerror, lib/http.c
 * Host header, lib/connect.c; istio.io egress tasks' outputs).
 */
import { describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR, /^(httpbin|curl)\.yaml$/);
vi.setConfig({ testTimeout: 30_000 });

describe('curl: URLs and errors', () => {
  it.each([
    ['curl http://$UNSET/', 3, 'curl: (3) URL rejected: No host part in the URL\n'],
    ['curl http://:8000/get', 3, 'curl: (3) URL rejected: No host part in the URL\n'],
    ['curl "http://a b/"', 3, 'curl: (3) URL rejected: Malformed input to a URL function\n'],
    ['curl http://example.com:70000/', 3, 'curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n'],
    ['curl gopher2://example.com/', 1, 'curl: (1) Protocol "gopher2" not supported\n'],
    ['curl -sS http://nothing.invalid/', 6, 'curl: (6) Could not resolve host: nothing.invalid\n'],
    ['curl -sS http://web.example/', 6, 'curl: (6) Could not resolve host: web.example\n'],
    ['curl -sS http://printer.local/', 6, 'curl: (6) Could not resolve host: printer.local\n'],
    ['curl -sS http://productpage:9080/', 6, 'curl: (6) Could not resolve host: productpage\n'],
    ['curl -sS https://example.com:80/', 35, 'curl: (35) OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number\n'],
    ['curl -sS http://localhost:9999/', 7, "curl: (7) Failed to connect to localhost port 9999 after 0 ms: Couldn't connect to server\n"],
  ])('%s → exit %i', async (line, code, stderr) => {
    const r = await new Sandbox().exec(line);
    expect(r.code).toBe(code);
    expect(r.stderr).toBe(stderr);
  });

  it('answers like the real sites: redirects to HTTPS, HTTP/2 over TLS, any public name', async () => {
    const sb = new Sandbox();
    expect((await sb.exec('curl -sSI http://edition.cnn.com/politics')).stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n[^]*location: https:\/\/edition\.cnn\.com\/politics\n/);
    expect((await sb.exec('curl -sSL -o /dev/null -w "%{http_code} %{http_version} %{num_redirects}" http://istio.io/')).stdout).toBe('200 2 1');
    expect((await sb.exec('curl -s -o /dev/null -w "%{http_code}" http://www.google.com/')).stdout).toBe('200');
    expect((await sb.exec('curl -s http://some-shop.example-corp.com/ | grep -o "<title>.*</title>"')).stdout).toBe('<title>Welcome to nginx!</title>\n');
    expect((await sb.exec('curl -s http://example.com:443/ | grep -o "<title>.*</title>"')).stdout).toBe('<title>400 The plain HTTP request was sent to HTTPS port</title>\n');
  });
});

describe('curl -v', () => {
  it('from the node to a Service ClusterIP: no Host port for :80, lines in curl 8.5 order', async () => {
    const sb = new Sandbox({ samples, seed: 1 });
    await steps(sb, ['kubectl apply -f samples/httpbin/httpbin.yaml', 'sleep 15']);
    const ip = (await sb.exec(`kubectl get svc httpbin -o jsonpath='{.spec.clusterIP}'`)).stdout;
    const r = await sb.exec(`curl -sv -o /dev/null http://${ip}:8000/status/204`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        `*   Trying ${ip}:8000...`,
        `* Connected to ${ip} (${ip}) port 8000`,
        '> GET /status/204 HTTP/1.1',
        `> Host: ${ip}:8000`,
        '> User-Agent: curl/8.5.0',
        '> Accept: */*',
        '> ',
        '< HTTP/1.1 204 No Content',
        '< content-type: text/html; charset=utf-8',
        '< content-length: 0',
        '< ',
        `* Connection #0 to host ${ip} left intact`,
        '',
      ].join('\n'),
    );
    const named = await sb.exec('curl -sv -o /dev/null http://example.com:80/');
    expect(named.stderr.split('\n').slice(0, 8)).toEqual(['* Host example.com:80 was resolved.', '* IPv6: (none)', '* IPv4: 93.184.215.14', '*   Trying 93.184.215.14:80...', '* Connected to example.com (93.184.215.14) port 80', '> GET / HTTP/1.1', '> Host: example.com', '> User-Agent: curl/8.5.0']);
  });

  it('from a pod: curl 8.11 announces the protocol and the sent request', async () => {
    const sb = new Sandbox({ samples, seed: 1 });
    await steps(sb, ['kubectl apply -f samples/httpbin/httpbin.yaml -f samples/curl/curl.yaml', 'sleep 15']);
    const r = await sb.exec('kubectl exec deploy/curl -- curl -sv -o /dev/null http://httpbin:8000/status/418');
    const lines = r.stderr.split('\n');
    expect(lines.slice(0, 3)).toEqual(['* Host httpbin:8000 was resolved.', '* IPv6: (none)', expect.stringMatching(/^\* IPv4: 10\.96\.\d+\.\d+$/)]);
    expect(lines.slice(5, 13)).toEqual(['* using HTTP/1.x', '> GET /status/418 HTTP/1.1', '> Host: httpbin:8000', '> User-Agent: curl/8.11.1', '> Accept: */*', '> ', '* Request completely sent off', "< HTTP/1.1 418 I'm a teapot"]);
  });
});
