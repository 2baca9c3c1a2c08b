import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  DependencyError,
  ForbiddenError,
  InProgressError,
  PayloadTooLargeError,
} from '../../src/domain/errors.js';
import { createHandler } from '../../src/http/create-handler.js';
import { errorResponse } from '../../src/http/error-response.js';
import type { WebhookOutcome } from '../../src/http/observed-outcome.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { buildRestEvent } from '../../src/kit/rest-event-builder.js';
import { InMemoryMetrics } from '../../src/local/in-memory-metrics.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { demoTwilioWebhook, HOOKS_BASE_URL, signedEvent } from '../fixtures/signed-events.js';
import { fakeDependencies } from '../helpers/fakes/fake-dependencies.js';
import { RecordingLogger } from '../helpers/fakes/recording-logger.js';

describe('createHandler', () => {
  it('answers an unknown path or a non-POST like API Gateway does, without touching any port', async () => {
    const deps = fakeDependencies();
    const handler = createHandler(deps, { webhookBaseUrl: HOOKS_BASE_URL, corsAllowOrigin: '*' });

    const unknown = await handler(
      buildRestEvent({ method: 'POST', path: '/nope', headers: [], body: Buffer.from('') }),
    );
    const get = await handler(
      buildRestEvent({ method: 'GET', path: '/whatsapp', headers: [], body: Buffer.from('') }),
    );

    expect([unknown.statusCode, get.statusCode]).toEqual([403, 403]);
    expect(JSON.parse(unknown.body)).toEqual({ message: 'Missing Authentication Token' });
    expect(deps.registry.faults.calls).toHaveLength(0);
  });

  it('adds the configured CORS origin to every answer and flushes metrics once per invocation', async () => {
    const deps = fakeDependencies();
    let flushes = 0;
    deps.metrics.flush = () => {
      flushes += 1;
    };
    const handler = createHandler(deps, {
      webhookBaseUrl: HOOKS_BASE_URL,
      corsAllowOrigin: 'https://ops.example',
    });

    const ok = await handler(signedEvent(demoTwilioWebhook('whatsapp')));
    const forged = await handler(signedEvent(demoTwilioWebhook('whatsapp', {}, 'wrong')));

    expect(ok.headers?.['Access-Control-Allow-Origin']).toBe('https://ops.example');
    expect(forged.headers?.['Access-Control-Allow-Origin']).toBe('https://ops.example');
    expect(flushes).toBe(2);
  });

  it('reports each failure to the local observer under the request id', async () => {
    const deps = fakeDependencies();
    const seen: [string, WebhookOutcome][] = [];
    const handler = createHandler(deps, {
      webhookBaseUrl: HOOKS_BASE_URL,
      corsAllowOrigin: '*',
      observe: (id, outcome) => seen.push([id, outcome]),
    });
    const event = signedEvent(demoTwilioWebhook('whatsapp', { To: 'whatsapp:+15005550006' }));

    await handler(event);

    expect(seen).toEqual([
      [
        event.requestContext.requestId,
        { verdict: 'rejected', status: 403, code: 'FORBIDDEN', reason: 'unknown-recipient' },
      ],
    ]);
  });

  it('verifies against the configured public URL, not the Host header', async () => {
    const deps = fakeDependencies();
    const handler = createHandler(deps, { webhookBaseUrl: 'https://other.example', corsAllowOrigin: '*' });

    const response = await handler(signedEvent(demoTwilioWebhook('whatsapp', { To: DEMO.whatsappNumber })));

    expect(response.statusCode).toBe(403);
  });
});

describe('errorResponse: the one place errors become HTTP', () => {
  const answer = (error: unknown) => {
    const logger = new RecordingLogger();
    const metrics = new InMemoryMetrics();
    const { response, observed } = errorResponse(error, logger, metrics);
    return { response, observed, logger, metrics, message: JSON.parse(response.body).message as string };
  };

  it('says only "Forbidden" for every 403 reason and counts a validation failure', () => {
    const { response, message, metrics, logger } = answer(new ForbiddenError('signature'));

    expect(response.statusCode).toBe(403);
    expect(message).toBe('Forbidden');
    expect(metrics.get(OBSERVABILITY.metrics.validationFailure)).toBe(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', fields: { reason: 'signature' } });
  });

  it('passes a 4xx message through (it names the field, nothing internal)', () => {
    expect(answer(new BadRequestError('Missing field: To')).message).toBe('Missing field: To');
    expect(answer(new PayloadTooLargeError('Body larger than 10 bytes')).response.statusCode).toBe(413);
  });

  it('turns a dependency failure or an in-progress claim into 503 with Retry-After, cause only in the log', () => {
    const dependency = answer(
      new DependencyError('queue', { cause: new Error('arn:aws:sqs:secret-detail') }),
    );
    const busy = answer(new InProgressError());

    expect(dependency.response).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '1' } });
    expect(dependency.response.body).not.toContain('arn:aws');
    expect(dependency.logger.lines[0]?.fields.cause).toContain('arn:aws:sqs:secret-detail');
    expect(busy.response.statusCode).toBe(503);
    expect(dependency.metrics.get(OBSERVABILITY.metrics.validationFailure)).toBe(0);
  });

  it('answers anything unexpected with a bare 500', () => {
    const { response, message } = answer(new TypeError('x is undefined at /var/task/index.mjs:1'));

    expect(response.statusCode).toBe(500);
    expect(message).toBe('Internal server error');
    expect(response.body).not.toContain('/var/task');
  });
});
