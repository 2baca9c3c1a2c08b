import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

/** Environment variable holding the API key value the usage plan meters (see docs/seed-deviations.md, "Usage plan"). */
export const QUOTA_KEY_ENV = 'QUOTA_USAGE_IDENTIFIER_KEY';

/**
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{verb}/{path}` → `…/{apiId}/{stage}/*`.
 * The result is cached per stage for an hour, so the policy must cover every route, not just the first one called.
 */
export function stageWildcardArn(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  if (!apiArn || !stage) throw new Error(`Unexpected methodArn: ${methodArn}`);
  return `${apiArn}/${stage}/*`;
}

/**
 * Quota authorizer: not an authentication step. Webhook providers cannot send API keys, so API Gateway takes the
 * usage-plan key from this authorizer (`apiKeySourceType: AUTHORIZER`) and enforces the monthly quota with it.
 * It never sees the body (authorizers cannot), so the Twilio/Mailgun signature is verified in the webhook handler.
 * No I/O: it cannot fail on a dependency and, cached per stage, runs about once an hour.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const usageIdentifierKey = process.env[QUOTA_KEY_ENV];
  if (!usageIdentifierKey) throw new Error(`${QUOTA_KEY_ENV} is not set`);
  return {
    principalId: 'webhook-provider',
    usageIdentifierKey,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcardArn(event.methodArn) },
      ],
    },
  };
}
