import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BODY_BOUND_BYTES,
  cutToJsonBytes,
  FIELD_BOUND_BYTES,
  jsonBytes,
  queueAttribute,
  queueJson,
  SQS_MAX_MESSAGE_BYTES,
} from '../../src/domain/context-bounds.js';
import { buildContextObject } from '../../src/domain/context-object.js';
import type { ConversationRecord, InboundMessage, RegistryEntry } from '../../src/domain/types.js';
import { assertValidContext } from '../helpers/context-schema.js';

describe('cutToJsonBytes', () => {
  it('keeps a text that fits, whole', () => {
    expect(cutToJsonBytes('héllo "you"', 100)).toEqual({ text: 'héllo "you"', cut: false });
  });

  it.each([
    ['ASCII', 'a'.repeat(50), 10, 'a'.repeat(10)],
    ['escaped quotes (2 bytes each)', '"'.repeat(50), 10, '"'.repeat(5)],
    ['control characters (6 bytes each)', '\u0001'.repeat(50), 13, '\u0001'.repeat(2)],
    ['a surrogate pair is never split', `${'a'.repeat(9)}😀`, 12, 'a'.repeat(9)],
  ])('cuts %s at the byte bound', (_case, text, bound, expected) => {
    expect(cutToJsonBytes(text, bound)).toEqual({ text: expected, cut: true });
  });

  it('always yields a prefix whose JSON fits the bound, and is the longest such prefix by code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(400), (text, bound) => {
        const { text: kept, cut } = cutToJsonBytes(text, bound);
        expect(text.startsWith(kept)).toBe(true);
        expect(jsonBytes(kept)).toBeLessThanOrEqual(Math.max(bound, cut ? 0 : jsonBytes(text)));
        expect(cut).toBe(jsonBytes(text) > bound);
        if (cut) {
          const next = String.fromCodePoint(text.codePointAt(kept.length) ?? 0);
          expect(jsonBytes(kept + next)).toBeGreaterThan(bound);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the largest context the gateway can build fits one SQS message', () => {
  it('every field at its bound, with the costliest characters, stays under 256 KiB with its attributes', () => {
    // Six JSON bytes per character: control characters, the worst case for every free-text field.
    const worst = (chars: number) => '\u0001'.repeat(chars);
    const registry: RegistryEntry = {
      channel_address: 'replies@mail.example.com',
      channel_type: 'email',
      company_id: 'c'.repeat(256),
      project_id: 'p'.repeat(256),
      company_name: 'n'.repeat(256),
      credentials_reference: 'r'.repeat(512),
    };
    const conversation: ConversationRecord = {
      primary_channel: `${'a'.repeat(2000)}@x.example`,
      conversation_id: 'i'.repeat(256),
      conversation_status: 'active',
      hand_off_to_human: false,
      receipts: {},
    };
    // Validated upstream: Message-Id ≤ 998 characters, sender ≤ 2,048 bytes (a DynamoDB key), ≤ 50 attachments.
    const message: InboundMessage = {
      channel: 'email',
      kind: 'message',
      from: worst(2048),
      to: 'replies@mail.example.com',
      body: worst(1_000_000),
      messageId: worst(998),
      email: { subject: worst(100_000), in_reply_to: worst(100_000), attachments: [] },
    };
    const attachment = {
      filename: worst(10_000),
      content_type: worst(10_000),
      size: 26_214_400,
      sha256: 'f'.repeat(64),
      s3: { bucket: 'b'.repeat(63), key: `attachments/${'k'.repeat(1000)}` },
    };
    const at = new Date('2026-12-01T00:00:00Z');

    const context = buildContextObject({
      requestId: 'r'.repeat(64),
      message,
      conversation,
      registry,
      sequenceNumber: Number.MAX_SAFE_INTEGER,
      attachments: Array.from({ length: 50 }, () => attachment),
      fullBody: attachment,
      route: 'handoff',
      handoffReason: 'unprocessable',
      receivedAt: at,
      validatedAt: at,
      queuedAt: at,
    });

    assertValidContext(context);
    const body = Buffer.byteLength(JSON.stringify(context));
    const attributes = jsonBytes(message.messageId) + jsonBytes(context.meta.dedupe_key) + 64;
    expect(body + attributes).toBeLessThan(SQS_MAX_MESSAGE_BYTES);
    expect(jsonBytes(context.message.body)).toBeLessThanOrEqual(BODY_BOUND_BYTES);
    expect(jsonBytes(context.message.subject ?? '')).toBeLessThanOrEqual(FIELD_BOUND_BYTES.subject);
    expect(context.message.body_truncated).toBe(true);
  });
});

describe('what SQS accepts', () => {
  it('escapes U+FFFE and U+FFFF in the queue body, which reads back as the same value', () => {
    const value = { body: 'a\uFFFEb\uFFFFc' };

    const json = queueJson(value);

    expect(json).not.toMatch(/[\uFFFE\uFFFF]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('replaces characters outside XML in an attribute, deterministically, and keeps everything else', () => {
    expect(queueAttribute('<id\u0000\u0001@x>')).toBe('<id\uFFFD\uFFFD@x>');
    expect(queueAttribute('<ok 😀 é\t@x>')).toBe('<ok 😀 é\t@x>');
    expect(queueAttribute('\uD800')).toBe('\uFFFD');
  });
});
