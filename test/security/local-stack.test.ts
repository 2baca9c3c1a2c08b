import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/local/demo-data.js';
import type { LocalStack } from '../../src/local/local-stack.js';
import { startInspectedStack } from '../helpers/inspected-stack.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startInspectedStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('attack: one unauthenticated 1 MB field against the inspector (issue 15, item 8)', () => {
  it('lists and shows the exchange without a quadratic scan (the old pattern needed hours for 1 MB)', async () => {
    const huge = 'a'.repeat(1_000_000);
    const posted = await fetch(`${stack.gatewayUrl}/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        recipient: DEMO.emailAddress,
        sender: huge,
        'body-plain': huge,
      }).toString(),
    });
    expect(posted.status).toBe(403);
    const id = posted.headers.get('x-amzn-requestid') ?? '';

    for (let poll = 0; poll < 3; poll++) {
      const list = await fetch(`${stack.gatewayUrl}/_local/api/exchanges`);
      expect(list.status).toBe(200);
    }
    const detail = await fetch(`${stack.gatewayUrl}/_local/api/exchanges/${id}`);
    const shown = JSON.stringify(await detail.json());

    expect(detail.status).toBe(200);
    expect(shown.length).toBeLessThan(50_000);
    expect(shown).toContain('more chars]');
  });
});
