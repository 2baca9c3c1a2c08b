import { describe, expect, it } from 'vitest';
import {
  metaJson,
  metaMessagePayload,
  metaStatusPayload,
  metaWebhookUrl,
  signMetaRequest,
} from '../../src/cli/meta-webhook.js';
import { verifyMetaSignature } from '../../src/domain/meta-signature.js';
import { parseMetaWebhook } from '../../src/domain/meta-webhook.js';
import { DEMO } from '../../src/kit/demo-data.js';

const now = new Date('2026-12-05T01:00:00Z');
const header = (headers: ReadonlyArray<readonly [string, string]>, name: string) =>
  headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

describe('CLI: Meta webhooks as Meta puts them on the wire', () => {
  it('escapes non-ASCII as \\uXXXX and / as \\/ — and the JSON still means the same', () => {
    const value = { text: 'Renée sent a CV 📎 at 10/12' };
    const wire = metaJson(value);
    expect(wire).toBe('{"text":"Ren\\u00e9e sent a CV \\ud83d\\udcce at 10\\/12"}');
    expect(JSON.parse(wire)).toEqual(value);
  });

  it('signs the exact bytes it sends: the gateway’s verifier accepts them and the parser reads the message back', () => {
    const payload = metaMessagePayload({
      from: '+447700900123',
      phoneNumberId: DEMO.meta.phoneNumberId,
      body: 'Café résumé',
      wamid: 'wamid.CLI1',
      profileName: 'Renée',
      now,
    });
    const request = signMetaRequest('http://127.0.0.1:3000/whatsapp/meta', payload, DEMO.meta.appSecret);
    expect(request.messageId).toBe('wamid.CLI1');
    expect(request.body.toString('latin1')).toContain('Caf\\u00e9');
    expect(
      verifyMetaSignature({
        rawBody: request.body,
        header: header(request.headers, 'X-Hub-Signature-256'),
        appSecrets: [DEMO.meta.appSecret],
      }),
    ).toBe(true);
    const [item] = parseMetaWebhook(request.body.toString('utf8')).messages;
    expect(item?.registryAddress).toBe(DEMO.meta.channelAddress);
    expect(item?.message).toMatchObject({
      from: '+447700900123',
      body: 'Café résumé',
      messageId: 'wamid.CLI1',
      profile_name: 'Renée',
    });
    expect(item?.sentAt).toBe(now.toISOString());
  });

  it('a button press, a document with its caption, and a status', () => {
    const sender = { from: '+447700900123', phoneNumberId: '1', now };
    const button = metaMessagePayload({ ...sender, body: '', button: 'Book a call' });
    expect(parseMetaWebhook(metaJson(button)).messages[0]?.message.button).toEqual({
      text: 'Book a call',
      payload: 'BOOK A CALL',
    });
    const doc = metaMessagePayload({
      ...sender,
      body: 'My CV',
      media: { id: '42', mimeType: 'application/pdf', sha256: 'x', filename: 'cv.pdf' },
    });
    expect(parseMetaWebhook(metaJson(doc)).messages[0]?.media).toEqual({
      kind: 'document',
      id: '42',
      mimeType: 'application/pdf',
      sha256: 'x',
      filename: 'cv.pdf',
      caption: 'My CV',
    });
    const status = metaStatusPayload({
      recipient: '+447700900123',
      phoneNumberId: '1',
      status: 'read',
      wamid: 'wamid.S',
      now,
    });
    expect(parseMetaWebhook(metaJson(status)).statuses[0]?.message).toMatchObject({
      kind: 'status',
      messageId: 'wamid.S',
      status: { message_status: 'read' },
    });
  });

  it('finds the route under any base URL', () => {
    expect(metaWebhookUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000/whatsapp/meta');
    expect(metaWebhookUrl('https://api.example.com/prod/')).toBe(
      'https://api.example.com/prod/whatsapp/meta',
    );
    expect(metaWebhookUrl('https://api.example.com/prod/whatsapp')).toBe(
      'https://api.example.com/prod/whatsapp/meta',
    );
    expect(metaWebhookUrl('https://api.example.com/whatsapp/meta')).toBe(
      'https://api.example.com/whatsapp/meta',
    );
  });
});
