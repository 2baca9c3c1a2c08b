import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The emulators accept any credentials; fixed ones keep the CLI from searching the machine for real ones. */
const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  // One quick attempt: a stopped local stack should fail in a second, not after the SDK's backoff.
  maxAttempts: 1,
} as const;

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ ...LOCAL, endpoint });
}

export function documentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
