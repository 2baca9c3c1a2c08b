import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { OutboundMessage, OutboundSender } from '../../app/ports.js';
import { OutboundSendError } from '../outbound/http-outbound-sender.js';

/** RFC 5322's line limit; header values come from the sender's own Message-ID, so they are attacker input. */
const MAX_HEADER_CHARS = 998;

function headerValue(value: string): string | undefined {
  const cleaned = value.replace(/[\r\n]+/g, ' ').trim();
  return cleaned !== '' && cleaned.length <= MAX_HEADER_CHARS ? cleaned : undefined;
}

/**
 * The email fallback through Amazon SES (SESv2 `SendEmail`, plain text only): From = the company address, threaded
 * under the sender's message with In-Reply-To and References. Credentials come from the function's IAM role, so
 * the secret passed by the use case is not used. The client is created once by the composition root; its endpoint
 * is `AWS_ENDPOINT_URL_SESV2` (config) locally, and its timeouts and retries are those of the other AWS clients.
 */
export class SesOutboundSender implements OutboundSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: { readonly configurationSetName?: string } = {},
  ) {}

  async send(message: OutboundMessage): Promise<void> {
    if (message.channel !== 'email') throw new OutboundSendError('SES sends email only');
    const reference = message.inReplyTo ? headerValue(message.inReplyTo) : undefined;
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: [message.to] },
          ...(this.options.configurationSetName
            ? { ConfigurationSetName: this.options.configurationSetName }
            : {}),
          Content: {
            Simple: {
              Subject: { Data: message.subject ?? 'Re: your message', Charset: 'UTF-8' },
              Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
              ...(reference
                ? {
                    Headers: [
                      { Name: 'In-Reply-To', Value: reference },
                      { Name: 'References', Value: reference },
                    ],
                  }
                : {}),
            },
          },
        }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new OutboundSendError(`SES answered ${status ?? (error as Error).name}`, status);
    }
  }
}
