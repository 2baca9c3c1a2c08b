import { randomBytes } from 'node:crypto';
import { computeTwilioSignature } from '../../domain/twilio-signature.js';
import { publicUrlOf, routeOf } from '../../http/rest-event.js';
import { sendHttp } from '../../kit/http-request.js';
import { encodeMailgunBody, newEmailMessageId, withMailgunSignature } from '../../kit/mailgun-webhook.js';
import { encodeForm, newMessageSid } from '../../kit/twilio-webhook.js';
import { channelSecret, secretString } from './channel-secret.js';
import type { ExchangeLog, RecordedExchange, ReplayMode } from './exchange-log.js';
import { InspectorError, type InspectorStack } from './inspector-stack.js';
import type { RequestForm } from './request-form.js';

export interface EditOptions {
  /** Field values to change (names absent from the original are added). */
  readonly fields: Readonly<Record<string, string>>;
  /** `resign`: sign as the provider would for the edited body; `original`: keep the old signature (forged). */
  readonly signature: 'resign' | 'original';
  /** A new MessageSid / Message-Id, so the edited copy is not a duplicate of the original. */
  readonly freshId: boolean;
}

export interface ReplayResult {
  readonly requestId: string | undefined;
  readonly status: number;
}

// Recomputed by the HTTP client for the new body, or meaningless on a new connection.
const HOP_BY_HOP = /^(content-length|connection|transfer-encoding|keep-alive|expect)$/i;

function upsert(fields: [string, string][], name: string, value: string): void {
  const index = fields.findIndex(([key]) => key === name);
  if (index === -1) fields.push([name, value]);
  else fields[index] = [name, value];
}

async function post(
  stack: InspectorStack,
  entry: RecordedExchange,
  headers: ReadonlyArray<readonly [string, string]>,
  body: Buffer,
  log: ExchangeLog,
  mode: ReplayMode,
): Promise<ReplayResult> {
  const query = new URLSearchParams(
    Object.entries(entry.event.multiValueQueryStringParameters ?? {}).flatMap(([k, vs]) =>
      (vs ?? []).map((v): [string, string] => [k, v]),
    ),
  ).toString();
  // The original Host header goes along, so the gateway rebuilds the same public URL the signature covers.
  const response = await sendHttp({
    url: `${stack.gatewayUrl}${entry.event.path}${query ? `?${query}` : ''}`,
    headers: headers.filter(([name]) => !HOP_BY_HOP.test(name)),
    body,
    connectTimeoutMs: 2000,
    readTimeoutMs: 15_000,
  });
  const id = response.headers['x-amzn-requestid'];
  const requestId = typeof id === 'string' ? id : undefined;
  if (requestId) log.markReplay(requestId, entry.id, mode);
  return { requestId, status: response.status };
}

/** The exact bytes again: same headers, same body, same signature; a verified message becomes a duplicate. */
export function replayOriginal(stack: InspectorStack, entry: RecordedExchange, log: ExchangeLog) {
  return post(stack, entry, entry.headers, entry.body, log, 'original');
}

function editedFields(form: RequestForm, edits: EditOptions, twilio: boolean): [string, string][] {
  const fields = form.fields.map(([name, value]): [string, string] => [name, value]);
  for (const [name, value] of Object.entries(edits.fields)) upsert(fields, name, value);
  if (!edits.freshId) return fields;
  if (twilio) {
    const old = fields.find(([name]) => name === 'MessageSid')?.[1] ?? '';
    const sid = newMessageSid(old.startsWith('MM') ? 'MM' : 'SM');
    // SmsSid and SmsMessageSid repeat the MessageSid on every Twilio webhook.
    return fields.map(([name, value]): [string, string] => [name, value === old && old !== '' ? sid : value]);
  }
  const domain =
    (fields.find(([name]) => name === 'sender')?.[1] ?? 'example.com').split('@')[1] ?? 'example.com';
  const messageId = newEmailMessageId(domain);
  upsert(fields, 'Message-Id', messageId);
  const headers = fields.find(([name]) => name === 'message-headers');
  if (headers) {
    try {
      const list = (JSON.parse(headers[1]) as [string, string][]).map(([name, value]) =>
        name.toLowerCase() === 'message-id' ? [name, messageId] : [name, value],
      );
      upsert(fields, 'message-headers', JSON.stringify(list));
    } catch {
      // left as sent: the gateway reads the top-level Message-Id first
    }
  }
  return fields;
}

/**
 * The request with edited fields. Re-signed, it is what the provider would send for that content; with the
 * original signature it shows what the gateway does with a tampered request (Twilio: forged; Mailgun signs only
 * timestamp + token, so there the reused token is what gets it refused).
 */
export async function replayEdited(
  stack: InspectorStack,
  entry: RecordedExchange,
  edits: EditOptions,
  log: ExchangeLog,
): Promise<ReplayResult> {
  const route = routeOf(entry.event);
  if (!route) throw new InspectorError(400, 'not a webhook route');
  const form = await entry.form;
  if (form.encoding === 'other') throw new InspectorError(400, 'only form bodies can be edited');
  const twilio = route.channel !== 'email';
  let fields = editedFields(form, edits, twilio);
  const mode: ReplayMode = edits.signature === 'resign' ? 're-signed' : 'original-signature';
  if (twilio) {
    let headers = entry.headers.filter(([name]) => !/^content-type$/i.test(name));
    headers = [...headers, ['Content-Type', 'application/x-www-form-urlencoded']];
    if (edits.signature === 'resign') {
      const authToken = secretString(await channelSecret(stack, route.channel, fields), 'auth_token');
      const signature = computeTwilioSignature(
        publicUrlOf(entry.event, route, stack.config.webhookBaseUrl),
        fields,
        authToken,
      );
      headers = [
        ...headers.filter(([name]) => !/^x-twilio-signature$/i.test(name)),
        ['X-Twilio-Signature', signature],
      ];
    }
    return post(stack, entry, headers, Buffer.from(encodeForm(fields), 'utf8'), log, mode);
  }
  if (edits.signature === 'resign') {
    const key = secretString(await channelSecret(stack, 'email', fields), 'signing_key');
    fields = withMailgunSignature(fields, key, new Date(), randomBytes(25).toString('hex'));
  }
  const attachments = form.files.map((f) => ({
    filename: f.filename,
    contentType: f.contentType,
    data: f.data,
  }));
  const { contentType, body } = await encodeMailgunBody(fields, attachments, form.encoding);
  const headers = [
    ...entry.headers.filter(([name]) => !/^content-type$/i.test(name)),
    ['Content-Type', contentType] as const,
  ];
  return post(stack, entry, headers, body, log, mode);
}
