import { withInspector } from '../../src/local/inspector/with-inspector.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../src/local/local-stack.js';
import { RecordingLogger } from './fakes/recording-logger.js';

/** A local stack on free ports with throttle and quota off, logs kept in memory (plus any overrides). */
export function freePortStackOptions(overrides: Partial<LocalStackOptions> = {}): LocalStackOptions {
  return {
    port: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    throttleRateLimit: 0,
    throttleBurstLimit: 0,
    monthlyQuota: 0,
    logger: new RecordingLogger(),
    ...overrides,
  };
}

/**
 * The local stack on free ports with the inspector wired exactly as `npm start` wires it (src/local/main.ts);
 * throttle and quota off, logs kept in memory.
 */
export function startInspectedStack(): Promise<LocalStack> {
  return startLocalStack(withInspector(freePortStackOptions({ queueDelaySeconds: 0 })));
}
