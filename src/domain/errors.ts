/** What went wrong, as stable codes; `src/http/error-response.ts` maps each to the HTTP status the provider needs. */
export type WebhookErrorCode =
  | 'BAD_REQUEST'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_ACCEPTABLE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'QUOTA_EXCEEDED'
  | 'IN_PROGRESS'
  | 'DEPENDENCY_FAILURE';

/**
 * One error hierarchy, with no HTTP in it: `src/http/error-response.ts` is the only place that turns these into
 * answers. Messages are safe to show to callers: they never contain secrets, stack traces or message content.
 */
export abstract class WebhookError extends Error {
  abstract readonly code: WebhookErrorCode;

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    // Logs and stack traces name the subclass, not `Error`.
    this.name = new.target.name;
  }
}

/** The base of a WebhookError with a fixed code. */
function coded<Code extends WebhookErrorCode>(code: Code) {
  abstract class Coded extends WebhookError {
    readonly code = code;
  }
  return Coded;
}

export class BadRequestError extends coded('BAD_REQUEST') {}

/** Signature missing or wrong, unknown recipient, or a replayed token: the caller learns nothing more. */
export class ForbiddenError extends coded('FORBIDDEN') {
  constructor(
    readonly reason: 'signature' | 'unknown-recipient' | 'stale' | 'replayed' | 'channel-mismatch',
  ) {
    super('Forbidden');
  }
}

export class PayloadTooLargeError extends coded('PAYLOAD_TOO_LARGE') {}

/**
 * An email that can never be accepted as sent (e.g. an inline post larger than one Lambda invocation carries):
 * retrying it is pointless, so the answer must be one the provider treats as final. `metric` is counted by the HTTP
 * layer.
 */
export class NotAcceptableError extends coded('NOT_ACCEPTABLE') {
  constructor(
    message: string,
    readonly metric: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class UnsupportedMediaTypeError extends coded('UNSUPPORTED_MEDIA_TYPE') {}

/** The stage's monthly quota of verified webhooks is used up (the message is API Gateway's own: "Limit Exceeded"). */
export class QuotaExceededError extends coded('QUOTA_EXCEEDED') {
  constructor() {
    super('Limit Exceeded');
  }
}

/** The same provider message is being processed right now; retrying later is safe and required. */
export class InProgressError extends coded('IN_PROGRESS') {
  constructor() {
    super('This message is already being processed; retry later');
  }
}

/** A dependency (DynamoDB, SQS, Secrets Manager) failed before the message was durably queued. */
export class DependencyError extends coded('DEPENDENCY_FAILURE') {
  constructor(
    readonly dependency: string,
    options?: { cause?: unknown },
  ) {
    super(`Dependency failure: ${dependency}`, options);
  }
}

/**
 * A secret source has no secret under this reference (Secrets Manager's ResourceNotFoundException, or a missing
 * key in the local file). Not a WebhookError: the secret cache decides what it means for a webhook (forged).
 */
export class SecretNotFoundError extends Error {
  constructor(readonly reference: string) {
    super('Secret not found');
    this.name = 'SecretNotFoundError';
  }
}
