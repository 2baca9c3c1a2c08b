import { describe, expect, it } from 'vitest';
import { CONSUMER_SCHEMA, compileSchema, lenientOf, STRICT_SCHEMA } from '../helpers/context-schema.js';

const at = '2026-12-05T01:00:00.000Z';
const context = () => ({
  meta: {
    request_id: 'req-1',
    channel_type: 'email',
    timestamp: at,
    version: '1.0',
    dedupe_key: 'company-1#email#<a@b.example>',
  },
  conversation: {
    conversation_id: 'conv-1',
    primary_channel: 'jane@example.com',
    conversation_status: 'active',
    hand_off_to_human: false,
    sequence_number: 3,
  },
  message: {
    from: 'jane@example.com',
    to: 'jobs@mail.acme.example',
    body: 'CV attached',
    message_id: '<a@b.example>',
    timestamp: at,
    attachments: [
      {
        filename: 'cv.pdf',
        content_type: 'application/pdf',
        size: 594,
        sha256: 'a'.repeat(64),
        s3: { bucket: 'replies-engine-attachments', key: 'attachments/company-1/x/cv.pdf' },
      },
    ],
  },
  company: { company_id: 'company-1', project_id: 'p', company_name: 'Acme', credentials_reference: 'ref' },
  processing: {
    validation_status: 'valid',
    ai_response: null,
    sent_response: null,
    processing_timestamps: { received: at, validated: at, queued: at },
    route: 'handoff',
    handoff_reason: 'hand_off_to_human',
  },
});

/** What a later 1.x may send: a new optional field in each section and a new handoff reason. */
function nextMinor() {
  const c = context();
  for (const section of Object.values(c))
    (section as Record<string, unknown>).added_in_1_1 = { anything: true };
  return {
    ...c,
    message: { ...c.message, attachments: c.message.attachments.map((a) => ({ ...a, scanned: true })) },
    processing: { ...c.processing, handoff_reason: 'a_reason_added_later' },
    top_level_addition: 1,
  };
}

describe('the context object schemas', () => {
  const consumer = compileSchema(CONSUMER_SCHEMA);
  const strict = compileSchema(STRICT_SCHEMA);

  it('both accept a context of this version', () => {
    expect(consumer(context())).toBeUndefined();
    expect(strict(context())).toBeUndefined();
  });

  it("the consumers' schema follows the versioning rule: new optional fields and reasons of a later 1.x pass", () => {
    expect(consumer(nextMinor())).toBeUndefined();
    expect(JSON.stringify(CONSUMER_SCHEMA)).not.toContain('"additionalProperties":false');
  });

  it("the producer's strict schema refuses anything undocumented", () => {
    expect(strict(nextMinor())).toMatch(/must NOT have additional properties|must be equal to one of/);
  });

  it('both still refuse a breaking change (a missing required field, a wrong type, another major version)', () => {
    const { message_id: _dropped, ...message } = context().message;
    const c = {
      ...context(),
      message,
      conversation: { ...context().conversation, hand_off_to_human: 'no' },
      meta: { ...context().meta, version: '2.0' },
    };

    expect(consumer(c)).toMatch(/message_id/);
    expect(consumer(c)).toMatch(/hand_off_to_human/);
    expect(consumer(c)).toMatch(/version/);
  });

  it('the two cannot drift: the consumer schema is exactly the strict one, opened up', () => {
    expect(lenientOf(CONSUMER_SCHEMA)).toEqual(lenientOf(STRICT_SCHEMA));
  });
});
