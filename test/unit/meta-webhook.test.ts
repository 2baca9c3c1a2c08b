import { describe, expect, it } from 'vitest';
import { BadRequestError, PayloadTooLargeError } from '../../src/domain/errors.js';
import { jsonNestingWithin } from '../../src/domain/json-nesting.js';
import { parseMetaWebhook } from '../../src/domain/meta-webhook.js';
import { ESCAPED_UNICODE_TEXT } from '../fixtures/meta/escaped-unicode-text.js';

const PNID = '106540352242922';
const WA = '447700900123';

function webhook(
  entries: Array<{ pnid?: string; messages?: unknown[]; statuses?: unknown[]; field?: string }>,
) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: entries.map((e, i) => ({
      id: `10229012934039${i}`,
      changes: [
        {
          field: e.field ?? 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: e.pnid ?? PNID },
            contacts: [{ profile: { name: 'Renée' }, wa_id: WA }],
            ...(e.messages ? { messages: e.messages } : {}),
            ...(e.statuses ? { statuses: e.statuses } : {}),
          },
        },
      ],
    })),
  });
}

const msg = (
  id: string,
  type: string,
  payload: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  from: WA,
  id,
  timestamp: '1749416383',
  type,
  ...payload,
  ...extra,
});

describe('parseMetaWebhook', () => {
  it('a text message: sender +wa_id, wamid, registry meta:<phone_number_id>, profile name, Meta’s time', () => {
    const raw = ESCAPED_UNICODE_TEXT.toString('utf8');
    const { messages, statuses, skipped } = parseMetaWebhook(raw);
    expect(statuses).toEqual([]);
    expect(skipped).toBe(0);
    expect(messages).toHaveLength(1);
    const [item] = messages;
    expect(item?.registryAddress).toBe(`meta:${PNID}`);
    expect(item?.sentAt).toBe('2025-06-08T20:59:43.000Z');
    expect(item?.message).toEqual({
      channel: 'whatsapp',
      kind: 'message',
      from: '+447700900123',
      to: `meta:${PNID}`,
      body: 'Café – résumé attached 📎 @ 10/12 <ok>',
      messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      profile_name: 'Renée',
    });
  });

  it('every message of every change of every entry, in order; statuses apart', () => {
    const body = webhook([
      {
        messages: [
          msg('wamid.A', 'text', { text: { body: 'one' } }),
          msg('wamid.B', 'text', { text: { body: 'two' } }),
        ],
      },
      {
        pnid: '999000111',
        messages: [msg('wamid.C', 'text', { text: { body: 'three' } })],
        statuses: [
          { id: 'wamid.OUT1', status: 'delivered', timestamp: '1', recipient_id: WA },
          {
            id: 'wamid.OUT2',
            status: 'failed',
            timestamp: '2',
            recipient_id: WA,
            errors: [{ code: 131047 }],
          },
        ],
      },
    ]);
    const { messages, statuses } = parseMetaWebhook(body);
    expect(messages.map((m) => [m.message.messageId, m.registryAddress])).toEqual([
      ['wamid.A', `meta:${PNID}`],
      ['wamid.B', `meta:${PNID}`],
      ['wamid.C', 'meta:999000111'],
    ]);
    expect(statuses.map((s) => s.message)).toEqual([
      expect.objectContaining({
        kind: 'status',
        messageId: 'wamid.OUT1',
        from: '+447700900123',
        status: { message_status: 'delivered' },
      }),
      expect.objectContaining({
        messageId: 'wamid.OUT2',
        status: { message_status: 'failed', error_code: '131047' },
      }),
    ]);
  });

  it('interactive button and list replies and template buttons become message.button (and the body)', () => {
    const body = webhook([
      {
        messages: [
          msg('wamid.1', 'interactive', {
            interactive: { type: 'button_reply', button_reply: { id: 'yes-1', title: 'Yes' } },
          }),
          msg('wamid.2', 'interactive', {
            interactive: {
              type: 'list_reply',
              list_reply: { id: 'slot-2', title: 'Tuesday', description: '10:00' },
            },
          }),
          msg('wamid.3', 'button', { button: { text: 'Book a call', payload: 'BOOK' } }),
        ],
      },
    ]);
    const [a, b, c] = parseMetaWebhook(body).messages.map((m) => m.message);
    expect(a).toMatchObject({ body: 'Yes', button: { text: 'Yes', payload: 'yes-1' } });
    expect(b).toMatchObject({ body: 'Tuesday', button: { text: 'Tuesday', payload: 'slot-2' } });
    expect(c).toMatchObject({ body: 'Book a call', button: { text: 'Book a call', payload: 'BOOK' } });
  });

  it('location, and the replied-to message id in original_replied_message_sid', () => {
    const body = webhook([
      {
        messages: [
          msg(
            'wamid.L',
            'location',
            { location: { latitude: 51.5, longitude: -0.12, name: 'Office', address: '1 Main St' } },
            { context: { from: '15550783881', id: 'wamid.ORIGINAL' } },
          ),
        ],
      },
    ]);
    expect(parseMetaWebhook(body).messages[0]?.message).toMatchObject({
      body: '',
      location: { latitude: 51.5, longitude: -0.12, address: '1 Main St', label: 'Office' },
      original_replied_message_sid: 'wamid.ORIGINAL',
    });
  });

  it('media of each kind: id, mime type, sha256, filename; the caption is the body', () => {
    const body = webhook([
      {
        messages: [
          msg('wamid.D', 'document', {
            document: {
              id: '1001',
              mime_type: 'application/pdf',
              sha256: 'aGVsbG8=',
              filename: 'cv.pdf',
              caption: 'My CV',
            },
          }),
          msg('wamid.I', 'image', { image: { id: '1002', mime_type: 'image/jpeg', sha256: 'abc=' } }),
          msg('wamid.A', 'audio', {
            audio: { id: '1003', mime_type: 'audio/ogg; codecs=opus', voice: true },
          }),
          msg('wamid.V', 'video', { video: { id: '1004', mime_type: 'video/mp4' } }),
          msg('wamid.S', 'sticker', { sticker: { id: '1005', mime_type: 'image/webp', animated: false } }),
        ],
      },
    ]);
    const items = parseMetaWebhook(body).messages;
    expect(items[0]).toMatchObject({
      message: { body: 'My CV' },
      media: {
        kind: 'document',
        id: '1001',
        mimeType: 'application/pdf',
        sha256: 'aGVsbG8=',
        filename: 'cv.pdf',
        caption: 'My CV',
      },
    });
    expect(items.map((i) => i.media?.kind)).toEqual(['document', 'image', 'audio', 'video', 'sticker']);
    expect(items[2]?.media?.mimeType).toBe('audio/ogg; codecs=opus');
    expect(items.every((i) => i.unsupportedType === undefined)).toBe(true);
  });

  it('unsupported and malformed types are flagged (a human sees them), keeping sender and id', () => {
    const body = webhook([
      {
        messages: [
          msg('wamid.U', 'unsupported', { errors: [{ code: 131051 }] }),
          msg('wamid.R', 'reaction', { reaction: { message_id: 'wamid.X', emoji: '👍' } }),
          msg('wamid.T', 'text', { text: { body: 'x'.repeat(4097) } }),
          msg('wamid.N', 'interactive', { interactive: { type: 'nfm_reply', nfm_reply: {} } }),
        ],
      },
    ]);
    const items = parseMetaWebhook(body).messages;
    expect(items.map((i) => [i.message.messageId, i.unsupportedType, i.message.from])).toEqual([
      ['wamid.U', 'unsupported', '+447700900123'],
      ['wamid.R', 'reaction', '+447700900123'],
      ['wamid.T', 'text', '+447700900123'],
      ['wamid.N', 'interactive', '+447700900123'],
    ]);
  });

  it('opt-out keywords in a text are detected as for Twilio', () => {
    const body = webhook([{ messages: [msg('wamid.S', 'text', { text: { body: ' stop ' } })] }]);
    expect(parseMetaWebhook(body).messages[0]?.message.optOut).toBe('STOP');
  });

  it('messages without a usable sender or id are skipped and counted, the others kept', () => {
    const body = webhook([
      {
        messages: [
          { id: 'wamid.NOFROM', type: 'text', text: { body: 'x' } },
          msg('wamid.OK', 'text', { text: { body: 'fine' } }),
          { ...msg('', 'text', { text: { body: 'x' } }) },
          { ...msg('wamid.BADFROM', 'text', { text: { body: 'x' } }), from: '+44 7700' },
        ],
        statuses: [{ status: 'read' }],
      },
    ]);
    const result = parseMetaWebhook(body);
    expect(result.messages.map((m) => m.message.messageId)).toEqual(['wamid.OK']);
    expect(result.skipped).toBe(4);
  });

  it('ignores changes of other fields (template and account updates)', () => {
    const body = webhook([
      {
        field: 'message_template_status_update',
        messages: [msg('wamid.X', 'text', { text: { body: 'x' } })],
      },
    ]);
    expect(parseMetaWebhook(body)).toEqual({ messages: [], statuses: [], skipped: 0 });
  });

  it('refuses what is not a WhatsApp Business Account webhook, and malformed JSON, as 400s', () => {
    expect(() => parseMetaWebhook('{"object":"page","entry":[]}')).toThrow(BadRequestError);
    expect(() => parseMetaWebhook('{"object":"whatsapp_business_account"}')).toThrow(BadRequestError);
    expect(() => parseMetaWebhook('{"object":')).toThrow('Malformed JSON body');
  });

  it('bounds nesting before parsing, and the number of updates', () => {
    const deep = `{"object":"whatsapp_business_account","entry":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(() => parseMetaWebhook(deep)).toThrow('nested too deeply');
    const many = Array.from({ length: 1001 }, (_, i) => msg(`wamid.${i}`, 'text', { text: { body: 'x' } }));
    expect(() => parseMetaWebhook(webhook([{ messages: many }]))).toThrow(PayloadTooLargeError);
  });
});

describe('jsonNestingWithin', () => {
  it('counts brackets outside strings only, escapes included', () => {
    expect(jsonNestingWithin('{"a":[[1]]}', 3)).toBe(true);
    expect(jsonNestingWithin('{"a":[[1]]}', 2)).toBe(false);
    expect(jsonNestingWithin('{"a":"[[[[\\"[[[["}', 1)).toBe(true);
    expect(jsonNestingWithin('{"a":"\\\\"}', 1)).toBe(true);
  });
});
