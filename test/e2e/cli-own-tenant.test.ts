import { fileURLToPath } from 'node:url';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { withInspector } from '../../src/local/inspector/with-inspector.js';
import { type LocalStack, startLocalStack } from '../../src/local/local-stack.js';
import { demoAccountToken, runCliCaptured, sendDemoSesEmail } from '../helpers/cli.js';
import { drainQueue, sqsClient } from '../helpers/queues.js';
import { useDemoSecretsCopy } from '../helpers/secrets-copy.js';
import { freePortStackOptions } from '../helpers/test-stack.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

const secrets = useDemoSecretsCopy('own-tenant-');
let stack: LocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  stack = await startLocalStack(
    withInspector(freePortStackOptions({ secretsFile: secrets.file, queueDelaySeconds: 0 })),
  );
  sqs = sqsClient(stack.sqsEndpoint);
});
afterAll(async () => {
  sqs?.destroy();
  await stack?.stop();
});

const cli = (...argv: string[]) => runCliCaptured([...argv, '--url', stack.gatewayUrl]);

describe('a tenant added while the stack runs: send signs with the secret the stack holds, no extra flags', () => {
  it('WhatsApp (Twilio auth token)', async () => {
    const reference = 'whatsapp-credentials/acme/hiring/twilio';
    await secrets.set(reference, { account_sid: `AC${'5'.repeat(32)}`, auth_token: 'acme-own-token' });
    const added = await cli(
      'registry',
      'add',
      '--address',
      'whatsapp:+15551230000',
      '--company-id',
      'acme',
      '--company-name',
      'Acme',
      '--credentials-ref',
      reference,
    );
    const conversation = await cli(
      'conversations',
      'add',
      '--sender',
      '+447911123456',
      '--company-channel',
      'whatsapp:+15551230000',
    );

    const sent = await cli(
      'send',
      'whatsapp',
      '--from',
      '+447911123456',
      '--to',
      'whatsapp:+15551230000',
      '--body',
      'hello acme',
    );

    expect([added.code, conversation.code]).toEqual([0, 0]);
    expect(sent.stdout).toContain('→ 200');
    expect(sent.stdout).toContain('verified, queued → WhatsAppRepliesQueue (ai)');
    const queued = (await drainQueue(sqs, stack.queueUrls.whatsappReplies)) as {
      company: { company_id: string };
    }[];
    expect(queued.map((c) => c.company.company_id)).toEqual(['acme']);
  });

  it('email (Mailgun signing key), with an attachment named relative to the directory the user is in', async () => {
    const reference = 'email-credentials/acme/hiring/mailgun';
    await secrets.set(reference, { signing_key: 'acme-signing-key', api_key: 'acme-api-key' });
    await cli(
      'registry',
      'add',
      '--address',
      'jobs@mail.acme.example',
      '--company-id',
      'acme',
      '--credentials-ref',
      reference,
    );
    await cli(
      'conversations',
      'add',
      '--sender',
      'jane@example.com',
      '--company-channel',
      'jobs@mail.acme.example',
    );

    const sent = await runCliCaptured(
      [
        'send',
        'email',
        '--from',
        'jane@example.com',
        '--to',
        'jobs@mail.acme.example',
        '--body',
        'CV attached',
        '--attach',
        'cv.pdf',
        '--url',
        stack.gatewayUrl,
      ],
      { cwd: EXAMPLES },
    );

    expect(sent.stderr).toBe('');
    expect(sent.stdout).toContain('verified, queued → EmailRepliesQueue (ai)');
    const queued = (await drainQueue(sqs, stack.queueUrls.emailReplies)) as {
      message: { attachments: { filename: string }[] };
    }[];
    expect(queued[0]?.message.attachments.map((a) => a.filename)).toEqual(['cv.pdf']);
  });

  it('explicit flags still win: a wrong --auth-token is forged', async () => {
    const sent = await cli(
      'send',
      'whatsapp',
      '--from',
      DEMO.aiSender,
      '--body',
      'x',
      ...demoAccountToken('nope'),
    );

    expect(sent.code).toBe(1);
    expect(sent.stdout).toContain('forged');
  });

  it('the demo SES conversation: send email --provider ses from the demo candidate is queued for the AI', async () => {
    const sent = await sendDemoSesEmail(cli, '--body', 'via SES');

    expect(sent.stdout).toContain('verified, queued → EmailRepliesQueue (ai)');
    const queued = (await drainQueue(sqs, stack.queueUrls.emailReplies)) as {
      conversation: { conversation_id: string };
    }[];
    expect(queued.map((c) => c.conversation.conversation_id)).toEqual(['conv-demo-ses-ai']);
  });
});
