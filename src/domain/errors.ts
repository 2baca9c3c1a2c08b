/**
 * One error hierarchy; `src/http/error-response.ts` is the only place that turns these into HTTP answers.
 * Messages are safe to show to callers: they never contain secrets, stack traces or message content.
 */
export abstract class WebhookError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    // Logs and stack traces name the subclass, not `Error`.
    this.name = new.target.name;
  }
}

export class BadRequestError extends WebhookError {
  readonly status = 400;
  readonly code = 'BAD_REQUEST';
}

/** Signature missing or wrong, unknown recipient, or a replayed token: the caller learns nothing more. */
export class ForbiddenError extends WebhookError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
  constructor(
    readonly reason: 'signature' | 'unknown-recipient' | 'stale' | 'replayed' | 'channel-mismatch',
  ) {
    super('Forbidden');
  }
}

export class PayloadTooLargeError extends WebhookError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends WebhookError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** The stage's monthly quota of verified webhooks is used up (API Gateway's own quota answer: 429 "Limit Exceeded"). */
export class QuotaExceededError extends WebhookError {
  readonly status = 429;
  readonly code = 'QUOTA_EXCEEDED';
  constructor() {
    super('Limit Exceeded');
  }
}

/** The same provider message is being processed right now; retrying later is safe and required. */
export class InProgressError extends WebhookError {
  readonly status = 503;
  readonly code = 'IN_PROGRESS';
  constructor() {
    super('This message is already being processed; retry later');
  }
}

/** A dependency (DynamoDB, SQS, Secrets Manager) failed before the message was durably queued. */
export class DependencyError extends WebhookError {
  readonly status = 503;
  readonly code = 'DEPENDENCY_FAILURE';
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
