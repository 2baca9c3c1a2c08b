import {
  DependencyError,
  PayloadTooLargeError,
  type PermanentReason,
  SecretNotFoundError,
  WebhookError,
} from '../domain/errors.js';

/**
 * AWS errors that refuse the request for what it carries, identically on every retry (by the SDK's error `name`).
 * Everything else — throttling, 5xx, timeouts, access denied (fixed by a deploy) — is transient.
 */
const PERMANENT_AWS_ERRORS: Readonly<Record<string, PermanentReason>> = {
  // S3: an object over 5 GB in one PutObject, or a part over the limit.
  EntityTooLarge: 'too_large',
  // SQS: a body or attribute with characters outside XML's set.
  InvalidMessageContents: 'unprocessable',
  // DynamoDB: an item over 400 KB.
  ItemCollectionSizeLimitExceededException: 'too_large',
};

/** Our own size verdicts (`PayloadTooLargeError` thrown inside an adapter's call) and the AWS errors above. */
function classifyFailure(error: unknown): PermanentReason | undefined {
  if (error instanceof PayloadTooLargeError) return 'too_large';
  const name = error instanceof Error ? error.name : undefined;
  return name !== undefined ? PERMANENT_AWS_ERRORS[name] : undefined;
}

/**
 * THE way adapters translate failures: anything that is not already a WebhookError (or a missing secret, which the
 * secret cache gives its meaning) becomes a `DependencyError` naming the dependency, marked permanent when
 * `classify` (default `classifyFailure`) says retrying can never help, transient otherwise. A size limit an adapter
 * enforces itself is thrown inside `call` as `PayloadTooLargeError` and comes out as permanent `too_large`. The use
 * case never wraps errors itself; it reads `permanentReason(error)`.
 */
export async function dependencyCall<T>(
  dependency: string,
  call: () => Promise<T>,
  classify: (error: unknown) => PermanentReason | undefined = classifyFailure,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DependencyError || error instanceof SecretNotFoundError) throw error;
    const permanent = classify(error);
    if (error instanceof WebhookError && permanent === undefined) throw error;
    throw new DependencyError(dependency, { cause: error, ...(permanent ? { permanent } : {}) });
  }
}
