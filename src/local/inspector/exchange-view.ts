import { maskPhone, scrubTruncated } from '../../domain/mask.js';
import { routeOf } from '../../http/rest-event.js';
import { QUEUES } from '../../resources.js';
import { attachmentsView } from './attachment-view.js';
import type { RecordedExchange } from './exchange-log.js';
import { type CompanyLookup, companyOf, providerOf, queuedMessage } from './exchange-parties.js';
import { field, type RequestForm } from './request-form.js';
import { verdictOf } from './verdict.js';

/**
 * One field for display: addresses masked wherever they appear, plus the two personal fields scrubPii cannot
 * recognise: WhatsApp's `WaId` (the number without "+") and the profile name.
 */
export function maskField(name: string, value: string): string {
  if (name === 'WaId') return maskPhone(value);
  if (name === 'ProfileName' || name === 'profile_name') return value ? `${value[0]}***` : value;
  return scrubTruncated(value);
}

/** Every string inside a value, masked: the inspector may be on a shared screen. */
export function scrubDeep(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return maskField(key, value);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, scrubDeep(item, name)]));
  return value;
}

function preview(text: string, max = 80): string {
  const flat = text
    .slice(0, 4 * max)
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Who wrote to whom and what, whichever provider's field names the body uses. */
function essentials(form: RequestForm) {
  return {
    from: field(form, 'From') ?? field(form, 'sender') ?? '',
    to: field(form, 'To') ?? field(form, 'recipient') ?? '',
    text:
      field(form, 'Body') ??
      field(form, 'stripped-text') ??
      field(form, 'body-plain') ??
      field(form, 'subject') ??
      '',
    messageId: field(form, 'MessageSid') ?? field(form, 'Message-Id') ?? field(form, 'message-id') ?? '',
  };
}

/**
 * Why a request was refused, from the gateway's own 4xx answer (`{"message": "Invalid From: …"}`): shown in the
 * row and the detail header instead of a bare status. A 403 says only "Forbidden", and the verdict says which check.
 */
function rejectionReason(verdict: string, status: number, responseBody: string): string | undefined {
  if (verdict !== 'rejected' || status < 400 || status >= 500) return undefined;
  try {
    const message = (JSON.parse(responseBody) as { message?: unknown }).message;
    return typeof message === 'string' && message !== 'Forbidden'
      ? scrubTruncated(preview(message, 160))
      : undefined;
  } catch {
    return undefined;
  }
}

// Masked once per exchange, not on every poll: the page polls the list every second or so.
const maskedSummaries = new WeakMap<
  RecordedExchange,
  Promise<Record<'from' | 'to' | 'preview' | 'messageId' | 'company' | 'provider', string>>
>();
const maskedRequests = new WeakMap<RecordedExchange, Promise<MaskedRequest>>();

async function maskSummary(entry: RecordedExchange, lookup: CompanyLookup | undefined) {
  const { from, to, text, messageId } = essentials(await entry.form);
  // The queued context's body and id where there is one: an SES notification carries neither in its envelope.
  const queued = queuedMessage(entry);
  return {
    from: scrubTruncated(from, 320),
    to: scrubTruncated(to, 320),
    preview: scrubTruncated(preview(queued.body ?? text)),
    messageId: (queued.message_id ?? messageId).slice(0, 320),
    company: (await companyOf(entry, to, lookup)).slice(0, 120),
    provider: providerOf(entry),
  };
}

function once<T>(
  cache: WeakMap<RecordedExchange, Promise<T>>,
  entry: RecordedExchange,
  make: () => Promise<T>,
) {
  let value = cache.get(entry);
  if (!value) {
    value = make();
    cache.set(entry, value);
  }
  return value;
}

/** One row of the list; `lookup` names the company of an address the context does not (unknown sender, forged). */
export async function summaryView(entry: RecordedExchange, lookup?: CompanyLookup) {
  const {
    from,
    to,
    preview: text,
    messageId,
    company,
    provider,
  } = await once(maskedSummaries, entry, () => maskSummary(entry, lookup));
  const { verdict, label: verdictLabel } = verdictOf(entry.outcome, entry.status);
  const rejection = rejectionReason(verdict, entry.status, entry.responseBody);
  const label = rejection ? `${verdictLabel}: ${rejection}` : verdictLabel;
  const queued = entry.outcome?.verdict === 'queued' ? entry.outcome : undefined;
  return {
    id: entry.id,
    at: entry.at,
    channel: routeOf(entry.event)?.channel ?? 'unknown',
    path: entry.event.path,
    status: entry.status,
    durationMs: Math.round(entry.durationMs),
    verdict,
    label,
    provider,
    from,
    to,
    company,
    messageId,
    preview: text,
    ...(queued ? { queue: QUEUES[queued.queue].name, route: queued.route } : {}),
    ...(queued?.reason ? { reason: queued.reason } : {}),
    ...(rejection ? { rejection } : {}),
    ...(entry.replayOf ? { replayOf: entry.replayOf, replayMode: entry.replayMode } : {}),
  };
}

async function maskRequest(entry: RecordedExchange) {
  const form = await entry.form;
  return {
    method: entry.event.httpMethod,
    path: entry.event.path,
    encoding: form.encoding,
    headers: entry.headers.map(([name, value]) => [name, scrubTruncated(value)]),
    fields: form.fields.map(([name, value]) => [name, maskField(name, value)]),
    files: form.files.map((f) => ({
      field: f.field,
      filename: f.filename,
      contentType: f.contentType,
      size: f.data.length,
    })),
  };
}

type MaskedRequest = Awaited<ReturnType<typeof maskRequest>>;

export async function detailView(entry: RecordedExchange, lookup?: CompanyLookup) {
  const queued = entry.outcome?.verdict === 'queued' ? entry.outcome : undefined;
  return {
    ...(await summaryView(entry, lookup)),
    request: await once(maskedRequests, entry, () => maskRequest(entry)),
    outcome: entry.outcome
      ? scrubDeep({ ...entry.outcome, ...(queued ? { context: undefined } : {}) })
      : null,
    context: queued ? scrubDeep(queued.context) : null,
    storedAttachments: attachmentsView(entry),
    response: { status: entry.status, body: scrubTruncated(entry.responseBody) },
  };
}
