import { randomBytes } from 'node:crypto';
import { computeTwilioSignature } from '../domain/twilio-signature.js';
import { DEMO } from './demo-data.js';
import type { LocalStack } from './local-stack.js';

/** A copy-paste curl command carrying a correctly signed demo WhatsApp message (fresh MessageSid each start). */
export function demoCurlCommand(gatewayUrl: string, body = 'Hi, is the job still open?'): string {
  const url = `${gatewayUrl}/whatsapp`;
  const params: [string, string][] = [
    ['AccountSid', DEMO.accountSid],
    ['Body', body],
    ['From', `whatsapp:${DEMO.aiSender}`],
    ['MessageSid', `SM${randomBytes(16).toString('hex')}`],
    ['NumMedia', '0'],
    ['To', DEMO.whatsappNumber],
  ];
  const signature = computeTwilioSignature(url, params, DEMO.authToken);
  const data = params.map(([k, v]) => `--data-urlencode '${k}=${v.replaceAll("'", "'\\''")}'`).join(' ');
  return `curl -sS -X POST '${url}' -H 'X-Twilio-Signature: ${signature}' ${data}`;
}

export function banner(stack: LocalStack, seeded: boolean): string {
  const lines = [
    `replies-engine local stack ready`,
    `  gateway   ${stack.gatewayUrl}  (POST|OPTIONS /whatsapp /sms /email)`,
    `  inspector ${stack.gatewayUrl}/_local/`,
    `  dynamodb  ${stack.dynamodbEndpoint}`,
    `  sqs       ${stack.sqsEndpoint}`,
    `  s3        ${stack.s3Endpoint}  (bucket ${stack.config.attachmentsBucket})`,
    `  queues    ${Object.values(stack.queueUrls).join(' ')}`,
  ];
  if (seeded) {
    lines.push(
      '',
      'Send a signed demo WhatsApp message (lands on WhatsAppRepliesQueue):',
      `  ${demoCurlCommand(stack.gatewayUrl)}`,
      'or with the CLI:',
      `  npx replies-webhooks send whatsapp --from ${DEMO.aiSender} --body hi`,
    );
  }
  return lines.join('\n');
}
