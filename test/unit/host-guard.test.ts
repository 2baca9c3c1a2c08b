import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { localRouteRefusal, trustedHost } from '../../src/local/host-guard.js';

const request = (headers: Record<string, string>, localPort = 3000) =>
  ({ headers, socket: { localPort } }) as unknown as IncomingMessage;

describe('trustedHost', () => {
  it.each([
    ['127.0.0.1:3000', '127.0.0.1:3000'],
    ['LOCALHOST:3000', 'localhost:3000'],
    ['localhost', 'localhost'],
    ['[::1]:3000', '[::1]:3000'],
  ])('accepts the stack’s own name %s', (host, expected) => {
    expect(trustedHost(request({ host }), {})).toBe(expected);
  });

  it.each([
    'crm.example.net/twilio/inbound#',
    'crm.example.net',
    'localhost:3001',
    'localhost:3000/x',
    'localhost:3000#',
    'user@localhost:3000',
    'localhost:99999999',
    '',
    `${'h'.repeat(4096)}.example`,
  ])('refuses %s', (host) => {
    expect(trustedHost(request({ host }), {})).toBeUndefined();
  });

  it('accepts the configured base URL’s host, and the bound host', () => {
    expect(
      trustedHost(request({ host: 'Hooks.Example.com' }), { webhookBaseUrl: 'https://hooks.example.com' }),
    ).toBe('hooks.example.com');
    expect(trustedHost(request({ host: 'devbox:3000' }), { boundHost: 'devbox' })).toBe('devbox:3000');
  });
});

describe('localRouteRefusal', () => {
  it('allows same-origin and address-bar requests', () => {
    expect(localRouteRefusal(request({ host: 'localhost:3000' }), {})).toBeUndefined();
    expect(
      localRouteRefusal(
        request({ host: 'localhost:3000', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }),
        {},
      ),
    ).toBeUndefined();
    expect(
      localRouteRefusal(request({ host: 'localhost:3000', 'sec-fetch-site': 'none' }), {}),
    ).toBeUndefined();
  });

  it.each([
    [{ host: 'rebind.evil.example:3000' }],
    [{ host: 'localhost:3000', origin: 'http://evil.example' }],
    [{ host: 'localhost:3000', origin: 'null' }],
    [{ host: 'localhost:3000', 'sec-fetch-site': 'cross-site' }],
    [{ host: 'localhost:3000', 'sec-fetch-site': 'same-site' }],
  ])('refuses %o', (headers) => {
    expect(localRouteRefusal(request(headers), {})).toBeDefined();
  });
});
