import { withInspector } from '../../src/local/inspector/with-inspector.js';
import { type LocalStack, startLocalStack } from '../../src/local/local-stack.js';
import { RecordingLogger } from './fakes/recording-logger.js';

/**
 * The local stack on free ports with the inspector wired exactly as `npm start` wires it (src/local/main.ts);
 * throttle and quota off, logs kept in memory.
 */
export function startInspectedStack(): Promise<LocalStack> {
  return startLocalStack(
    withInspector({
      port: 0,
      dynamodbPort: 0,
      sqsPort: 0,
      throttleRateLimit: 0,
      throttleBurstLimit: 0,
      monthlyQuota: 0,
      queueDelaySeconds: 0,
      logger: new RecordingLogger(),
    }),
  );
}
