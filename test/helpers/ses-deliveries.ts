import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import type { SnsEnvelope } from '../../src/domain/sns-envelope.js';
import { DEMO } from '../../src/kit/demo-data.js';
import {
  buildSesDelivery,
  type SesDeliveryOptions,
  snsDeliveryHeaders,
} from '../../src/local/ses/ses-delivery.js';
import type { UnsignedSnsEnvelope } from '../../src/local/ses/sns-signer.js';
import { LOCAL_SES_TOPIC_ARN } from '../../src/local/ses/start-local-ses.js';
import { seedSesConversation } from './conversations.js';
import { localS3Client } from './local-s3.js';
import type { TestStack } from './test-stack.js';

/**
 * Amazon SES through the local stack, as the e2e suite drives it: the raw message into the inbound bucket, the
 * receipt notification signed by the local SNS server, posted to `/email`.
 */
export function sesDeliveries(t: () => TestStack, s3: () => S3Client) {
  async function sign(envelope: UnsignedSnsEnvelope): Promise<SnsEnvelope> {
    const response = await fetch(`${t().stack.ses.sns.url}/sign`, {
      method: 'POST',
      body: JSON.stringify(envelope),
    });
    return (await response.json()) as SnsEnvelope;
  }

  function post(envelope: SnsEnvelope | Record<string, unknown>, body?: string): Promise<Response> {
    return fetch(t().url('/email'), {
      method: 'POST',
      headers: snsDeliveryHeaders(envelope as SnsEnvelope),
      body: body ?? JSON.stringify(envelope),
    });
  }

  /** What SES does for one received email: store it, publish the signed notification; the gateway's answer. */
  async function deliver(options: Partial<SesDeliveryOptions> & { source: string }): Promise<Response> {
    const built = buildSesDelivery({
      topicArn: LOCAL_SES_TOPIC_ARN,
      certificateUrl: t().stack.ses.sns.certificateUrl,
      recipient: DEMO.sesEmailAddress,
      mime: { text: 'Hello' },
      ...options,
    });
    if (built.object) {
      await s3().send(
        new PutObjectCommand({ Bucket: built.object.bucket, Key: built.object.key, Body: built.raw }),
      );
    }
    return post(await sign(built.envelope));
  }

  /** An active conversation of a new candidate with the demo company's SES address. */
  const conversation = (): Promise<{ sender: string; conversationId: string }> => seedSesConversation(t());

  return { sign, post, deliver, conversation };
}

/**
 * `sesDeliveries` for the file's test stack (call it after `useTestStack`), with an S3 client for the stack's
 * endpoint opened in `beforeAll` and destroyed after all tests.
 */
export function useSesDeliveries(t: TestStack): ReturnType<typeof sesDeliveries> {
  let s3: S3Client | undefined;
  beforeAll(() => {
    s3 = localS3Client(t.stack.s3Endpoint);
  });
  afterAll(() => s3?.destroy());
  return sesDeliveries(
    () => t,
    () => {
      if (!s3) throw new Error('the S3 client opens in beforeAll');
      return s3;
    },
  );
}

/** A raw message with header lines added on top (a DKIM-Signature, a second From…). */
export function withHeaders(raw: Buffer, ...lines: string[]): Buffer {
  return Buffer.concat([Buffer.from(lines.map((line) => `${line}\r\n`).join('')), raw]);
}
