import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { withInspector } from '../../src/local/inspector/with-inspector.js';
import { type LocalStack, startLocalStack } from '../../src/local/local-stack.js';
import { rawRequest, sendRaw } from '../helpers/raw-http.js';
import { freePortStackOptions } from '../helpers/test-stack.js';

/** The stack reached through a tunnel too: WEBHOOK_BASE_URL's host is a Host the gateway accepts. */
const TUNNEL = 'https://replies-dev.tunnel.example';

let stack: LocalStack;
let port: number;
beforeAll(async () => {
  stack = await startLocalStack(withInspector(freePortStackOptions({ webhookBaseUrl: TUNNEL })));
  port = Number(new URL(stack.gatewayUrl).port);
});
afterAll(async () => {
  await stack?.stop();
});

const target = `/_local/api/signing-secret?address=${encodeURIComponent(DEMO.whatsappNumber)}`;
const ask = (headers: [string, string][]) => sendRaw(port, rawRequest({ method: 'GET', target, headers }));

describe('attack: reading a signing secret from the local stack', () => {
  it('the CLI on this machine, addressing 127.0.0.1: answered', async () => {
    const response = await ask([['Host', `127.0.0.1:${port}`]]);

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).secret).toMatchObject({ auth_token: DEMO.authToken });
  });

  it.each([
    ['through the tunnel (Host: the WEBHOOK_BASE_URL host)', [['Host', new URL(TUNNEL).host]]],
    ['a DNS-rebinding page (Host: its own name)', [['Host', `attacker.example:${port}`]]],
    [
      'another web page (Origin: another origin)',
      [
        ['Host', `127.0.0.1:${port}`],
        ['Origin', 'https://attacker.example'],
      ],
    ],
    [
      'a cross-site fetch (Sec-Fetch-Site: cross-site)',
      [
        ['Host', `localhost:${port}`],
        ['Sec-Fetch-Site', 'cross-site'],
      ],
    ],
  ] as const)('%s: refused with 403 and no secret', async (_name, headers) => {
    const response = await ask(headers.map(([n, v]) => [n, v] as [string, string]));

    expect(response.status).toBe(403);
    expect(response.body).not.toContain(DEMO.authToken);
  });
});
