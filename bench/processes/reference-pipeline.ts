import { createServer, type Server } from 'node:http';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** One webhook's AWS work; resolves to what happened, so the bench can prove no request took the duplicate path. */
export type Pipeline = (form: URLSearchParams) => Promise<'accepted' | 'duplicate'>;

const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** A bare node:http server around a pipeline: read the body, run it, answer empty TwiML (or 500). */
export function createPipelineServer(pipeline: Pipeline, counts: { duplicates: number }): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      pipeline(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))).then(
        (outcome) => {
          if (outcome === 'duplicate') counts.duplicates++;
          res.writeHead(200, { 'Content-Type': 'text/xml' });
          res.end(TWIML);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
}

export interface ReferenceDeps {
  readonly doc: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly conversationsTable: string;
  readonly idempotencyTable: string;
  readonly queueUrl: string;
}

/**
 * The reference pipeline: the same AWS work per webhook with the least code — a conditional idempotency
 * PutItem, the conversation Query, an UpdateItem, the SendMessage — and no verification, no validation, no
 * crash safety, no logging.
 */
export function referencePipeline(deps: ReferenceDeps): Pipeline {
  return async (form) => {
    const messageId = form.get('MessageSid') ?? '';
    const from = (form.get('From') ?? '').replace(/^whatsapp:/, '');
    const to = form.get('To') ?? '';
    const now = new Date();
    try {
      await deps.doc.send(
        new PutCommand({
          TableName: deps.idempotencyTable,
          Item: { id: `msg#${messageId}`, expiration: Math.floor(now.getTime() / 1000) + 86_400 },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
    const { Items = [] } = await deps.doc.send(
      new QueryCommand({
        TableName: deps.conversationsTable,
        KeyConditionExpression: 'primary_channel = :from',
        ExpressionAttributeValues: { ':from': from },
      }),
    );
    const conversation = Items.find((item) => item.company_channel === to) ?? Items[0];
    if (!conversation) throw new Error('no conversation');
    const { Attributes } = await deps.doc.send(
      new UpdateCommand({
        TableName: deps.conversationsTable,
        Key: { primary_channel: from, conversation_id: conversation.conversation_id },
        UpdateExpression: 'SET updated_at = :now, last_inbound_message = :id ADD message_seq :one',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':id': messageId, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.queueUrl,
        MessageBody: JSON.stringify({
          conversation_id: conversation.conversation_id,
          sequence_number: Attributes?.message_seq,
          message: { from, to, body: form.get('Body') ?? '', message_id: messageId },
        }),
      }),
    );
    return 'accepted';
  };
}
