import { describe, expect, it } from 'vitest';
import { buildContextObject } from '../../src/domain/context-object.js';
import type { ConversationRecord, InboundMessage, RegistryEntry } from '../../src/domain/types.js';
import { assertValidContext } from '../helpers/context-schema.js';

const registry: RegistryEntry = {
  channel_address: 'whatsapp:+14155238886',
  channel_type: 'whatsapp',
  company_id: 'company-123',
  project_id: 'project-456',
  company_name: 'Cucumber Recruitment',
  credentials_reference: 'whatsapp-credentials/cucumber-recruitment/cv-analysis/twilio',
};
const conversation: ConversationRecord = {
  primary_channel: '+1234567890',
  conversation_id: 'conversation-uuid',
  conversation_status: 'active',
  hand_off_to_human: false,
  receipts: {},
};
const message: InboundMessage = {
  channel: 'whatsapp',
  kind: 'message',
  from: '+1234567890',
  to: 'whatsapp:+0987654321',
  body: 'Hello there',
  messageId: 'twilio-message-id',
};
const at = (s: string) => new Date(`2023-06-01T12:34:${s}Z`);

describe('buildContextObject', () => {
  it('produces the seed §4.2 shape exactly, plus the optional sequence number and route', () => {
    const context = buildContextObject({
      requestId: 'uuid-here',
      message,
      conversation,
      registry,
      sequenceNumber: 7,
      route: 'ai',
      receivedAt: at('56.789'),
      validatedAt: at('57.123'),
      queuedAt: at('57.456'),
    });

    assertValidContext(context);
    expect(context).toEqual({
      meta: {
        request_id: 'uuid-here',
        channel_type: 'whatsapp',
        timestamp: '2023-06-01T12:34:56.789Z',
        version: '1.0',
        dedupe_key: 'company-123#whatsapp#twilio-message-id',
      },
      conversation: {
        conversation_id: 'conversation-uuid',
        primary_channel: '+1234567890',
        conversation_status: 'active',
        hand_off_to_human: false,
        sequence_number: 7,
        opted_out: undefined,
      },
      message: {
        from: '+1234567890',
        to: 'whatsapp:+0987654321',
        body: 'Hello there',
        message_id: 'twilio-message-id',
        timestamp: '2023-06-01T12:34:56.789Z',
      },
      company: {
        company_id: 'company-123',
        project_id: 'project-456',
        company_name: 'Cucumber Recruitment',
        credentials_reference: registry.credentials_reference,
      },
      processing: {
        validation_status: 'valid',
        ai_response: null,
        sent_response: null,
        processing_timestamps: {
          received: '2023-06-01T12:34:56.789Z',
          validated: '2023-06-01T12:34:57.123Z',
          queued: '2023-06-01T12:34:57.456Z',
        },
        route: 'ai',
      },
    });
  });

  it('validates with every optional field filled in', () => {
    const context = buildContextObject({
      requestId: 'r',
      message: {
        ...message,
        optOut: 'STOP',
        media: [{ url: 'https://m', content_type: 'image/png' }],
        profile_name: 'Ada',
        button: { text: 'Yes', payload: 'y' },
        location: { latitude: 1, longitude: 2, address: 'A', label: 'L' },
        original_replied_message_sid: 'SM0',
        email: {
          subject: 'S',
          in_reply_to: '<x@y>',
          attachments: [{ filename: 'a.pdf', content_type: 'application/pdf', size: 3 }],
        },
      },
      conversation: { ...conversation, opted_out: true },
      registry,
      sequenceNumber: 1,
      route: 'handoff',
      handoffReason: 'opt_out',
      optedOut: true,
      receivedAt: at('00.000'),
      validatedAt: at('00.001'),
      queuedAt: at('00.002'),
    });

    expect(() => assertValidContext(JSON.parse(JSON.stringify(context)))).not.toThrow();
  });

  it('is rejected by the schema when a required field is missing', () => {
    const context = JSON.parse(
      JSON.stringify(
        buildContextObject({
          requestId: 'r',
          message,
          conversation,
          registry,
          sequenceNumber: 1,
          route: 'ai',
          receivedAt: at('00.000'),
          validatedAt: at('00.000'),
          queuedAt: at('00.000'),
        }),
      ),
    );
    delete context.message.message_id;

    expect(() => assertValidContext(context)).toThrow(/message_id/);
  });
});
