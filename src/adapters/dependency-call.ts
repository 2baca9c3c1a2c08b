import { DependencyError, SecretNotFoundError, WebhookError } from '../domain/errors.js';

/**
 * The one way adapters translate SDK and network failures: any error that is not already a WebhookError becomes a
 * `DependencyError` naming the dependency (a 503, so the provider retries). The use case never wraps errors itself.
 * Errors an adapter gives a meaning to are caught inside `call` (a conditional check failing) or thrown as the
 * domain's own error (a missing secret), and pass through.
 */
export async function dependencyCall<T>(dependency: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WebhookError || error instanceof SecretNotFoundError) throw error;
    throw new DependencyError(dependency, { cause: error });
  }
}
