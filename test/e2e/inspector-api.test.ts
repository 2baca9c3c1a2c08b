import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import type { LocalStack } from '../../src/local/local-stack.js';
import { startInspectedStack } from '../helpers/test-stack.js';

type Summary = {
  id: string;
  verdict: string;
  label: string;
  messageId: string;
  preview: string;
  replayOf?: string;
};
type Sent = { status: number; requestId: string; exchange: Summary };

let stack: LocalStack;

beforeAll(async () => {
  stack = await startInspectedStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function api<T>(path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${stack.gatewayUrl}/_local/api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function send(channel: string, from: string, text: string): Promise<Summary> {
  const { status, json } = await api<Sent>('send', { channel, from, body: text });
  expect(status).toBe(200);
  return json.exchange;
}

describe('inspector JSON API (/_local/api)', () => {
  it('replays a WhatsApp message byte for byte: duplicate; edited copies are forged, duplicate or new', async () => {
    const original = await send('whatsapp', DEMO.aiSender, 'original text');
    const edit = (options: object) =>
      api<Sent>(`exchanges/${original.id}/replay-edited`, { fields: { Body: 'edited text' }, ...options });

    const replay = await api<Sent>(`exchanges/${original.id}/replay`, {});
    const kept = await edit({ signature: 'original' });
    const resigned = await edit({ signature: 'resign' });
    const fresh = await edit({ signature: 'resign', freshId: true });

    expect(original.verdict).toBe('queued');
    expect(replay.json.exchange).toMatchObject({ verdict: 'duplicate', replayOf: original.id });
    expect(kept.json).toMatchObject({ status: 403, exchange: { verdict: 'forged' } });
    expect(resigned.json.exchange).toMatchObject({ verdict: 'duplicate', messageId: original.messageId });
    expect(fresh.json.exchange).toMatchObject({ verdict: 'queued', preview: 'edited text' });
    expect(fresh.json.exchange.messageId).not.toBe(original.messageId);
  });

  it('a replayed Mailgun post is a duplicate (a retry keeps its token and message); re-signed and fresh it goes through', async () => {
    const original = await send('email', DEMO.emailSender, 'by email');

    const replay = await api<Sent>(`exchanges/${original.id}/replay`, {});
    const resigned = await api<Sent>(`exchanges/${original.id}/replay-edited`, {
      fields: {},
      signature: 'resign',
      freshId: true,
    });

    expect(original.verdict).toBe('queued');
    expect(replay.json.exchange.verdict).toBe('duplicate');
    expect(resigned.json.exchange.verdict).toBe('queued');
  });

  it('lists exchanges newest first with masked addresses, and details with the context object', async () => {
    const sent = await send('sms', DEMO.aiSender, 'mask me');

    const { json: list } = await api<{ version: number; exchanges: (Summary & { from: string })[] }>(
      'exchanges',
    );
    const { json: detail } = await api<{
      context: { message: { from: string } };
      request: { fields: string[][] };
    }>(`exchanges/${sent.id}`);
    const unchanged = await api<{ unchanged?: boolean }>(`exchanges?since=${list.version}`);

    expect(list.exchanges[0]?.id).toBe(sent.id);
    expect(list.exchanges[0]?.from).toBe('+44********23');
    expect(JSON.stringify(detail)).not.toContain(DEMO.aiSender);
    expect(detail.context.message.from).toBe('+44********23');
    expect(unchanged.json.unchanged).toBe(true);
  });

  it('shows queue depths and recent messages without receiving them, and the outbox', async () => {
    await send('whatsapp', DEMO.handoffSender, 'queue view');

    const { json } = await api<{ queues: { name: string; depth: number; recent: { body: string }[] }[] }>(
      'queues',
    );
    const outbox = await api<{ entries: unknown[] }>('outbox');

    const handoff = json.queues.find((q) => q.name === 'HandoffQueue');
    expect(handoff?.depth).toBeGreaterThanOrEqual(1);
    expect(handoff?.recent[0]?.body).toBe('queue view');
    expect(outbox.json.entries).toEqual([]);
  });

  it('refuses bad input clearly', async () => {
    const notJson = await fetch(`${stack.gatewayUrl}/_local/api/send`, {
      method: 'POST',
      body: 'channel=sms',
    });
    const badChannel = await api<{ message: string }>('send', { channel: 'fax', from: '+1', body: 'x' });
    const unknownTo = await api<{ message: string }>('send', {
      channel: 'sms',
      from: '+1',
      body: 'x',
      to: '+15550001111',
    });
    const missing = await api<{ message: string }>('exchanges/nope');

    expect(notJson.status).toBe(415);
    expect(badChannel).toMatchObject({ status: 400, json: { message: expect.stringContaining('channel') } });
    expect(unknownTo).toMatchObject({
      status: 400,
      json: { message: expect.stringContaining('not in the channel registry') },
    });
    expect(missing.status).toBe(404);
  });

  it('serves the page with a policy that forbids every other origin', async () => {
    const response = await fetch(`${stack.gatewayUrl}/_local/`);

    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!127\.0\.0\.1)/);
  });

  it('config tells tools where the emulators are, keyed by service, and that the data lives in memory', async () => {
    const { status, json } = await api<Record<string, unknown>>('config');

    expect(status).toBe(200);
    expect(json).toEqual({
      gateway: stack.gatewayUrl,
      // Keyed by service (order does not matter to toEqual).
      endpoints: {
        sesv2: stack.ses.sesv2Endpoint,
        s3: stack.s3Endpoint,
        sqs: stack.sqsEndpoint,
        dynamodb: stack.dynamodbEndpoint,
      },
      tables: { conversations: 'Conversations', companyChannels: 'CompanyChannels' },
      queues: stack.queueUrls,
      dynamodbDataDir: null,
      sesInbound: {
        snsUrl: stack.ses.sns.url,
        certificateUrl: stack.ses.sns.certificateUrl,
        topicArns: ['arn:aws:sns:us-east-1:000000000000:ses-inbound-local'],
        bucket: 'ses-inbound-local',
      },
      metaGraphApi: stack.graph.baseUrl,
    });
  });
});
