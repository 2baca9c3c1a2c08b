import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSesNotification, verifySnsDelivery } from '../../src/app/ses-inbound.js';
import { createSesDependencies } from '../../src/compose/create-ses-dependencies.js';
import { loadConfig } from '../../src/config.js';
import { replyText } from '../../src/domain/reply-text.js';
import { allowedSnsUrl } from '../../src/domain/sns-url-policy.js';
import { buildSesDelivery } from '../../src/local/ses/ses-delivery.js';
import { LOCAL_SES_TOPIC_ARN, type LocalSes, startLocalSes } from '../../src/local/ses/start-local-ses.js';
import { QUEUE_URL_ENV } from '../../src/resources.js';

let local: LocalSes;
const queues = Object.fromEntries(
  Object.values(QUEUE_URL_ENV).map((name) => [name, `http://127.0.0.1:1/q/${name}`]),
);

beforeAll(async () => {
  local = await startLocalSes({ sesPort: 0 });
});
afterAll(async () => {
  await local.stop();
});

describe('startLocalSes: the local SNS server and SESv2 emulator, wired through config', () => {
  it('config from its env trusts the local certificate server, and only it', () => {
    const { ses } = loadConfig(queues, { ses: local.config });
    expect(ses.topicArns).toEqual([LOCAL_SES_TOPIC_ARN]);
    expect(allowedSnsUrl(local.sns.certificateUrl, ses.snsUrlPattern)).toBe(local.sns.certificateUrl);
    expect(allowedSnsUrl('https://sns.us-east-1.amazonaws.com/c.pem', ses.snsUrlPattern)).toBeUndefined();
  });

  it('a notification signed by the local server verifies; the fallback goes to the emulator (createSesDependencies)', async () => {
    const config = loadConfig(queues, { ses: local.config });
    const built = buildSesDelivery({
      topicArn: LOCAL_SES_TOPIC_ARN,
      certificateUrl: local.sns.certificateUrl,
      recipient: 'support@mail.acme.test',
      source: 'jane.doe@example.com',
      action: 'SNS',
      mime: { text: 'Hello' },
    });
    const signed = await (
      await fetch(`${local.sns.url}/sign`, { method: 'POST', body: JSON.stringify(built.envelope) })
    ).text();
    const ses = createSesDependencies(
      config,
      {
        rawEmails: { get: () => Promise.reject(new Error('not used')) },
        clock: { now: () => new Date() },
        logger: { info() {}, warn() {}, error() {} },
      },
      { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
    );
    const inbound = await readSesNotification(
      await verifySnsDelivery(signed, 'Notification', ses.inbound),
      ses.inbound,
    );
    expect(replyText(inbound.email.text)).toBe('Hello');

    // The emulator keeps every email sent in this process, other test files' included: compare only what this sends.
    const before = (await local.emulator?.sent())?.length ?? 0;
    await ses.sender.send({
      channel: 'email',
      from: 'support@mail.acme.test',
      to: 'jane.doe@example.com',
      body: 'fallback',
      inReplyTo: inbound.messageId,
    });
    const sent = await local.emulator?.sent();
    expect(sent?.slice(before).map((email) => email.body.text)).toEqual(['fallback']);
  });
});
