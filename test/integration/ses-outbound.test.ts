import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundSendError } from '../../src/adapters/outbound/http-outbound-sender.js';
import { SesOutboundSender } from '../../src/adapters/ses/sesv2-outbound-sender.js';
import type { OutboundMessage } from '../../src/domain/types.js';
import { type SesEmulator, startSesEmulator } from '../../src/local/ses/ses-emulator.js';

let ses: SesEmulator;
let sender: SesOutboundSender;

/** The real SESv2 client against the emulator, one attempt so a refusal surfaces at once. */
const sesClient = () =>
  new SESv2Client({
    endpoint: ses.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

/** A reply from the company address to the sender; each test states what it is about. */
const reply = (fields: Partial<OutboundMessage>): OutboundMessage => ({
  channel: 'email',
  from: 'support@mail.acme.test',
  to: 'jane.doe@example.com',
  body: 'x',
  ...fields,
});

beforeAll(async () => {
  ses = await startSesEmulator({ port: 0 });
  sender = new SesOutboundSender(sesClient());
});
afterAll(async () => {
  await ses.stop();
});
beforeEach(async () => {
  await ses.clear();
});

describe('SesOutboundSender through the real SESv2 client against aws-ses-v2-local', () => {
  it('sends a plain-text reply from the company address, threaded under the sender’s message', async () => {
    await sender.send(
      reply({
        subject: 'Re: your visit',
        body: 'This conversation is no longer active.',
        inReplyTo: '<CAF=abc@mail.gmail.com>',
      }),
    );
    const [email, ...rest] = await ses.sent();
    expect(rest).toEqual([]);
    expect(email).toMatchObject({
      from: 'support@mail.acme.test',
      destination: { to: ['jane.doe@example.com'] },
      subject: 'Re: your visit',
      body: { text: 'This conversation is no longer active.' },
      headers: [
        { name: 'In-Reply-To', value: '<CAF=abc@mail.gmail.com>' },
        { name: 'References', value: '<CAF=abc@mail.gmail.com>' },
      ],
    });
    expect(email?.body.html).toBeUndefined();
  });

  it('a Message-ID smuggling a header line is flattened, never a second header', async () => {
    await sender.send(reply({ inReplyTo: '<a@b>\r\nBcc: victim@example.com' }));
    const [email] = await ses.sent();
    expect(email?.headers).toEqual([
      { name: 'In-Reply-To', value: '<a@b> Bcc: victim@example.com' },
      { name: 'References', value: '<a@b> Bcc: victim@example.com' },
    ]);
  });

  it('refuses a non-email message', async () => {
    await expect(sender.send({ channel: 'sms', from: '+1', to: '+2', body: 'x' })).rejects.toThrow(
      OutboundSendError,
    );
  });

  it('surfaces SES refusing the request as OutboundSendError with its status', async () => {
    const unauthenticated = new SesOutboundSender(sesClient());
    // An empty From is rejected by the emulator as SES would reject it.
    await expect(unauthenticated.send(reply({ from: '' }))).rejects.toMatchObject({ status: 400 });
  });
});
