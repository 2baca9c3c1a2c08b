import { describe, expect, it } from 'vitest';
import type { RegistryEntry } from '../../src/domain/types.js';
import { createHandler } from '../../src/http/create-handler.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { mailgunRequest } from '../../src/kit/mailgun-webhook.js';
import { mailgunFields } from '../fixtures/mailgun-webhooks.js';
import { HOOKS_BASE_URL, signedEvent } from '../fixtures/signed-events.js';
import { fakeDependencies, seedFakeConversation } from '../helpers/fakes/fake-dependencies.js';

/** A tenant whose Mailgun account is in the EU: its stored messages live under `api.eu.mailgun.net`. */
const EU_STORAGE =
  'https://storage-europe-west1.api.eu.mailgun.net/v3/domains/mail.cucumber.example/messages/k';
const US_STORAGE = 'https://storage-us-east4.api.mailgun.net/v3/domains/mail.cucumber.example/messages/k';

async function setUp(mailgunApiHost?: RegistryEntry['mailgun_api_host']) {
  const deps = fakeDependencies();
  seedFakeConversation(deps, 'email', DEMO.emailSender, { conversationId: 'conv-email-eu' });
  const entry = await deps.registry.find(DEMO.emailAddress);
  if (!entry) throw new Error('demo entry missing');
  deps.registry.put({ ...entry, ...(mailgunApiHost ? { mailgun_api_host: mailgunApiHost } : {}) });
  const post = async (storage: string) => {
    deps.mailgunStorage.files.set(`${storage}/attachments/0`, Buffer.from('%PDF-1.7'));
    const fields = mailgunFields({
      sender: DEMO.emailSender,
      recipient: DEMO.emailAddress,
      signingKey: DEMO.signingKey,
      timestamp: Math.floor(deps.clock.now().getTime() / 1000),
      extra: {
        'message-url': storage,
        attachments: JSON.stringify([
          { url: `${storage}/attachments/0`, 'content-type': 'application/pdf', name: 'cv.pdf', size: 8 },
        ]),
      },
    });
    const signed = await mailgunRequest(`${HOOKS_BASE_URL}/email`, Object.entries(fields), [], 'urlencoded');
    return createHandler(deps, { webhookBaseUrl: HOOKS_BASE_URL, corsAllowOrigin: '*' })(signedEvent(signed));
  };
  return { deps, post };
}

describe('Mailgun API region from the registry entry (mailgun_api_host)', () => {
  it("an EU tenant's store(notify) attachments are fetched through the EU API", async () => {
    const { deps, post } = await setUp('api.eu.mailgun.net');
    expect((await post(EU_STORAGE)).statusCode).toBe(200);
    expect(deps.mailgunStorage.faults.calls.at(-1)?.args[3]).toBe('api.eu.mailgun.net');
    expect(deps.queue.messages).toHaveLength(1);
  });

  it('an EU URL for a US tenant (no attribute) is refused with 406 before any fetch, and vice versa', async () => {
    const us = await setUp();
    expect((await us.post(EU_STORAGE)).statusCode).toBe(406);
    const eu = await setUp('api.eu.mailgun.net');
    expect((await eu.post(US_STORAGE)).statusCode).toBe(406);
    expect([...us.deps.queue.messages, ...eu.deps.queue.messages]).toEqual([]);
  });
});
