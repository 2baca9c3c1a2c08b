import { scrubTruncated } from '../../domain/mask.js';
import type { InspectorStack } from './inspector-stack.js';

/** Fallback messages the stack sent through its provider stand-ins; credentials are never shown. */
export async function outboxView(stack: InspectorStack, unmasked: boolean) {
  const show = (value: string | undefined) => (unmasked ? (value ?? '') : scrubTruncated(value ?? ''));
  return (await stack.outbox.allEntries())
    .map((entry) => ({
      provider: entry.provider,
      at: entry.at,
      account: entry.account,
      to: show(entry.fields.To ?? entry.fields.to),
      from: show(entry.fields.From ?? entry.fields.from ?? entry.fields.MessagingServiceSid),
      body: show(
        entry.fields.Body ??
          entry.fields.text ??
          (entry.fields.ContentSid ? `template ${entry.fields.ContentSid}` : ''),
      ),
      fields: Object.fromEntries(Object.entries(entry.fields).map(([name, value]) => [name, show(value)])),
    }))
    .reverse();
}
