import { describe, expect, it } from 'vitest';
import { parseMailgunForm } from '../../src/app/channels/mailgun-form.js';
import { normaliseMailgun, splitRecipient } from '../../src/domain/mailgun-message.js';

const FIELDS: Record<string, string> = {
  recipient: 'replies@mail.example.com',
  sender: 'Candidate@Example.com',
  subject: 'Re: Interview',
  'stripped-text': 'Yes please',
  'body-plain': 'Yes please\n> quoted',
  'message-headers': JSON.stringify([
    ['Message-Id', '<abc@mail.example.com>'],
    ['In-Reply-To', '<out-1@mail.example.com>'],
  ]),
};

describe('normaliseMailgun (one valid post, one thing broken per test)', () => {
  it('normalises a valid inbound email', () => {
    expect(normaliseMailgun(FIELDS, [])).toMatchObject({
      channel: 'email',
      from: 'candidate@example.com',
      to: 'replies@mail.example.com',
      body: 'Yes please',
      messageId: '<abc@mail.example.com>',
      email: { subject: 'Re: Interview', in_reply_to: '<out-1@mail.example.com>', attachments: [] },
    });
  });

  it.each([
    ['recipient missing', { recipient: undefined }, 'Missing field: recipient'],
    ['sender not an address', { sender: 'nobody' }, 'Invalid field sender'],
    ['Message-Id missing', { 'message-headers': '[]' }, 'Missing field: Message-Id'],
    ['message-headers not JSON', { 'message-headers': '{oops' }, 'message-headers'],
  ])('rejects %s with a 400', (_name, change, message) => {
    const fields = Object.fromEntries(
      Object.entries({ ...FIELDS, ...change }).filter((e): e is [string, string] => e[1] !== undefined),
    );

    expect(() => normaliseMailgun(fields, [])).toThrow(message);
  });

  it('falls back to body-plain when stripped-text is absent', () => {
    const { 'stripped-text': _dropped, ...rest } = FIELDS;

    expect(normaliseMailgun(rest, []).body).toBe('Yes please\n> quoted');
  });

  it('splits plus-addressed recipients, keeping the id case and lower-casing the address', () => {
    expect(splitRecipient('Replies+Conv-AbC@Mail.Example.com')).toEqual({
      address: 'replies@mail.example.com',
      conversationId: 'Conv-AbC',
    });
    expect(splitRecipient('replies@mail.example.com')).toEqual({ address: 'replies@mail.example.com' });
  });
});

describe('parseMailgunForm', () => {
  it('lists multipart attachments by name, type and exact byte size', async () => {
    const form = new FormData();
    form.append('recipient', 'replies@mail.example.com');
    form.append(
      'attachment-1',
      new Blob([new Uint8Array([0, 255, 1, 2])], { type: 'application/pdf' }),
      'cv.pdf',
    );
    const request = new Request('http://x', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());

    const parsed = await parseMailgunForm(
      'multipart/form-data',
      request.headers.get('content-type') ?? '',
      body,
    );

    expect(parsed.fields.recipient).toBe('replies@mail.example.com');
    expect(parsed.attachments).toEqual([{ filename: 'cv.pdf', content_type: 'application/pdf', size: 4 }]);
  });

  it.each([
    ['text/plain', 'text/plain', 'hi', 'Content-Type must be'],
    ['a missing boundary', 'multipart/form-data', '--x\r\n', 'boundary'],
    [
      'a truncated body',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue',
      'Malformed multipart',
    ],
  ])('rejects %s', async (_name, header, body, message) => {
    await expect(parseMailgunForm(header.split(';')[0] ?? '', header, Buffer.from(body))).rejects.toThrow(
      message,
    );
  });
});
