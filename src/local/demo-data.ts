import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.js';

/** Demo company, its three channels and a few conversations; everything the README's demo commands use. */
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
  credentials: {
    whatsapp: 'whatsapp-credentials/cucumber-recruitment/cv-analysis/twilio',
    sms: 'sms-credentials/cucumber-recruitment/cv-analysis/twilio',
    email: 'email-credentials/cucumber-recruitment/cv-analysis/mailgun',
    /** Never read: SNS deliveries are verified by AWS's signature and SES sends with the function's IAM role. */
    ses: 'email-credentials/cucumber-recruitment/cv-analysis/ses',
  },
} as const;

export async function seedDemoData(client: DynamoDBDocumentClient, config: Config): Promise<void> {
  const now = new Date().toISOString();
  const registry = [
    {
      channel_address: DEMO.whatsappNumber,
      channel_type: 'whatsapp',
      credentials_reference: DEMO.credentials.whatsapp,
    },
    { channel_address: DEMO.smsNumber, channel_type: 'sms', credentials_reference: DEMO.credentials.sms },
    {
      channel_address: DEMO.emailAddress,
      channel_type: 'email',
      credentials_reference: DEMO.credentials.email,
      from_address: `Cucumber Recruitment <${DEMO.emailAddress}>`,
    },
    {
      channel_address: DEMO.sesEmailAddress,
      channel_type: 'email',
      provider: 'ses',
      credentials_reference: DEMO.credentials.ses,
      from_address: `Cucumber Recruitment <${DEMO.sesEmailAddress}>`,
    },
  ];
  for (const item of registry) {
    await client.send(
      new PutCommand({
        TableName: config.tables.companyChannels,
        Item: {
          ...item,
          ...DEMO.company,
          website_url: 'https://cucumber.example/jobs',
          contact_phone: '+442079460000',
        },
      }),
    );
  }
  const conversations = [
    {
      primary_channel: DEMO.aiSender,
      conversation_id: 'conv-demo-whatsapp-ai',
      channel_type: 'whatsapp',
      company_channel: DEMO.whatsappNumber,
      credentials_reference: DEMO.credentials.whatsapp,
      hand_off_to_human: false,
    },
    {
      primary_channel: DEMO.handoffSender,
      conversation_id: 'conv-demo-whatsapp-human',
      channel_type: 'whatsapp',
      company_channel: DEMO.whatsappNumber,
      credentials_reference: DEMO.credentials.whatsapp,
      hand_off_to_human: true,
    },
    {
      primary_channel: DEMO.aiSender,
      conversation_id: 'conv-demo-sms-ai',
      channel_type: 'sms',
      company_channel: DEMO.smsNumber,
      credentials_reference: DEMO.credentials.sms,
      hand_off_to_human: false,
    },
    {
      primary_channel: DEMO.emailSender,
      conversation_id: 'conv-demo-email-ai',
      channel_type: 'email',
      company_channel: DEMO.emailAddress,
      credentials_reference: DEMO.credentials.email,
      hand_off_to_human: false,
    },
  ];
  for (const conversation of conversations) {
    await client
      .send(
        new PutCommand({
          TableName: config.tables.conversations,
          Item: {
            ...conversation,
            ...DEMO.company,
            conversation_status: 'active',
            created_at: now,
            updated_at: now,
          },
          ConditionExpression: 'attribute_not_exists(conversation_id)',
        }),
      )
      .catch((error: unknown) => {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
  }
}
