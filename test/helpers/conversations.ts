import { randomInt } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO, demoConversationItem } from '../../src/kit/demo-data.js';
import { TABLES } from '../../src/resources.js';
import type { TestStack } from './test-stack.js';

export type TwilioChannelName = 'whatsapp' | 'sms';

export interface SeededConversation {
  readonly sender: string;
  readonly conversationId: string;
  readonly channel: TwilioChannelName | 'email';
  /** `From` as the provider sends it (`whatsapp:+44…` for WhatsApp). */
  readonly from: string;
  /** The company-side address (`To`). */
  readonly to: string;
}

/** A fresh UK mobile number in the Ofcom drama range (+44 7700 900xxx), unique enough per test run. */
export function ukSender(): string {
  return `+447700${String(randomInt(900000, 999999))}`;
}

/**
 * An active AI-routed conversation for a new sender, so each test owns its conversation item (receipts are kept
 * per conversation, at most 100 of them).
 */
export async function seedConversation(
  t: TestStack,
  channel: TwilioChannelName | 'email',
  sender: string = channel === 'email' ? `candidate-${randomInt(1e9)}@example.com` : ukSender(),
): Promise<SeededConversation> {
  const conversationId = `conv-${channel}-${randomInt(1e9)}`;
  const item = demoConversationItem(channel, sender, conversationId);
  await t.doc.send(new PutCommand({ TableName: TABLES.conversations.localName, Item: item }));
  const to = String(item.company_channel);
  return {
    sender,
    conversationId,
    channel,
    from: channel === 'whatsapp' ? `whatsapp:${sender}` : sender,
    to,
  };
}

/** The conversation item as stored (receipt attributes included). */
export async function conversationItem(
  t: TestStack,
  conversation: SeededConversation,
): Promise<Record<string, unknown>> {
  const result = await t.doc.send(
    new GetCommand({
      TableName: TABLES.conversations.localName,
      Key: { primary_channel: conversation.sender, conversation_id: conversation.conversationId },
      ConsistentRead: true,
    }),
  );
  return result.Item ?? {};
}

/** An active email conversation of a new sender with the demo company's SES address (`provider: "ses"`). */
export async function seedSesConversation(t: TestStack): Promise<SeededConversation> {
  const conversation = await seedConversation(t, 'email');
  await t.doc.send(
    new UpdateCommand({
      TableName: TABLES.conversations.localName,
      Key: { primary_channel: conversation.sender, conversation_id: conversation.conversationId },
      UpdateExpression: 'SET company_channel = :c',
      ExpressionAttributeValues: { ':c': DEMO.sesEmailAddress },
    }),
  );
  return conversation;
}
