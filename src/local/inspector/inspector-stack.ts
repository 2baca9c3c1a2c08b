import type { LocalStack } from '../local-stack.js';

/** What the inspector uses of the running stack. */
export type InspectorStack = Pick<
  LocalStack,
  | 'gatewayUrl'
  | 'config'
  | 'deps'
  | 'sqsEndpoint'
  | 'dynamodbEndpoint'
  | 'dynamodbDataDir'
  | 'queueUrls'
  | 'outbox'
  | 's3Endpoint'
  | 's3'
  | 'ses'
  | 'secrets'
>;

/** An answer for the browser: the route handler turns it into a JSON response with this status. */
export class InspectorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'InspectorError';
  }
}
