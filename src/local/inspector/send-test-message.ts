import { demoCompanyChannel } from '../../kit/demo-data.js';
import { sendHttp } from '../../kit/http-request.js';
import { mailgunMessageFields, mailgunRequest, withMailgunSignature } from '../../kit/mailgun-webhook.js';
import type { SignedRequest } from '../../kit/signed-request.js';
import { signTwilioRequest, twilioAddress, twilioMessageParams } from '../../kit/twilio-webhook.js';
import { CHANNEL_TYPES, type ChannelType } from '../../resources.js';
import { channelSecret, secretString } from './channel-secret.js';
import { InspectorError, type InspectorStack } from './inspector-stack.js';

export interface TestMessage {
  readonly channel: ChannelType;
  readonly from: string;
  readonly body: string;
  /** Company channel; default: the demo company's address for the channel. */
  readonly to?: string;
  readonly subject?: string;
}

export function parseTestMessage(input: unknown): TestMessage {
  const value = (input ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof value[name] === 'string' ? (value[name] as string).trim() : '');
  const channel = text('channel') as ChannelType;
  if (!CHANNEL_TYPES.includes(channel))
    throw new InspectorError(400, `channel must be one of ${CHANNEL_TYPES.join(', ')}`);
  if (!text('from')) throw new InspectorError(400, 'from is required');
  if (typeof value.body !== 'string' || value.body === '') throw new InspectorError(400, 'body is required');
  return {
    channel,
    from: text('from'),
    body: value.body,
    ...(text('to') ? { to: text('to') } : {}),
    ...(text('subject') ? { subject: text('subject') } : {}),
  };
}

/**
 * Signs a message with the channel's own local secret, exactly as the CLI's `send` does, and posts it through the
 * gateway, so it is recorded and processed like any provider request.
 */
export async function sendTestMessage(
  stack: InspectorStack,
  message: TestMessage,
): Promise<{ requestId: string | undefined; status: number }> {
  const to = message.to ?? demoCompanyChannel(message.channel);
  // Signed over the URL the gateway verifies against: the configured public base URL, else what we connect to.
  const signingUrl = `${stack.config.webhookBaseUrl ?? stack.gatewayUrl}/${message.channel}`;
  const now = new Date();
  let request: SignedRequest;
  if (message.channel === 'email') {
    const fields = mailgunMessageFields({
      from: message.from,
      to,
      subject: message.subject ?? 'Test message from the inspector',
      body: message.body,
      now,
    });
    const key = secretString(await channelSecret(stack, 'email', fields), 'signing_key');
    request = await mailgunRequest(signingUrl, withMailgunSignature(fields, key, now), [], 'urlencoded');
  } else {
    const secret = await channelSecret(stack, message.channel, [['To', twilioAddress(message.channel, to)]]);
    const params = twilioMessageParams({
      channel: message.channel,
      from: message.from,
      to,
      body: message.body,
      accountSid: secretString(secret, 'account_sid'),
    });
    request = signTwilioRequest(signingUrl, params, secretString(secret, 'auth_token'));
  }
  const response = await sendHttp({
    url: `${stack.gatewayUrl}/${message.channel}`,
    headers: request.headers,
    body: request.body,
    connectTimeoutMs: 2000,
    readTimeoutMs: 15_000,
  });
  const id = response.headers['x-amzn-requestid'];
  return { requestId: typeof id === 'string' ? id : undefined, status: response.status };
}
