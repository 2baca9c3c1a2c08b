import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.js';
import type { ChannelType } from '../resources.js';
import { type ConversationSeed, conversationItem, registryItem } from './table-items.js';

/** Demo company, its channels and a few conversations; everything the README's demo commands use. */
export const DEMO = {
  company: {
    company_id: 'company-cucumber',
    project_id: 'project-cv-analysis',
    company_name: 'Cucumber Recruitment',
  },
  whatsappNumber: 'whatsapp:+14155238886',
  smsNumber: '+14155550100',
  emailAddress: 'replies@mail.cucumber.example',
  /** The same company receiving through Amazon SES (registry `provider: "ses"`; `send email --provider ses`). */
  sesEmailAddress: 'replies@ses.cucumber.example',
  aiSender: '+447700900123',
  handoffSender: '+447700900456',
  emailSender: 'candidate@example.com',
  accountSid: 'ACdec0de00000000000000000000000001',
  authToken: 'local-demo-auth-token',
  signingKey: 'local-demo-signing-key',
  /**
   * The same company on WhatsApp through Meta's Cloud API (registry `meta:<phone_number_id>`, `provider: "meta"`;
   * `send whatsapp --provider meta`). Its conversations share the E.164 sender key with Twilio's.
   */
  meta: {
    phoneNumberId: '100200300400500',
    channelAddress: 'meta:100200300400500',
    displayPhoneNumber: '+14155238887',
    wabaId: '100200300400600',
    credentials: 'whatsapp-credentials/cucumber-recruitment/cv-analysis/meta',
    accessToken: 'local-demo-meta-access-token',
    /** The Meta app's secret (META_APP_CREDENTIALS_REF's default). */
    appCredentials: 'whatsapp-credentials/meta-app',
    appSecret: 'local-demo-meta-app-secret',
    verifyToken: 'local-demo-meta-verify-token',
  },
  credentials: {
    whatsapp: 'whatsapp-credentials/cucumber-recruitment/cv-analysis/twilio',
    sms: 'sms-credentials/cucumber-recruitment/cv-analysis/twilio',
    email: 'email-credentials/cucumber-recruitment/cv-analysis/mailgun',
    /** Never read: SNS deliveries are verified by AWS's signature and SES sends with the function's IAM role. */
    ses: 'email-credentials/cucumber-recruitment/cv-analysis/ses',
  },
} as const;

const DEMO_CHANNEL: Readonly<Record<ChannelType, string>> = {
  whatsapp: DEMO.whatsappNumber,
  sms: DEMO.smsNumber,
  email: DEMO.emailAddress,
};

/** The demo company's channel address: where `send` posts to unless `--to` says otherwise. */
export function demoCompanyChannel(channel: ChannelType): string {
  return DEMO_CHANNEL[channel];
}

const CHANNEL_EXTRAS = {
  website_url: 'https://cucumber.example/jobs',
  contact_phone: '+442079460000',
};

/** The demo registry: one company, its channels (WhatsApp through Twilio and Meta, email through Mailgun and SES). */
export function demoRegistryItems(): Record<string, unknown>[] {
  const base = { company: DEMO.company };
  return [
    registryItem({
      ...base,
      address: DEMO.whatsappNumber,
      channel: 'whatsapp',
      credentialsReference: DEMO.credentials.whatsapp,
      extra: CHANNEL_EXTRAS,
    }),
    registryItem({
      ...base,
      address: DEMO.smsNumber,
      channel: 'sms',
      credentialsReference: DEMO.credentials.sms,
      extra: CHANNEL_EXTRAS,
    }),
    registryItem({
      ...base,
      address: DEMO.emailAddress,
      channel: 'email',
      credentialsReference: DEMO.credentials.email,
      extra: { ...CHANNEL_EXTRAS, from_address: `Cucumber Recruitment <${DEMO.emailAddress}>` },
    }),
    registryItem({
      ...base,
      address: DEMO.sesEmailAddress,
      channel: 'email',
      credentialsReference: DEMO.credentials.ses,
      extra: {
        ...CHANNEL_EXTRAS,
        provider: 'ses',
        from_address: `Cucumber Recruitment <${DEMO.sesEmailAddress}>`,
      },
    }),
    registryItem({
      ...base,
      address: DEMO.meta.channelAddress,
      channel: 'whatsapp',
      credentialsReference: DEMO.meta.credentials,
      extra: { ...CHANNEL_EXTRAS, provider: 'meta' },
    }),
  ];
}

/** The demo sender's conversation with the company's Meta number (same `primary_channel` as on Twilio). */
function demoMetaConversationItem(sender: string, conversationId: string): Record<string, unknown> {
  return conversationItem({
    sender,
    conversationId,
    channel: 'whatsapp',
    companyChannel: DEMO.meta.channelAddress,
    credentialsReference: DEMO.meta.credentials,
    company: DEMO.company,
  });
}

/** A conversation of the demo company on one of its channels; tests and the bench seed theirs with this too. */
export function demoConversationItem(
  channel: ChannelType,
  sender: string,
  conversationId: string,
  options: Pick<ConversationSeed, 'status' | 'handoff' | 'optedOut' | 'now'> = {},
): Record<string, unknown> {
  const companyChannel =
    channel === 'whatsapp' ? DEMO.whatsappNumber : channel === 'sms' ? DEMO.smsNumber : DEMO.emailAddress;
  return conversationItem({
    sender,
    conversationId,
    channel,
    companyChannel,
    credentialsReference: DEMO.credentials[channel],
    company: DEMO.company,
    ...options,
  });
}

export async function seedDemoData(client: DynamoDBDocumentClient, config: Config): Promise<void> {
  for (const item of demoRegistryItems()) {
    await client.send(new PutCommand({ TableName: config.tables.companyChannels, Item: item }));
  }
  const conversations = [
    demoConversationItem('whatsapp', DEMO.aiSender, 'conv-demo-whatsapp-ai'),
    demoConversationItem('whatsapp', DEMO.handoffSender, 'conv-demo-whatsapp-human', { handoff: true }),
    demoMetaConversationItem(DEMO.aiSender, 'conv-demo-whatsapp-meta'),
    demoConversationItem('sms', DEMO.aiSender, 'conv-demo-sms-ai'),
    demoConversationItem('email', DEMO.emailSender, 'conv-demo-email-ai'),
    // The same candidate writing to the company's SES address: `send email --provider ses` lands on the AI too.
    conversationItem({
      sender: DEMO.emailSender,
      conversationId: 'conv-demo-ses-ai',
      channel: 'email',
      companyChannel: DEMO.sesEmailAddress,
      credentialsReference: DEMO.credentials.ses,
      company: DEMO.company,
    }),
  ];
  for (const item of conversations) {
    await client
      .send(
        new PutCommand({
          TableName: config.tables.conversations,
          Item: item,
          ConditionExpression: 'attribute_not_exists(conversation_id)',
        }),
      )
      .catch((error: unknown) => {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
  }
}
