import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/paths.js';
import { findByProperty, resourcesOfType, type Synthesised, synthWebhookStack } from './synth.js';

/** The grants one call in one adapter needs: each of `actions` on each of `resources`. */
function needs(usedBy: string, call: string, actions: readonly string[], resources: readonly string[]) {
  return actions.flatMap((action) =>
    resources.map((resource) => ({ grant: `${action} on ${resource}`, usedBy, call })),
  );
}

/**
 * Every action the webhook function's role is granted, next to the code that needs it. A grant nobody uses, or a
 * call nobody granted, fails here: the table is the review of the function's permissions.
 */
const GRANTS: readonly { grant: string; usedBy: string; call: string }[] = [
  ...needs('dynamodb-registry.ts', 'GetCommand', ['dynamodb:GetItem'], ['CompanyChannels']),
  ...needs(
    'dynamodb-conversations.ts',
    'QueryCommand',
    ['dynamodb:Query'],
    ['Conversations', 'Conversations/index/conversation_id-index'],
  ),
  ...needs('dynamodb-conversations.ts', 'GetCommand', ['dynamodb:GetItem'], ['Conversations']),
  ...needs('dynamodb-conversations.ts', 'UpdateCommand', ['dynamodb:UpdateItem'], ['Conversations']),
  ...needs(
    'dynamodb-ttl-claims.ts',
    'PutCommand',
    ['dynamodb:PutItem'],
    ['FallbackLedger', 'WebhookIdempotency'],
  ),
  ...needs(
    'dynamodb-ttl-claims.ts',
    'DeleteCommand',
    ['dynamodb:DeleteItem'],
    ['FallbackLedger', 'WebhookIdempotency'],
  ),
  ...needs('dynamodb-usage-counter.ts', 'UpdateCommand', ['dynamodb:UpdateItem'], ['WebhookIdempotency']),
  ...needs(
    'sqs-message-queue.ts',
    'SendMessageCommand',
    ['sqs:SendMessage'],
    ['WhatsAppRepliesQueue', 'SmsRepliesQueue', 'EmailRepliesQueue', 'HandoffQueue'],
  ),
  ...needs(
    'secrets-manager-source.ts',
    'GetSecretValueCommand',
    ['secretsmanager:GetSecretValue'],
    ['whatsapp', 'sms', 'email'].map((channel) => `secret:${channel}-credentials/*`),
  ),
  // lib-storage's Upload: PutObject up to one part, else multipart (whose parts are PutObject actions in IAM), and
  // AbortMultipartUpload to clean up a failed one. No read, list or delete.
  ...needs(
    's3-attachment-store.ts',
    'Upload',
    ['s3:PutObject', 's3:AbortMultipartUpload'],
    ['AttachmentsBucket/attachments/*'],
  ),
  // The Lambda runtime writes the function's own logs (no code of ours).
  ...needs(
    'runtime',
    '',
    ['logs:CreateLogStream', 'logs:PutLogEvents'],
    ['/aws/lambda/IncomingWebhookHandler-dev'],
  ),
];

const ADAPTERS = join(REPO_ROOT, 'src/adapters/aws');

let dev: Synthesised;
beforeAll(() => {
  dev = synthWebhookStack();
});

/** A readable name for a policy resource: the table, queue or log group name, or the tail of a secret ARN. */
function resourceName(resource: unknown, byId: Map<string, string>): string {
  const json = JSON.stringify(resource);
  const secret = /:secret:([^"]+)"/.exec(json);
  if (secret?.[1]) return `secret:${secret[1]}`;
  const getAtt = (resource as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt) return byId.get(getAtt[0]) ?? getAtt[0].replace(/[0-9A-F]{8}$/, '');
  // `arn + "/index/…"` or `arn + "/prefix/*"`: the named resource, then the literal suffix.
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) {
    const arn = join[1].map((part) => (typeof part === 'string' ? part : resourceName(part, byId))).join('');
    // Resources of the stateful stack, by their deterministic names.
    const named =
      /:dynamodb:.*:table\/(\w+)-dev(\/.*)?$/.exec(arn) ??
      /:sqs:.*:(\w+)-dev()$/.exec(arn) ??
      /:s3:::replies-engine-(attachments)-.*-dev(\/.*)$/.exec(arn);
    if (!named) return arn;
    return `${named[1] === 'attachments' ? 'AttachmentsBucket' : named[1]}${named[2] ?? ''}`;
  }
  return json;
}

function grantedToWebhookFunction(): string[] {
  const { template } = dev;
  const fn = findByProperty(template, 'AWS::Lambda::Function', 'FunctionName', 'IncomingWebhookHandler-dev');
  const [roleId] = (fn.props.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'];
  const byId = new Map<string, string>();
  const name = (type: string, key: string, strip = /-dev$/) => {
    for (const [id, r] of resourcesOfType(template, type))
      byId.set(id, String(r.Properties?.[key]).replace(strip, ''));
  };
  name('AWS::DynamoDB::Table', 'TableName');
  name('AWS::SQS::Queue', 'QueueName');
  name('AWS::Logs::LogGroup', 'LogGroupName', /^$/);
  const policies = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, p]) =>
    JSON.stringify(p.Properties?.Roles).includes(`"${roleId}"`),
  );
  return policies.flatMap(([, policy]) => {
    const document = policy.Properties?.PolicyDocument as
      | { Statement: Record<string, unknown>[] }
      | undefined;
    const statements = document?.Statement ?? [];
    return statements.flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      return [statement.Action]
        .flat()
        .flatMap((action) => [statement.Resource].flat().map((r) => `${action} on ${resourceName(r, byId)}`));
    });
  });
}

describe('IncomingWebhookHandler permissions', () => {
  it('grants exactly the listed actions, each on exactly the listed resource', () => {
    expect(grantedToWebhookFunction().sort()).toEqual(GRANTS.map((g) => g.grant).sort());
  });

  it.each(GRANTS.filter((g) => g.usedBy !== 'runtime'))('$grant: $usedBy sends $call', ({ usedBy, call }) => {
    expect(readFileSync(join(ADAPTERS, usedBy), 'utf8')).toContain(`new ${call}(`);
  });

  it('every AWS command the adapters send is granted', () => {
    const sent = readdirSync(ADAPTERS).flatMap((file) =>
      [...readFileSync(join(ADAPTERS, file), 'utf8').matchAll(/new (\w+Command)\(/g)].map(
        (m) => `${file} ${m[1]}`,
      ),
    );
    expect(sent.length).toBeGreaterThan(0);
    const listed = new Set(GRANTS.map((g) => `${g.usedBy} ${g.call}`));
    for (const call of sent) expect(listed, call).toContain(call);
  });
});
