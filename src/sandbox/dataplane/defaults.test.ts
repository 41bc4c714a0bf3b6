import { describe, expect, it } from 'vitest';
import { parseRetryOn } from '../controllers/istiod/virtualService';
import { redirectHost, shadowHost } from './envoy';

describe('redirect location host (Envoy processRequestHost)', () => {
  it.each([
    // request Host, x-forwarded-proto, new scheme, port_redirect → host in location
    ['example.com:8080', 'http', 'http', '', 'example.com:8080'],
    ['example.com:80', 'http', 'https', '', 'example.com'],
    ['example.com:8080', 'http', 'https', '', 'example.com:8080'],
    ['example.com:443', 'https', 'http', '', 'example.com'],
    ['example.com:8080', 'http', 'http', ':9090', 'example.com'],
    ['example.com', 'http', 'https', '', 'example.com'],
    ['[::1]:8080', 'http', 'http', '', '[::1]:8080'],
  ])('%s (%s → %s, port %s) → %s', (host, proto, scheme, port, want) => {
    expect(redirectHost(host, proto, scheme, port)).toBe(want);
  });
});

describe('mirrored request host (Envoy shadowAppendedHost)', () => {
  it.each([
    ['httpbin', 'httpbin-shadow'],
    ['httpbin:8000', 'httpbin-shadow:8000'],
    ['[::1]:80', '[::1]-shadow:80'],
  ])('%s → %s', (host, want) => expect(shadowHost(host)).toBe(want));
});

describe('retryOn (Istio parseRetryOn)', () => {
  it.each([
    ['5xx', ['5xx'], []],
    ['gateway-error,connect-failure', ['gateway-error', 'connect-failure'], []],
    ['503', ['retriable-status-codes'], [503]],
    ['connect-failure, 503 ,504', ['connect-failure', 'retriable-status-codes'], [503, 504]],
    ['retriable-status-codes,503', ['retriable-status-codes'], [503]],
  ])('%s', (input, retryOn, codes) => expect(parseRetryOn(input)).toEqual({ retryOn, retriableStatusCodes: codes }));
});
