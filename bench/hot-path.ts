import * as crypto from 'node:crypto';
import twilio from 'twilio';
import { twilioProtocol } from '../src/app/channels/twilio-protocol.js';
import { processWebhook } from '../src/app/process-webhook.js';
import { frontEndFor } from '../src/app/providers/provider-registry.js';
import { receiptAttribute } from '../src/domain/receipts.js';
import type { ConversationRecord, RegistryEntry } from '../src/domain/types.js';
import { toWebhookRequest } from '../test/fixtures/webhook-request.js';
import { clearRecords, fakeDependencies } from '../test/helpers/fakes/fake-dependencies.js';
import { interleave } from './lib/interleave.js';
import { atMost, type Figure } from './lib/report.js';
import { signedWebhook } from './lib/whatsapp.js';

// Production shape: Twilio calls an HTTPS custom domain without a port, signed with a 32-hex Auth Token.
const PRODUCTION_SHAPE = {
  authToken: '9f3c1a7e5b2d4f6a8c0e1b3d5f7a9c2e',
  accountSid: 'AC5e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b',
  url: 'https://hooks.example.com/whatsapp',
  sender: '+447700900123',
  company: 'whatsapp:+14155238886',
  credentials: 'whatsapp-credentials/cucumber-recruitment/cv-analysis/twilio',
} as const;
const { authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID, url: URL, sender: SENDER } = PRODUCTION_SHAPE;
const { company: COMPANY, credentials: CREDENTIALS } = PRODUCTION_SHAPE;

const signed = signedWebhook(
  URL,
  { sender: SENDER, companyNumber: COMPANY, accountSid: ACCOUNT_SID },
  AUTH_TOKEN,
);
const params: Record<string, string> = Object.fromEntries(new URLSearchParams(signed.body.toString()));
const signature = signed.headers.find(([name]) => name === 'X-Twilio-Signature')?.[1] ?? '';

// The use case itself over in-memory ports: every step of an accepted webhook, minus the I/O it awaits.
const deps = fakeDependencies();
const request = toWebhookRequest(
  signed,
  'whatsapp',
  deps.clock.now(),
  'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
);
const registry: RegistryEntry = {
  channel_address: COMPANY,
  channel_type: 'whatsapp',
  company_id: 'company-cucumber',
  project_id: 'project-cv-analysis',
  company_name: 'Cucumber Recruitment',
  credentials_reference: CREDENTIALS,
};
deps.registry.put(registry);
const secret = { account_sid: ACCOUNT_SID, auth_token: AUTH_TOKEN };
deps.secrets.put(CREDENTIALS, secret);
// A conversation that has seen a day of traffic: receipts are read on every webhook.
const nowMs = deps.clock.now().getTime();
const conversation: ConversationRecord = {
  primary_channel: SENDER,
  conversation_id: 'conv-123',
  conversation_status: 'active',
  hand_off_to_human: false,
  channel_type: 'whatsapp',
  company_channel: COMPANY,
  receipts: Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [receiptAttribute(`SM${i}`), -(nowMs - i * 60_000)]),
  ),
};
const loading = frontEndFor(request);
if (!loading) throw new Error('no front end for the bench request');
const frontEnd = await loading;
/** The signature step alone, measured against the twilio library's own check. */
const protocol = twilioProtocol('whatsapp');

/** processWebhook for one accepted webhook; the fakes are reset after it so every run is a first delivery. */
async function hotPath(): Promise<string> {
  await processWebhook(request, frontEnd, deps);
  const body = deps.queue.messages[0]?.body ?? '';
  clearRecords(deps);
  deps.conversations.put(conversation);
  return body;
}

/**
 * The least any verifier can do: one HMAC-SHA1 over the signed string (URL + sorted params, built beforehand),
 * with the key pads cached, as two one-shot hashes. No parsing, no sorting, no comparison.
 */
function hmacFloor(): () => string {
  const data =
    URL +
    Object.keys(params)
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
  deps.conversations.put(conversation);
  const parsed = await protocol.parse(request);
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
    details: {
      microsPerOp: result.microsPerOp,
      payloadBytes: request.body.length,
      params: Object.keys(params).length,
    },
  };
}
