import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnsEnvelope } from '../../src/domain/sns-envelope.js';
import { loadLocalOptions } from '../../src/local/local-config.js';
import { type LocalSnsServer, startLocalSnsServer } from '../../src/local/ses/local-sns-server.js';
import { buildSubscriptionConfirmation, snsDeliveryHeaders } from '../../src/local/ses/ses-delivery.js';
import { signSnsEnvelope } from '../../src/local/ses/sns-signer.js';
import { LOCAL_SES_TOPIC_ARN } from '../../src/local/ses/start-local-ses.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

const HARNESS_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:harness-inbound';
const HARNESS_BUCKET = 'harness-inbound-bucket';

describe('the local stack honours SNS_URL_PATTERN, SES_TOPIC_ARNS and SES_INBOUND_BUCKET', () => {
  it('reads them from the environment (the stand-ins are only the defaults)', () => {
    const options = loadLocalOptions({
      SNS_URL_PATTERN: '^http://127\\.0\\.0\\.1:9999/.*$',
      SES_TOPIC_ARNS: ` ${HARNESS_TOPIC}, ${LOCAL_SES_TOPIC_ARN} `,
      SES_INBOUND_BUCKET: HARNESS_BUCKET,
    });

    expect(options.sesInbound).toEqual({
      snsUrlPattern: '^http://127\\.0\\.0\\.1:9999/.*$',
      topicArns: [HARNESS_TOPIC, LOCAL_SES_TOPIC_ARN],
      inboundBucket: HARNESS_BUCKET,
    });
    expect(loadLocalOptions({}).sesInbound).toBeUndefined();
  });

  describe('a harness acting as SNS, with SNS_URL_PATTERN pointed at itself', () => {
    let harness: LocalSnsServer;
    let t: TestStack;
    beforeAll(async () => {
      harness = await startLocalSnsServer();
      t = await startTestStack({
        sesInbound: {
          snsUrlPattern: harness.urlPattern,
          topicArns: [HARNESS_TOPIC],
          inboundBucket: HARNESS_BUCKET,
        },
      });
    });
    afterAll(async () => {
      await t.stop();
      await harness.stop();
    });

    const confirmation = (sns: LocalSnsServer, topicArn: string, token: string): SnsEnvelope =>
      signSnsEnvelope(
        buildSubscriptionConfirmation({
          topicArn,
          certificateUrl: sns.certificateUrl,
          subscribeUrl: sns.subscribeUrl(topicArn, token),
          token,
        }),
        sns.identity,
      );
    const post = (envelope: SnsEnvelope) =>
      fetch(t.url('/email'), {
        method: 'POST',
        headers: snsDeliveryHeaders(envelope),
        body: JSON.stringify(envelope),
      });

    it("confirms the harness's subscription, refuses the stand-in's, and creates the harness's bucket", async () => {
      const ours = await post(confirmation(harness, HARNESS_TOPIC, 'harness-token'));
      const standIn = await post(confirmation(t.stack.ses.sns, LOCAL_SES_TOPIC_ARN, 'stand-in-token'));

      expect(ours.status).toBe(200);
      expect(harness.confirmations).toEqual([{ topicArn: HARNESS_TOPIC, token: 'harness-token' }]);
      expect(standIn.status).toBe(403);
      expect(t.stack.config.ses.inboundBucket).toBe(HARNESS_BUCKET);
      await expect(t.stack.s3.send(new HeadBucketCommand({ Bucket: HARNESS_BUCKET }))).resolves.toBeDefined();
    });
  });
});
