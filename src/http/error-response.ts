import type { Logger, Metrics } from '../app/ports.js';
import type { WebhookResponse } from '../app/webhook-request.js';
import {
  ForbiddenError,
  NotAcceptableError,
  VerifiedContentError,
  WebhookError,
  type WebhookErrorCode,
} from '../domain/errors.js';
import { OBSERVABILITY } from '../resources.js';
import type { OutcomeReport } from './outcome-response.js';

/**
 * The HTTP status of each error, chosen against the providers' retry contracts: 4xx for what a retry cannot fix,
 * 503 for what it can (every provider retries a 5xx, or uses its fallback URL). 406 is Mailgun's "rejected, do not
 * retry" (it retries any other non-2xx for 8 hours); 429 with "Limit Exceeded" is what API Gateway's own quota
 * answers.
 */
const STATUS_BY_CODE: Readonly<Record<WebhookErrorCode, number>> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  NOT_ACCEPTABLE: 406,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUOTA_EXCEEDED: 429,
  IN_PROGRESS: 503,
  DEPENDENCY_FAILURE: 503,
};

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
  const status = error instanceof WebhookError ? STATUS_BY_CODE[error.code] : 500;
  if (error instanceof WebhookError && status < 500) {
    metrics.count(OBSERVABILITY.metrics.validationFailure);
    if (error instanceof NotAcceptableError) metrics.count(error.metric);
    const reason = error instanceof ForbiddenError ? error.reason : undefined;
    // Mailgun retries every 4xx but 406 for 8 hours: verified content it sent that we refuse gets its "rejected".
    const refused = error instanceof VerifiedContentError && error.provider === 'mailgun';
    const answered = refused ? STATUS_BY_CODE.NOT_ACCEPTABLE : status;
    const code = refused ? 'NOT_ACCEPTABLE' : error.code;
    logger.warn('webhook rejected', { status: answered, code, reason });
    return {
      response: error instanceof ForbiddenError ? json(403, 'Forbidden') : json(answered, error.message),
      observed: {
        verdict: 'rejected',
        status: answered,
        code,
        ...(reason ? { reason } : {}),
      },
    };
  }
  if (error instanceof WebhookError) {
    const cause = (error as { cause?: unknown }).cause;
    logger.error('webhook failed; provider will retry', {
      status,
      code: error.code,
      cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined,
    });
    return {
      response: json(status, 'Service temporarily unavailable, please retry', { 'Retry-After': '1' }),
      observed: { verdict: 'failed', status, code: error.code },
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
