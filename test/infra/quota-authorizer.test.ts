import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { handler, QUOTA_KEY_ENV, stageWildcardArn } from '../../infra/quota-authorizer/handler.js';

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/whatsapp';
const event = { type: 'REQUEST', methodArn: METHOD_ARN } as APIGatewayRequestAuthorizerEvent;

describe('quota authorizer', () => {
  afterEach(() => {
    delete process.env[QUOTA_KEY_ENV];
  });

  it('allows the whole stage (the result is cached for every route) and returns the usage-plan key', async () => {
    process.env[QUOTA_KEY_ENV] = 'replies-engine-quota-prod-0123456789abcdef';

    const result = await handler(event);

    expect(result.usageIdentifierKey).toBe('replies-engine-quota-prod-0123456789abcdef');
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*',
      },
    ]);
  });

  it('fails loudly when the key is not configured', async () => {
    await expect(handler(event)).rejects.toThrow(QUOTA_KEY_ENV);
  });

  it('rejects a malformed methodArn', () => {
    expect(() => stageWildcardArn('arn:aws:execute-api:eu-west-1:1:abc')).toThrow(/Unexpected methodArn/);
  });
});
