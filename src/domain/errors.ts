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

/**
 * A verified webhook refused for its content (a field missing or malformed after the signature held). A 400 —
 * except that the HTTP layer answers Mailgun 406, its only "rejected, do not retry" (any other 4xx is retried for
 * 8 hours, and the same content can never be accepted).
 */
export class VerifiedContentError extends BadRequestError {
  constructor(
    message: string,
    readonly provider: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

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

/** The same provider message is being processed right now; retrying later is safe and required. */
export class InProgressError extends coded('IN_PROGRESS') {
  constructor() {
    super('This message is already being processed; retry later');
  }
}

/** Why a dependency will never accept this message, however often it is retried. */
export type PermanentReason = 'too_large' | 'unprocessable';

/**
 * A dependency (DynamoDB, SQS, S3, Secrets Manager, a provider's API) failed before the message was durably queued.
 * Transient unless `permanent` says otherwise: a transient failure is a 503 and the provider retries; a permanent one
 * (the dependency refuses this message for what it is) would fail identically on every retry, so the use case hands
 * the message to a human with what it could keep (`handoff_reason` = the reason) instead. If one ever reaches the
 * HTTP layer it is still a 503: a retry that cannot help is better than an answer that drops the message.
 */
export class DependencyError extends coded('DEPENDENCY_FAILURE') {
  readonly permanent: PermanentReason | undefined;

  constructor(
    readonly dependency: string,
    options?: { cause?: unknown; permanent?: PermanentReason },
  ) {
    super(`Dependency failure: ${dependency}`, options);
    this.permanent = options?.permanent;
  }
}

/** The permanent reason of a failure, or undefined for a transient one (retry) or anything else. */
export function permanentReason(error: unknown): PermanentReason | undefined {
  return error instanceof DependencyError ? error.permanent : undefined;
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
