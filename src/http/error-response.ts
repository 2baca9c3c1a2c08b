import type { Logger, Metrics } from '../app/ports.js';
import type { WebhookResponse } from '../app/webhook-request.js';
import { ForbiddenError, NotAcceptableError, VerifiedContentError, WebhookError } from '../domain/errors.js';
import { OBSERVABILITY } from '../resources.js';
import type { OutcomeReport } from './outcome-response.js';

function json(statusCode: number, message: string, extra: Record<string, string> = {}): WebhookResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...extra },
    body: JSON.stringify({ message }),
  };
}

/**
 * The one place errors become HTTP (with metrics and the local observer's record). 4xx bodies say what was wrong
 * with the request, never why a signature failed or anything internal; every failure after acceptance is a 5xx so
 * the provider retries (or uses its fallback URL).
 */
export function errorResponse(error: unknown, logger: Logger, metrics: Metrics): OutcomeReport {
  if (error instanceof WebhookError && error.status < 500) {
    metrics.count(OBSERVABILITY.metrics.validationFailure);
    if (error instanceof NotAcceptableError) metrics.count(error.metric);
    const reason = error instanceof ForbiddenError ? error.reason : undefined;
    // Mailgun retries every 4xx but 406 for 8 hours: verified content it sent that we refuse gets its "rejected".
    const refused = error instanceof VerifiedContentError && error.provider === 'mailgun';
    const status = refused ? 406 : error.status;
    const code = refused ? 'NOT_ACCEPTABLE' : error.code;
    logger.warn('webhook rejected', { status, code, reason });
    return {
      response: error instanceof ForbiddenError ? json(403, 'Forbidden') : json(status, error.message),
      observed: {
        verdict: 'rejected',
        status,
        code,
        ...(reason ? { reason } : {}),
      },
    };
  }
  if (error instanceof WebhookError) {
    const cause = (error as { cause?: unknown }).cause;
    logger.error('webhook failed; provider will retry', {
      status: error.status,
      code: error.code,
      cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined,
    });
    return {
      response: json(error.status, 'Service temporarily unavailable, please retry', { 'Retry-After': '1' }),
      observed: { verdict: 'failed', status: error.status, code: error.code },
    };
  }
  logger.error('unexpected failure', {
    error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
    // Frames only (the logger adapter maps them through the source map when it writes them).
    stack: error instanceof Error ? error.stack : undefined,
  });
  return {
    response: json(500, 'Internal server error'),
    observed: { verdict: 'failed', status: 500, code: 'INTERNAL' },
  };
}
