import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMailgunForm } from '../../src/app/channels/mailgun-form.js';
import { buildWebhook } from '../../src/cli/build-webhook.js';
import { normaliseMailgun } from '../../src/domain/mailgun-message.js';
import { verifyMailgunSignature } from '../../src/domain/mailgun-signature.js';
import { DEMO } from '../../src/kit/demo-data.js';
import {
  mailgunMessageFields,
  mailgunSignature,
  withMailgunSignature,
} from '../../src/kit/mailgun-webhook.js';

const NOW = new Date('2026-01-02T03:04:05Z');

function contentType(headers: ReadonlyArray<readonly [string, string]>): string {
  return headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
}

describe('send email: signed as Mailgun signs', () => {
  it('is hex HMAC-SHA256 of timestamp + token under the signing key', () => {
    const expected = createHmac('sha256', 'key').update('1700000000abc').digest('hex');

    expect(mailgunSignature('key', '1700000000', 'abc')).toBe(expected);
  });

  it('replaces earlier signature fields with a fresh timestamp, token and signature', () => {
    const fields = withMailgunSignature(
      [
        ['recipient', 'a@b.example'],
        ['token', 'old'],
      ],
      'key',
      NOW,
      'tok',
    );

    expect(fields.filter(([name]) => name === 'token')).toEqual([['token', 'tok']]);
    const record = Object.fromEntries(fields);
    expect(record.timestamp).toBe(String(NOW.getTime() / 1000));
    expect(
      verifyMailgunSignature({
        timestamp: record.timestamp ?? '',
        token: record.token ?? '',
        signature: record.signature ?? '',
        signingKeys: ['key'],
        nowEpochSeconds: NOW.getTime() / 1000,
      }),
    ).toEqual({ ok: true });
  });

  it.each(['multipart', 'urlencoded'] as const)(
    'a %s post parses, verifies and normalises like a real one',
    async (encoding) => {
      const request = await buildWebhook({
        channel: 'email',
        webhookUrl: 'http://127.0.0.1:3000/email',
        from: DEMO.emailSender,
        to: DEMO.emailAddress,
        subject: 'My CV',
        body: 'Please find it attached – ünïcode',
        encoding,
        credentials: {},
        now: NOW,
      });
      const type = contentType(request.headers);

      const form = await parseMailgunForm(type.split(';')[0] ?? '', type, request.body);

      const { timestamp = '', token = '', signature = '' } = form.fields;
      expect(
        verifyMailgunSignature({
          timestamp,
          token,
          signature,
          signingKeys: [DEMO.signingKey],
          nowEpochSeconds: NOW.getTime() / 1000,
        }),
      ).toEqual({ ok: true });
      const message = normaliseMailgun(form.fields, form.attachments);
      expect(message).toMatchObject({
        from: DEMO.emailSender,
        to: DEMO.emailAddress,
        body: 'Please find it attached – ünïcode',
        messageId: request.messageId,
        email: { subject: 'My CV' },
      });
    },
  );

  it('carries Message-Id both as a field and in message-headers', () => {
    const fields = Object.fromEntries(
      mailgunMessageFields({ from: 'a@x.example', to: 'b@y.example', subject: 's', body: 'b', now: NOW }),
    );

    const headers = JSON.parse(fields['message-headers'] ?? '[]') as [string, string][];
    expect(headers).toContainEqual(['Message-Id', fields['Message-Id']]);
    expect(fields['Message-Id']).toMatch(/^<[0-9a-f]+@x\.example>$/);
  });
});
