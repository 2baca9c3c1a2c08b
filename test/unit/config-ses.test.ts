import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { allowedSnsUrl } from '../../src/domain/sns-url-policy.js';
import { ENV, QUEUE_URL_ENV } from '../../src/resources.js';

const queues = Object.fromEntries(
  Object.values(QUEUE_URL_ENV).map((name) => [name, `https://sqs.eu-west-2.amazonaws.com/1/${name}`]),
);

describe('loadConfig: SES inbound settings', () => {
  it('defaults: AWS SNS hosts only, no topics (SES off), no bucket', () => {
    const { ses } = loadConfig(queues);
    expect(ses.topicArns).toEqual([]);
    expect(ses.inboundBucket).toBeUndefined();
    expect(allowedSnsUrl('https://sns.eu-west-2.amazonaws.com/c.pem', ses.snsUrlPattern)).toBeDefined();
    expect(allowedSnsUrl('http://127.0.0.1:4570/c.pem', ses.snsUrlPattern)).toBeUndefined();
  });

  it('reads comma-separated topics, the bucket and an SESv2 endpoint', () => {
    const { ses } = loadConfig({
      ...queues,
      [ENV.sesTopicArns]: ' arn:aws:sns:eu-west-2:1:a , arn:aws:sns:eu-west-2:1:b,',
      [ENV.sesInboundBucket]: 'inbound-bucket',
      [ENV.sesv2Endpoint]: 'http://127.0.0.1:8005/',
      [ENV.snsUrlPattern]: '^http://127\\.0\\.0\\.1:4570/',
    });
    expect(ses.topicArns).toEqual(['arn:aws:sns:eu-west-2:1:a', 'arn:aws:sns:eu-west-2:1:b']);
    expect(ses.inboundBucket).toBe('inbound-bucket');
    expect(ses.sesv2Endpoint).toBe('http://127.0.0.1:8005');
    expect(allowedSnsUrl('http://127.0.0.1:4570/c.pem', ses.snsUrlPattern)).toBe(
      'http://127.0.0.1:4570/c.pem',
    );
  });

  it('refuses an unanchored SNS_URL_PATTERN, naming the variable', () => {
    expect(() => loadConfig({ ...queues, [ENV.snsUrlPattern]: 'amazonaws\\.com/' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...queues, [ENV.snsUrlPattern]: 'amazonaws\\.com/' })).toThrow(
      ENV.snsUrlPattern,
    );
  });

  it('refuses an SNS_URL_PATTERN that is not a regular expression', () => {
    expect(() => loadConfig({ ...queues, [ENV.snsUrlPattern]: '^https://(' })).toThrow(ConfigError);
  });
});
