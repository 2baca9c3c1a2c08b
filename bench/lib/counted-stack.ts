import { startEmulators, startS3Emulator } from '../../src/local/emulators.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../src/local/local-stack.js';
import { AwsProxy } from '../../test/helpers/aws-proxy.js';

export interface CountedStack {
  readonly stack: LocalStack;
  /** Counting proxies in front of the emulators the stack talks to. */
  readonly proxies: { readonly dynamodb: AwsProxy; readonly sqs: AwsProxy; readonly s3: AwsProxy };
  readonly dynamodbEndpoint: string;
  stop(): Promise<void>;
}

/**
 * The real local stack (the handler the Lambda exports, the same adapters) on free ports, with counting proxies in
 * front of DynamoDB, SQS and S3: what the AWS-calls figures count.
 */
export async function startCountedStack(overrides: Partial<LocalStackOptions> = {}): Promise<CountedStack> {
  const emulators = await startEmulators({ dynamodbPort: 0, sqsPort: 0 });
  const s3Emulator = await startS3Emulator(0);
  const proxies = {
    dynamodb: new AwsProxy(emulators.dynamodbEndpoint),
    sqs: new AwsProxy(emulators.sqsEndpoint),
    s3: new AwsProxy(s3Emulator.endpoint),
  };
  await Promise.all(Object.values(proxies).map((p) => p.start()));
  const stack = await startLocalStack({
    port: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    dynamodbEndpoint: proxies.dynamodb.url,
    sqsEndpoint: proxies.sqs.url,
    s3Endpoint: proxies.s3.url,
    throttleRateLimit: 0,
    throttleBurstLimit: 0,
    monthlyQuota: 0,
    queueDelaySeconds: 0,
    logger: { info() {}, warn() {}, error() {} },
    ...overrides,
  });
  return {
    stack,
    proxies,
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    async stop() {
      await stack.stop();
      await Promise.all(Object.values(proxies).map((p) => p.stop()));
      await s3Emulator.stop();
      await emulators.stop();
    },
  };
}
