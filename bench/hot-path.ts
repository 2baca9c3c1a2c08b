import * as crypto from 'node:crypto';
import twilio from 'twilio';
import type { SecretValue } from '../src/app/ports.js';
import { protocolFor } from '../src/app/protocol-for.js';
import type { WebhookRequest } from '../src/app/webhook-request.js';
import { buildContextObject } from '../src/domain/context-object.js';
import { decideRoute } from '../src/domain/decide-route.js';
import { receiptAttribute, receiptState, staleReceipts } from '../src/domain/receipts.js';
import { selectConversation } from '../src/domain/select-conversation.js';
import type { FormParams } from '../src/domain/twilio-signature.js';
import type { ConversationRecord, RegistryEntry } from '../src/domain/types.js';
import { ROUTES } from '../src/resources.js';
import { interleave } from './lib/interleave.js';
import { atMost, type Figure } from './lib/report.js';
import { formBody, twilioSignature, whatsappParams } from './lib/whatsapp.js';

// Production shape: Twilio calls an HTTPS custom domain without a port, signed with a 32-hex Auth Token.
const AUTH_TOKEN = '9f3c1a7e5b2d4f6a8c0e1b3d5f7a9c2e';
const ACCOUNT_SID = 'AC5e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b';
const URL = 'https://hooks.example.com/whatsapp';
const SENDER = '+447700900123';
const COMPANY = 'whatsapp:+14155238886';

const params = whatsappParams({ sender: SENDER, companyNumber: COMPANY, accountSid: ACCOUNT_SID });
const signature = twilioSignature(AUTH_TOKEN, URL, params);
const request: WebhookRequest = {
  route: ROUTES.find((route) => route.channel === 'whatsapp') ?? (ROUTES[0] as (typeof ROUTES)[number]),
  channel: 'whatsapp',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  body: Buffer.from(formBody(params)),
  publicUrl: URL,
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  receivedAt: new Date(),
};
const secret: SecretValue = { account_sid: ACCOUNT_SID, auth_token: AUTH_TOKEN };
const registry: RegistryEntry = {
  channel_address: COMPANY,
  channel_type: 'whatsapp',
  company_id: 'company-cucumber',
  project_id: 'project-cv-analysis',
  company_name: 'Cucumber Recruitment',
  credentials_reference: 'whatsapp-credentials/cucumber-recruitment/cv-analysis/twilio',
};
// A conversation that has seen a day of traffic: receipts are read on every webhook.
const nowMs = Date.now();
const receipts = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [receiptAttribute(`SM${i}`), -(nowMs - i * 60_000)]),
);
const conversation: ConversationRecord = {
  primary_channel: SENDER,
  conversation_id: 'conv-123',
  conversation_status: 'active',
  hand_off_to_human: false,
  channel_type: 'whatsapp',
  company_channel: COMPANY,
  receipts,
};
const protocol = protocolFor(request);

/** Everything processWebhook computes for an accepted webhook, minus the I/O it awaits in between. */
async function hotPath(): Promise<string> {
  if (request.body.length > request.route.maxBodyBytes) throw new Error('too large');
  const parsed = await protocol.parse(request);
  if (protocol.registryAddress(parsed) !== registry.channel_address) throw new Error('registry');
  if (!protocol.verify(parsed, request, secret, request.receivedAt)) throw new Error('signature');
  const message = protocol.normalise(parsed, secret);
  const selected = selectConversation([conversation], {
    companyChannel: message.to,
    companyId: registry.company_id,
  });
  const decision = decideRoute(message, selected);
  if (decision.type !== 'enqueue' || !selected) throw new Error('route');
  const attribute = receiptAttribute(message.messageId);
  if (receiptState(selected.receipts, attribute, nowMs) !== 'absent') throw new Error('receipt');
  if (staleReceipts(selected.receipts, nowMs, attribute).length > 0) throw new Error('stale receipts');
  const context = buildContextObject({
    requestId: request.requestId,
    message,
    conversation: selected,
    registry,
    sequenceNumber: 42,
    route: decision.target,
    receivedAt: request.receivedAt,
    validatedAt: request.receivedAt,
    queuedAt: request.receivedAt,
  });
  return JSON.stringify(context);
}

/**
 * The least any verifier can do: one HMAC-SHA1 over the signed string (URL + sorted params, built beforehand),
 * with the key pads cached, as two one-shot hashes. No parsing, no sorting, no comparison.
 */
function hmacFloor(): () => string {
  const data =
    URL +
    [...Object.keys(params)]
      .sort()
      .map((key) => `${key}${params[key]}`)
      .join('');
  const key = Buffer.alloc(64);
  key.write(AUTH_TOKEN, 'latin1');
  const inner = Buffer.from(key.map((byte) => byte ^ 0x36)).toString('latin1');
  const outer = Buffer.from(key.map((byte) => byte ^ 0x5c));
  return () => {
    const innerDigest = crypto.hash('sha1', inner + data, 'buffer');
    return crypto.hash('sha1', Buffer.concat([outer, innerDigest]), 'base64');
  };
}

export interface HotPath {
  readonly figures: Figure[];
  readonly contextBytes: number;
  readonly details: Record<string, unknown>;
}

export async function measureHotPath(): Promise<HotPath> {
  const parsed = (await protocol.parse(request)) as FormParams;
  if ((await hotPath()).length === 0 || !twilio.validateRequest(AUTH_TOKEN, signature, URL, params)) {
    throw new Error('hot path fixture is not a valid, accepted webhook');
  }
  const floor = hmacFloor();
  if (floor() !== signature) throw new Error('HMAC floor does not compute the Twilio signature');
  const result = await interleave(
    {
      hotPath,
      validateRequest: () => twilio.validateRequest(AUTH_TOKEN, signature, URL, params),
      verify: () => protocol.verify(parsed, request, secret, request.receivedAt),
      hmacFloor: floor,
    },
    { rounds: 25, opsPerRound: 2_000, warmupRounds: 5 },
  );
  const baseline = `validateRequest ${result.microsPerOp.validateRequest?.toFixed(2)} µs/op`;
  return {
    contextBytes: Buffer.byteLength(await hotPath()),
    figures: [
      {
        id: '1a',
        label: 'hot path, median',
        value: result.microsPerOp.hotPath ?? Number.NaN,
        unit: 'µs/op',
        baseline,
      },
      {
        id: '1b',
        label: 'hot path ÷ twilio validateRequest',
        value: result.ratioTo('hotPath', 'validateRequest'),
        unit: '×',
        target: atMost(0.3),
        baseline,
      },
      {
        id: '1c',
        label: 'signature verify alone ÷ validateRequest',
        value: result.ratioTo('verify', 'validateRequest'),
        unit: '×',
        baseline,
      },
      {
        id: '1d',
        label: 'HMAC-SHA1 floor ÷ validateRequest',
        value: result.ratioTo('hmacFloor', 'validateRequest'),
        unit: '×',
        baseline,
      },
    ],
    details: { microsPerOp: result.microsPerOp, payloadBytes: request.body.length, params: 15 },
  };
}
