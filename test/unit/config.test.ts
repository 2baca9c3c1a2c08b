import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { loadLocalOptions } from '../../src/local/local-config.js';
import { ENV, QUEUE_URL_ENV } from '../../src/resources.js';

const queues = Object.fromEntries(
  Object.values(QUEUE_URL_ENV).map((name) => [name, `https://sqs.eu-west-2.amazonaws.com/1/${name}`]),
);

describe('loadConfig', () => {
  it('applies defaults and trims trailing slashes from URLs', () => {
    const config = loadConfig({ ...queues, [ENV.webhookBaseUrl]: 'https://hooks.example.com/' });

    expect(config.tables.conversations).toBe('Conversations');
    expect(config.webhookBaseUrl).toBe('https://hooks.example.com');
    expect(config.twilioApiBaseUrl).toBe('https://api.twilio.com');
    expect(config.registryCacheTtlMs).toBe(60_000);
  });

  it('names every invalid variable', () => {
    expect(() =>
      loadConfig({ ...queues, [ENV.handoffQueueUrl]: 'not a url', [ENV.awsCallTimeoutMs]: '-1' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(ENV.whatsappRepliesQueueUrl);
  });
});

describe('loadLocalOptions', () => {
  it('uses the contract ports and the seed limits by default', () => {
    const options = loadLocalOptions({});

    expect([options.port, options.dynamodbPort, options.sqsPort]).toEqual([3000, 8000, 9324]);
    expect([options.throttleRateLimit, options.throttleBurstLimit, options.monthlyQuota]).toEqual([
      10, 20, 50_000,
    ]);
    expect(options.seedDemo).toBe(true);
  });

  it('lets 0 disable throttling and reads overrides', () => {
    const options = loadLocalOptions({
      THROTTLE_RATE_LIMIT: '0',
      SEED_DEMO: 'false',
      LOCAL_SECRETS_FILE: '/tmp/s.json',
    });

    expect(options.throttleRateLimit).toBe(0);
    expect(options.seedDemo).toBe(false);
    expect(options.secretsFile).toBe('/tmp/s.json');
  });

  it('rejects nonsense', () => {
    expect(() => loadLocalOptions({ PORT: 'abc' })).toThrow(/PORT/);
  });
});

describe('attachments settings', () => {
  it('loadConfig: the bucket defaults to the local name; AWS_ENDPOINT_URL_S3 is read and trimmed', () => {
    expect(loadConfig({ ...queues }).attachmentsBucket).toBe('replies-engine-attachments');
    expect(loadConfig({ ...queues }).endpoints.s3).toBeUndefined();
    const config = loadConfig({
      ...queues,
      [ENV.attachmentsBucket]: 'attachments-prod',
      [ENV.s3Endpoint]: 'http://127.0.0.1:4569/',
    });
    expect(config.attachmentsBucket).toBe('attachments-prod');
    expect(config.endpoints.s3).toBe('http://127.0.0.1:4569');
    expect(() => loadConfig({ ...queues, [ENV.s3Endpoint]: 'not a url' })).toThrow(/AWS_ENDPOINT_URL_S3/);
  });

  it('loadLocalOptions: the S3 emulator on 4569 unless LOCAL_S3_PORT or AWS_ENDPOINT_URL_S3 says otherwise', () => {
    expect(loadLocalOptions({}).s3Port).toBe(4569);
    expect(loadLocalOptions({}).s3Endpoint).toBeUndefined();
    const options = loadLocalOptions({ LOCAL_S3_PORT: '4570', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' });
    expect(options.s3Port).toBe(4570);
    expect(options.s3Endpoint).toBe('http://127.0.0.1:9000');
  });

  it('loadLocalOptions: the SESv2 emulator on 8005 unless LOCAL_SES_PORT or AWS_ENDPOINT_URL_SESV2 says otherwise', () => {
    expect(loadLocalOptions({}).sesPort).toBe(8005);
    expect(loadLocalOptions({}).sesv2Endpoint).toBeUndefined();
    const options = loadLocalOptions({
      LOCAL_SES_PORT: '8006',
      AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9005',
    });
    expect(options.sesPort).toBe(8006);
    expect(options.sesv2Endpoint).toBe('http://127.0.0.1:9005');
  });
});
