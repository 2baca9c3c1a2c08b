import type { RecordedExchange } from './exchange-log.js';

/** Which provider sent a request, from the headers only that provider sets (what the gateway dispatches on too). */
export function providerOf(entry: RecordedExchange): string {
  const names = new Set(entry.headers.map(([name]) => name.toLowerCase()));
  if (names.has('x-amz-sns-message-type')) return 'ses';
  if (names.has('x-twilio-signature')) return 'twilio';
  if (names.has('x-hub-signature-256')) return 'meta';
  if (entry.event.path === '/email') return 'mailgun';
  return '';
}

/** Resolves a company address (as the provider sent it) to the company's name; undefined when not registered. */
export type CompanyLookup = (address: string) => Promise<string | undefined>;

/** The company a webhook was for: the queued context's, else the registry entry of the address it was sent to. */
export async function companyOf(
  entry: RecordedExchange,
  to: string,
  lookup: CompanyLookup | undefined,
): Promise<string> {
  const outcome = entry.outcome;
  if (outcome?.verdict === 'queued') {
    const company = (outcome.context as { company?: { company_name?: unknown } }).company;
    if (typeof company?.company_name === 'string') return company.company_name;
  }
  if (!lookup || to === '') return '';
  return (await lookup(to.includes('@') ? to.toLowerCase() : to).catch(() => undefined)) ?? '';
}

/** What the gateway queued, when it did: the body as the consumer reads it (SES bodies are only there). */
export function queuedMessage(entry: RecordedExchange): { body?: string; message_id?: string } {
  if (entry.outcome?.verdict !== 'queued') return {};
  const message = (entry.outcome.context as { message?: Record<string, unknown> }).message ?? {};
  return {
    ...(typeof message.body === 'string' ? { body: message.body } : {}),
    ...(typeof message.message_id === 'string' ? { message_id: message.message_id } : {}),
  };
}
