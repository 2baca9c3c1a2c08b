import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { localConfigOverrides } from '../../src/local/local-config.js';
import { CORS, QUEUES, type QueueKey } from '../../src/resources.js';

const queueUrls = Object.fromEntries(
  (Object.keys(QUEUES) as QueueKey[]).map((key) => [key, `http://127.0.0.1:9324/queue/${key}`]),
) as Record<QueueKey, string>;

describe('loadConfig with typed overrides (one Config per runtime)', () => {
  it('still requires the queue URL variables when no queue URLs are given', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
  });

  it('merges overrides over the defaults, endpoints and ses field by field', () => {
    const config = loadConfig(
      { SES_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:inbound' },
      { queueUrls, endpoints: { sqs: 'http://127.0.0.1:9324' }, ses: { inboundBucket: 'local-inbound' } },
    );

    expect(config.queueUrls).toEqual(queueUrls);
    expect(config.endpoints).toEqual({ dynamodb: undefined, sqs: 'http://127.0.0.1:9324', s3: undefined });
    expect(config.ses.inboundBucket).toBe('local-inbound');
    expect(config.ses.topicArns).toEqual(['arn:aws:sns:eu-west-1:123456789012:inbound']);
    expect(config.corsAllowOrigin).toBe(CORS.defaultAllowOrigin);
  });

  it('local overrides: the outbox on the gateway unless a provider URL is given, options over defaults', () => {
    const options = {
      port: 0,
      dynamodbPort: 0,
      sqsPort: 0,
      throttleRateLimit: 0,
      throttleBurstLimit: 0,
      monthlyQuota: 7,
      mailgunApiBaseUrl: 'http://127.0.0.1:4000/',
      corsAllowOrigin: 'https://ops.example',
    };
    const found = {
      gatewayUrl: 'http://127.0.0.1:3000',
      endpoints: { dynamodb: 'http://d', sqs: 'http://q' },
      queueUrls,
    };

    const config = loadConfig({}, localConfigOverrides(options, found));

    expect(config).toMatchObject({
      stage: 'local',
      twilioApiBaseUrl: 'http://127.0.0.1:3000/_local/twilio',
      mailgunApiBaseUrl: 'http://127.0.0.1:4000',
      monthlyQuota: 7,
      corsAllowOrigin: 'https://ops.example',
      webhookBaseUrl: undefined,
    });
  });
});
