import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO } from '../../src/kit/demo-data.js';
import { DEMO_SECRETS_FILE } from '../../src/local/local-stack.js';
import { TABLES } from '../../src/resources.js';
import type { TestStack } from './test-stack.js';

/** A second company with its own Mailgun route, signing key and Twilio number: the tenant an attacker controls. */
export const OTHER = {
  company: { company_id: 'company-mallory', project_id: 'project-m', company_name: 'Mallory Hiring' },
  emailAddress: 'jobs@mail.mallory.example',
  signingKey: 'mallory-signing-key',
  credentials: 'email-credentials/mallory-hiring/m/mailgun',
} as const;

/** The demo secrets plus the other company's, in a file of their own (the stack's `secretsFile`). */
export function twoTenantSecretsFile(): string {
  const secrets = JSON.parse(readFileSync(DEMO_SECRETS_FILE, 'utf8')) as Record<string, unknown>;
  secrets[OTHER.credentials] = {
    signing_key: OTHER.signingKey,
    api_key: 'mallory-api-key',
    domain: 'mail.mallory.example',
  };
  const file = join(mkdtempSync(join(tmpdir(), 'two-tenants-')), 'secrets.json');
  writeFileSync(file, JSON.stringify(secrets));
  return file;
}

export async function registerOtherCompany(t: TestStack): Promise<void> {
  await t.doc.send(
    new PutCommand({
      TableName: TABLES.companyChannels.localName,
      Item: {
        channel_address: OTHER.emailAddress,
        channel_type: 'email',
        credentials_reference: OTHER.credentials,
        ...OTHER.company,
      },
    }),
  );
}

/** An active email conversation of the demo company with a fresh candidate. */
export async function demoEmailConversation(
  t: TestStack,
): Promise<{ sender: string; conversationId: string }> {
  const sender = `candidate-${randomInt(1e9)}@example.com`;
  const conversationId = `conv-email-${randomInt(1e9)}`;
  await t.doc.send(
    new PutCommand({
      TableName: TABLES.conversations.localName,
      Item: {
        primary_channel: sender,
        conversation_id: conversationId,
        conversation_status: 'active',
        channel_type: 'email',
        company_channel: DEMO.emailAddress,
        credentials_reference: DEMO.credentials.email,
        hand_off_to_human: false,
        ...DEMO.company,
        updated_at: new Date().toISOString(),
      },
    }),
  );
  return { sender, conversationId };
}
