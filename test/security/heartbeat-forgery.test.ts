import { describe, expect, it } from 'vitest';
import type { RegistryEntry } from '../../src/domain/types.js';
import { buildHeartbeatRequest, type HeartbeatCredentials } from '../../src/heartbeat/heartbeat-request.js';
import { createHandler } from '../../src/http/create-handler.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { HEARTBEAT, OBSERVABILITY } from '../../src/resources.js';
import { demoTwilioStatus, HOOKS_BASE_URL, signedEvent } from '../fixtures/signed-events.js';
import { type FakeDependencies, fakeDependencies } from '../helpers/fakes/fake-dependencies.js';

/**
 * The heartbeat keeps the HeartbeatMissing alarm quiet, so a forged one could hide an outage: it must be exactly as
 * hard to forge as any webhook. It is recognised only after the reserved entry's own signature verifies.
 */
const HEARTBEAT_SECRET: HeartbeatCredentials = {
  account_sid: `AC${'0'.repeat(31)}1`,
  auth_token: 'heartbeat-token',
};
const URL = `${HOOKS_BASE_URL}${HEARTBEAT.route}`;

function stage(): { deps: FakeDependencies; handler: ReturnType<typeof createHandler> } {
  const deps = fakeDependencies();
  deps.registry.put({
    channel_address: HEARTBEAT.address,
    channel_type: 'sms',
    company_id: 'replies-engine',
    project_id: 'heartbeat',
    company_name: 'Replies engine heartbeat',
    credentials_reference: HEARTBEAT.secretName,
  } satisfies RegistryEntry);
  deps.secrets.put(HEARTBEAT.secretName, { ...HEARTBEAT_SECRET });
  return { deps, handler: createHandler(deps, { webhookBaseUrl: HOOKS_BASE_URL, corsAllowOrigin: '*' }) };
}

function event(credentials: HeartbeatCredentials) {
  const request = buildHeartbeatRequest(URL, credentials);
  return signedEvent({
    url: request.url,
    headers: Object.entries(request.headers),
    body: Buffer.from(request.body),
    messageId: '',
  });
}

const heartbeats = (deps: FakeDependencies) => deps.metrics.counts.get(OBSERVABILITY.metrics.heartbeat) ?? 0;

describe('heartbeat', () => {
  it('a correctly signed heartbeat is acknowledged, counted and never queued or stored', async () => {
    const { deps, handler } = stage();
    const response = await handler(event(HEARTBEAT_SECRET));
    expect(response.statusCode).toBe(200);
    expect(heartbeats(deps)).toBe(1);
    expect(deps.metrics.counts.get(OBSERVABILITY.metrics.statusCallback) ?? 0).toBe(0);
    expect(deps.queue.messages).toEqual([]);
    expect(deps.conversations.faults.calls).toEqual([]);
  });

  it.each([
    ['a wrong auth token', { ...HEARTBEAT_SECRET, auth_token: 'guessed' }],
    ["another tenant's valid token", { ...HEARTBEAT_SECRET, auth_token: DEMO.authToken }],
  ])('a heartbeat signed with %s is refused (403) and not counted', async (_name, credentials) => {
    const { deps, handler } = stage();
    const response = await handler(event(credentials));
    expect(response.statusCode).toBe(403);
    expect(heartbeats(deps)).toBe(0);
  });

  it('a genuine status callback of a tenant is not a heartbeat (it cannot keep the alarm quiet)', async () => {
    const { deps, handler } = stage();
    const response = await handler(signedEvent(demoTwilioStatus('sms')));
    expect(response.statusCode).toBe(200);
    expect(heartbeats(deps)).toBe(0);
    expect(deps.metrics.counts.get(OBSERVABILITY.metrics.statusCallback)).toBe(1);
  });
});
