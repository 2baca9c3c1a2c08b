import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationItem, registryItem } from '../../src/kit/table-items.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { assertValidContext } from '../helpers/context-schema.js';
import { drainQueue, sqsClient } from '../helpers/queues.js';
import { readmeCommands } from '../helpers/readme-commands.js';
import {
  freeBase,
  freePort,
  type SpawnedStack,
  spawnNpmStart,
  whileNpmStartRuns,
} from '../helpers/spawn-stack.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start, used as a new user would', () => {
  let stack: SpawnedStack;
  let dir: string;
  const ports = { gateway: 0, dynamo: 0, sqs: 0 };
  const own = {
    number: 'whatsapp:+15551230000',
    sender: '+447911123456',
    accountSid: `AC${'7'.repeat(32)}`,
    token: 'my-own-auth-token-0123456789abcdef',
    reference: 'whatsapp-credentials/acme-staffing/onboarding/twilio',
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replies-e2e-'));
    const secretsFile = join(dir, 'secrets.json');
    await writeFile(
      secretsFile,
      JSON.stringify({ [own.reference]: { account_sid: own.accountSid, auth_token: own.token } }),
    );
    ports.gateway = await freePort();
    ports.dynamo = await freePort();
    ports.sqs = await freePort();
    stack = await spawnNpmStart({
      PORT: String(ports.gateway),
      LOCAL_DYNAMODB_PORT: String(ports.dynamo),
      LOCAL_SQS_PORT: String(ports.sqs),
      LOCAL_S3_PORT: String(await freePort()),
      LOCAL_SES_PORT: String(await freePort()),
      LOCAL_SECRETS_FILE: secretsFile,
    });
  }, 30_000);

  afterAll(async () => {
    const code = await stack?.stop();
    await rm(dir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  it('prints ready, with the URLs and a signed demo command', () => {
    expect(stack.output()).toContain(`http://127.0.0.1:${ports.gateway}`);
    expect(stack.output()).toMatch(/curl -sS -X POST .*X-Twilio-Signature/);
    expect(stack.output()).toContain(`--body hi --url http://127.0.0.1:${ports.gateway}`);
    expect(stack.output()).toContain('data in memory, lost on exit; LOCAL_DATA_DIR=<dir> keeps it');
  });

  it('opens with the banner: no AWS SDK Node-version warning before it', () => {
    expect(stack.output().startsWith('replies-engine local stack ready')).toBe(true);
    expect(stack.output()).not.toContain('NodeVersionSupportWarning');
  });

  it('routes my own registry item, conversation and secret to the right queue with the right context', async () => {
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: `http://127.0.0.1:${ports.dynamo}`,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'me', secretAccessKey: 'me' },
      }),
    );
    const company = { company_id: 'acme', project_id: 'onboarding', company_name: 'Acme Staffing' };
    await doc.send(
      new PutCommand({
        TableName: 'CompanyChannels',
        Item: registryItem({
          address: own.number,
          channel: 'whatsapp',
          credentialsReference: own.reference,
          company,
        }),
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: 'Conversations',
        Item: conversationItem({
          sender: own.sender,
          conversationId: 'acme-conv-1',
          channel: 'whatsapp',
          companyChannel: own.number,
          credentialsReference: own.reference,
          company,
        }),
      }),
    );
    const params = inboundParams({
      From: `whatsapp:${own.sender}`,
      To: own.number,
      AccountSid: own.accountSid,
      Body: 'When is my start date?',
    });

    const response = await postTwilioWebhook({
      url: `http://127.0.0.1:${ports.gateway}/whatsapp`,
      authToken: own.token,
      params,
    });

    expect(response.status).toBe(200);
    expect(response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const sqs = sqsClient(`http://127.0.0.1:${ports.sqs}`);
    const messages = await drainQueue(sqs, `http://127.0.0.1:${ports.sqs}/123456789012/WhatsAppRepliesQueue`);
    expect(messages).toHaveLength(1);
    assertValidContext(messages[0]);
    expect(messages[0]).toMatchObject({
      conversation: { conversation_id: 'acme-conv-1', primary_channel: own.sender },
      message: {
        from: own.sender,
        to: own.number,
        body: 'When is my start date?',
        message_id: params.MessageSid,
      },
      company: { ...company, credentials_reference: own.reference },
    });
    doc.destroy();
    sqs.destroy();
  });

  it('rejects the demo command here, since my secrets file replaced the demo secrets', async () => {
    const demo = stack.output().match(/curl -sS .*/)?.[0] ?? '';

    const { stdout } = await run('sh', ['-c', `${demo} -o /dev/null -w '%{http_code}'`]);

    expect(stdout).toBe('403');
  });
});

describe('npm start with the demo data', () => {
  it("accepts the banner's copy-paste demo command and queues it for the AI", async () => {
    const ports = { gateway: await freePort(), dynamo: await freePort(), sqs: await freePort() };
    const env = {
      PORT: String(ports.gateway),
      LOCAL_DYNAMODB_PORT: String(ports.dynamo),
      LOCAL_SQS_PORT: String(ports.sqs),
      LOCAL_S3_PORT: String(await freePort()),
      LOCAL_SES_PORT: String(await freePort()),
    };
    await whileNpmStartRuns(env, async (stack) => {
      const demo = stack.output().match(/curl -sS .*/)?.[0] ?? '';

      const { stdout } = await run('sh', ['-c', demo]);

      expect(stdout).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      const sqs = sqsClient(`http://127.0.0.1:${ports.sqs}`);
      const messages = await drainQueue(
        sqs,
        `http://127.0.0.1:${ports.sqs}/123456789012/WhatsAppRepliesQueue`,
      );
      expect(messages).toHaveLength(1);
      assertValidContext(messages[0]);
      sqs.destroy();
    });
  }, 30_000);
});

describe("the README's commands, as printed, in order, from a clean start", () => {
  it('each one succeeds (exit 0) against a fresh npm start', async () => {
    // The README's stack is on the default ports; this one moves them all with the variable the README gives for
    // that, and the commands find it the same way (LOCAL_BASE_PORT in their environment).
    const base = await freeBase();
    const { INIT_CWD: _caller, ...inherited } = process.env;
    const failures: string[] = [];
    await whileNpmStartRuns({ LOCAL_BASE_PORT: String(base) }, async () => {
      for (const printed of readmeCommands()) {
        const command = printed.replaceAll('127.0.0.1:3000', `127.0.0.1:${base}`);
        await run('sh', ['-c', command], {
          cwd: ROOT,
          env: { ...inherited, LOCAL_BASE_PORT: String(base) },
          timeout: 60_000,
        }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
          failures.push(`${printed}\n  exit ${error.code}: ${error.stderr ?? ''}${error.stdout ?? ''}`);
        });
      }
    });
    expect(failures).toEqual([]);
  }, 300_000);
});
