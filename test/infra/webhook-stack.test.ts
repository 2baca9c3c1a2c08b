import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BINARY_MEDIA_TYPES,
  CORS,
  ENV,
  OBSERVABILITY,
  QUEUE_URL_ENV,
  QUEUES,
  type QueueKey,
  TABLE_NAME_ENV,
  TABLES,
  type TableKey,
} from '../../src/resources.js';
import {
  findByProperty,
  getAtt,
  type PolicyStatement,
  policyStatements,
  ref,
  resourcesOfType,
  type Synthesised,
  synthWebhookStack,
} from './synth.js';

let dev: Synthesised;
beforeAll(() => {
  dev = synthWebhookStack();
});

const queueId = (name: string) =>
  findByProperty(dev.dataTemplate, 'AWS::SQS::Queue', 'QueueName', `${name}-dev`).id;
const webhookFunction = () =>
  findByProperty(dev.template, 'AWS::Lambda::Function', 'FunctionName', 'IncomingWebhookHandler-dev');

describe('SQS (seed §5.4)', () => {
  it.each(Object.values(QUEUES))(
    '$name: delay 30 s, visibility 120 s, 14 days, DLQ after 5 receives',
    (queue) => {
      const dlqId = queueId(queue.deadLetterQueueName);
      dev.dataTemplate.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `${queue.name}-dev`,
        DelaySeconds: 30,
        VisibilityTimeout: 120,
        MessageRetentionPeriod: 1209600,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: getAtt(dlqId), maxReceiveCount: 5 },
      });
      dev.dataTemplate.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `${queue.deadLetterQueueName}-dev`,
        MessageRetentionPeriod: 1209600,
        SqsManagedSseEnabled: true,
      });
    },
  );

  it('denies non-TLS access on all eight queues (enforceSSL)', () => {
    const policies = resourcesOfType(dev.dataTemplate, 'AWS::SQS::QueuePolicy');
    expect(policies).toHaveLength(8);
    for (const [, policy] of policies) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });
});

describe('DynamoDB (seed §5.2)', () => {
  it('Conversations: primary_channel + conversation_id, GSI on conversation_status, PITR', () => {
    dev.dataTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'Conversations-dev',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'primary_channel', KeyType: 'HASH' },
        { AttributeName: 'conversation_id', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'conversation_status-index',
          KeySchema: [
            { AttributeName: 'conversation_status', KeyType: 'HASH' },
            { AttributeName: 'updated_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        }),
        Match.objectLike({
          IndexName: 'conversation_id-index',
          KeySchema: [{ AttributeName: 'conversation_id', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        }),
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // SSEEnabled without a key = the AWS-managed KMS key (alias/aws/dynamodb).
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('TTL attributes on the fallback ledger (expires_at) and idempotency table (expiration)', () => {
    dev.dataTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'FallbackLedger-dev',
      KeySchema: [{ AttributeName: 'ledger_key', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
    dev.dataTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'WebhookIdempotency-dev',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });

  it('point-in-time recovery exactly on the tables holding business data', () => {
    for (const key of Object.keys(TABLES) as TableKey[]) {
      const { props } = findByProperty(
        dev.dataTemplate,
        'AWS::DynamoDB::Table',
        'TableName',
        `${TABLES[key].localName}-dev`,
      );
      expect(props.PointInTimeRecoverySpecification !== undefined, key).toBe(TABLES[key].holdsBusinessData);
    }
  });

  it('dev tables are destroyed with the stack', () => {
    expect(resourcesOfType(dev.dataTemplate, 'AWS::DynamoDB::Table')).toHaveLength(
      Object.keys(TABLES).length,
    );
    for (const [, table] of resourcesOfType(dev.dataTemplate, 'AWS::DynamoDB::Table')) {
      expect(table.DeletionPolicy).toBe('Delete');
    }
  });
});

describe('API Gateway (seed §2, §3)', () => {
  it('REST API replies-engine-webhook-api-<stage>, regional', () => {
    dev.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'replies-engine-webhook-api-dev',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      BinaryMediaTypes: [...BINARY_MEDIA_TYPES],
    });
    const paths = resourcesOfType(dev.template, 'AWS::ApiGateway::Resource').map(
      ([, r]) => r.Properties?.PathPart,
    );
    expect(paths.sort()).toEqual(['email', 'sms', 'whatsapp']);
  });

  it('stage throttles 10 rps / burst 20, INFO execution logs without bodies, JSON access logs', () => {
    dev.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 20,
          LoggingLevel: 'INFO',
          DataTraceEnabled: false,
        }),
      ],
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('^\\{"requestId"'),
      },
    });
    const stage = findByProperty(dev.template, 'AWS::ApiGateway::Stage', 'StageName', 'dev');
    const format = (stage.props.AccessLogSetting as { Format: string }).Format;
    expect(Object.keys(JSON.parse(format))).toEqual(expect.arrayContaining(['status', 'errorType', 'ip']));
  });

  it('no usage plan, API key or authorizer: they would count unauthenticated requests towards the quota', () => {
    for (const type of [
      'AWS::ApiGateway::UsagePlan',
      'AWS::ApiGateway::ApiKey',
      'AWS::ApiGateway::UsagePlanKey',
      'AWS::ApiGateway::Authorizer',
    ]) {
      expect(resourcesOfType(dev.template, type)).toEqual([]);
    }
  });

  it.each([
    ['whatsapp', true],
    ['sms', true],
    ['email', false],
  ])(
    'POST /%s: Lambda proxy, CONVERT_TO_TEXT, no authorizer, signature header required=%s',
    (path, signed) => {
      const resourceId = findByProperty(dev.template, 'AWS::ApiGateway::Resource', 'PathPart', path).id;
      const [, validator] = resourcesOfType(dev.template, 'AWS::ApiGateway::RequestValidator')[0] ?? [];
      expect(validator?.Properties).toMatchObject({ ValidateRequestParameters: true });
      const validatorId = resourcesOfType(dev.template, 'AWS::ApiGateway::RequestValidator')[0]?.[0] ?? '';
      dev.template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        ResourceId: ref(resourceId),
        AuthorizationType: 'NONE',
        Integration: Match.objectLike({
          Type: 'AWS_PROXY',
          ContentHandling: 'CONVERT_TO_TEXT',
        }),
        RequestParameters: signed ? { 'method.request.header.X-Twilio-Signature': true } : {},
        RequestValidatorId: signed ? ref(validatorId) : Match.absent(),
      });
      const method = resourcesOfType(dev.template, 'AWS::ApiGateway::Method').find(
        ([, m]) =>
          m.Properties?.HttpMethod === 'POST' &&
          JSON.stringify(m.Properties?.ResourceId) === JSON.stringify(ref(resourceId)),
      );
      expect(JSON.stringify(method?.[1].Properties?.Integration)).toContain(webhookFunction().id);
    },
  );

  it.each(['whatsapp', 'sms', 'email'])(
    'OPTIONS /%s: MOCK preflight answering 204 with the CORS headers',
    (path) => {
      const resourceId = findByProperty(dev.template, 'AWS::ApiGateway::Resource', 'PathPart', path).id;
      dev.template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'OPTIONS',
        ResourceId: ref(resourceId),
        AuthorizationType: 'NONE',
        Integration: Match.objectLike({
          Type: 'MOCK',
          IntegrationResponses: [
            {
              StatusCode: '204',
              ResponseParameters: {
                'method.response.header.Access-Control-Allow-Origin': "'*'",
                'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,POST'",
                'method.response.header.Access-Control-Allow-Headers': `'${CORS.allowHeaders.join(',')}'`,
              },
            },
          ],
        }),
      });
    },
  );

  it.each([
    ['BAD_REQUEST_PARAMETERS', '400', '{"message":$context.error.messageString}'],
    ['MISSING_AUTHENTICATION_TOKEN', '403', '{"message":"Missing Authentication Token"}'],
    ['THROTTLED', '429', '{"message":"Too Many Requests"}'],
    ['QUOTA_EXCEEDED', '429', '{"message":"Limit Exceeded"}'],
    ['DEFAULT_4XX', undefined, '{"message":$context.error.messageString}'],
    ['DEFAULT_5XX', undefined, '{"message":$context.error.messageString}'],
  ])('gateway response %s → %s %s with CORS', (type, statusCode, body) => {
    dev.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      StatusCode: statusCode ?? Match.absent(),
      ResponseTemplates: { 'application/json': body },
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    });
  });
});

describe('IncomingWebhookHandler (seed §5.1)', () => {
  it('nodejs22.x on arm64, 10 s timeout, bundled ESM handler, explicit log group', () => {
    const { props } = webhookFunction();
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 10,
      MemorySize: 256,
      Handler: 'index.handler',
    });
    const logGroupId = findByProperty(
      dev.template,
      'AWS::Logs::LogGroup',
      'LogGroupName',
      '/aws/lambda/IncomingWebhookHandler-dev',
    ).id;
    expect(props.LoggingConfig).toEqual({ LogGroup: ref(logGroupId) });
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/IncomingWebhookHandler-dev',
      RetentionInDays: 7,
    });
    // API Gateway's execution log group is owned too, so it gets the same retention.
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', Match.anyValue(), '/dev']] },
      RetentionInDays: 7,
    });
  });

  it('gets every table name and queue URL under the env names of src/resources.ts', () => {
    const env = (webhookFunction().props.Environment as { Variables: Record<string, unknown> }).Variables;
    // By deterministic name, never a cross-stack reference: the two stacks deploy and roll back independently.
    for (const key of Object.keys(TABLES) as TableKey[])
      expect(env[TABLE_NAME_ENV[key]]).toBe(`${TABLES[key].localName}-dev`);
    for (const key of Object.keys(QUEUES) as QueueKey[]) {
      const url = JSON.stringify(env[QUEUE_URL_ENV[key]]);
      expect(url).toContain('"https://sqs."');
      expect(url).toMatch(new RegExp(`"/${QUEUES[key].name}-dev"\\]\\]\\}$`));
    }
    expect(JSON.stringify(dev.template.toJSON())).not.toMatch(/Fn::ImportValue|Fn::GetStackOutput/);
    expect(env).toMatchObject({
      [ENV.stage]: 'dev',
      [ENV.corsAllowOrigin]: '*',
      [ENV.powertoolsServiceName]: OBSERVABILITY.serviceName,
      [ENV.powertoolsMetricsNamespace]: OBSERVABILITY.metricsNamespace,
    });
    // Source maps are applied when an error is logged, not parsed at every cold start (bench 2d/2f).
    expect(env.NODE_OPTIONS).toBeUndefined();
    // No custom domain: the handler derives the public URL from Host + requestContext.path.
    expect(env[ENV.webhookBaseUrl]).toBeUndefined();
  });
});

describe('IAM least privilege', () => {
  type Statement = PolicyStatement;
  const statements = (): Statement[] => policyStatements(dev.template);
  const actions = (s: Statement) => [s.Action].flat();
  const resources = (s: Statement) => [s.Resource].flat();

  it('no statement grants a bare "*" resource or a service wildcard action', () => {
    for (const statement of statements()) {
      expect(resources(statement)).not.toContain('*');
      for (const action of actions(statement)) expect(action).not.toMatch(/:\*$|^\*$/);
    }
  });

  it('Secrets Manager: GetSecretValue only on the {channel}-credentials/ prefixes', () => {
    const secrets = statements().filter((s) => actions(s).some((a) => a.startsWith('secretsmanager:')));
    expect(secrets).toHaveLength(1);
    expect(actions(secrets[0] as Statement)).toEqual(['secretsmanager:GetSecretValue']);
    const arns = resources(secrets[0] as Statement).map((r) => JSON.stringify(r));
    expect(arns).toHaveLength(3);
    for (const channel of ['whatsapp', 'sms', 'email']) {
      expect(arns.some((arn) => arn.endsWith(`:secret:${channel}-credentials/*"]]}`))).toBe(true);
    }
  });

  it('Lambda roles carry no managed policies; the template creates no secrets', () => {
    const lambdaRoles = resourcesOfType(dev.template, 'AWS::IAM::Role').filter(([, role]) =>
      JSON.stringify(role.Properties?.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    );
    expect(lambdaRoles).toHaveLength(1);
    for (const [, role] of lambdaRoles) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    dev.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});
