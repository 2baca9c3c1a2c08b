import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { withInspector } from '../../src/local/inspector/with-inspector.js';
import { type LocalStack, startLocalStack } from '../../src/local/local-stack.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { RecordingLogger } from '../helpers/fakes/recording-logger.js';

type Summary = { id: string; verdict: string; label: string };

let stack: LocalStack;
beforeAll(async () => {
  // A one-request bucket that barely refills, so the second webhook is throttled by the gateway itself.
  stack = await startLocalStack(
    withInspector({
      port: 0,
      dynamodbPort: 0,
      sqsPort: 0,
      throttleRateLimit: 0.001,
      throttleBurstLimit: 1,
      monthlyQuota: 0,
      queueDelaySeconds: 0,
      logger: new RecordingLogger(),
    }),
  );
});
afterAll(async () => {
  await stack?.stop();
});

describe('inspector: answers API Gateway gives itself', () => {
  it('lists a webhook the throttle refused, with its 429 and why', async () => {
    const params = () =>
      inboundParams({
        From: `whatsapp:${DEMO.aiSender}`,
        To: DEMO.whatsappNumber,
        AccountSid: DEMO.accountSid,
      });
    const url = `${stack.gatewayUrl}/whatsapp`;

    const accepted = await postTwilioWebhook({ url, authToken: DEMO.authToken, params: params() });
    const throttled = await postTwilioWebhook({ url, authToken: DEMO.authToken, params: params() });
    const { exchanges } = (await (await fetch(`${stack.gatewayUrl}/_local/api/exchanges`)).json()) as {
      exchanges: Summary[];
    };

    expect([accepted.status, throttled.status]).toEqual([200, 429]);
    expect(exchanges.map((e) => e.verdict)).toEqual(['rejected', 'queued']);
    expect(exchanges[0]?.label).toContain('429 THROTTLED');
  });
});
