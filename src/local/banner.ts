import { randomBytes } from 'node:crypto';
import { computeTwilioSignature } from '../domain/twilio-signature.js';
import { DEMO } from '../kit/demo-data.js';
import { LOCAL_PORTS } from '../resources.js';
import { DEMO_SECRETS_FILE, type LocalStack } from './local-stack.js';

/** A copy-paste curl command carrying a correctly signed demo WhatsApp message (fresh MessageSid each start). */
function demoCurlCommand(gatewayUrl: string, body = 'Hi, is the job still open?'): string {
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

/** Where the DynamoDB data lives, said plainly: a restart of an in-memory stack loses every conversation. */
function dynamodbStorage(stack: LocalStack, external: boolean): string {
  if (external) return 'external endpoint (AWS_ENDPOINT_URL_DYNAMODB)';
  if (stack.dynamodbDataDir) return `data kept in ${stack.dynamodbDataDir}`;
  return 'data in memory, lost on exit; LOCAL_DATA_DIR=<dir> keeps it';
}

/** A CLI line that works as printed: `--url` only when the gateway is not where the CLI looks by default. */
function cli(gatewayUrl: string, args: string): string {
  const url = gatewayUrl === `http://127.0.0.1:${LOCAL_PORTS.gateway}` ? '' : ` --url ${gatewayUrl}`;
  return `npm run replies-webhooks -- ${args}${url}`;
}

function demoCliCommand(gatewayUrl: string): string {
  return cli(gatewayUrl, `send whatsapp --from ${DEMO.aiSender} --body hi`);
}

function queueNames(stack: LocalStack): string {
  return Object.values(stack.queueUrls)
    .map((url) => url.slice(url.lastIndexOf('/') + 1))
    .join(' ');
}

/** Which secrets verify webhooks: the demo file (shown relative, as the README quotes it) or the user's own. */
function secretsLine(stack: LocalStack): string {
  const file = stack.secrets.path;
  if (file === DEMO_SECRETS_FILE)
    return 'src/local/demo-secrets.json  (demo; LOCAL_SECRETS_FILE=<file> replaces it)';
  return `${file}  (LOCAL_SECRETS_FILE; re-read when it changes)`;
}

export function banner(stack: LocalStack, options: { seeded: boolean; externalDynamodb?: boolean }): string {
  const lines = [
    `replies-engine local stack ready`,
    `  gateway   ${stack.gatewayUrl}  (POST|OPTIONS /whatsapp /sms /email)`,
    `  inspector ${stack.gatewayUrl}/_local/`,
    `  dynamodb  ${stack.dynamodbEndpoint}  (${dynamodbStorage(stack, options.externalDynamodb === true)})`,
    `  sqs       ${stack.sqsEndpoint}`,
    `  s3        ${stack.s3Endpoint}  (bucket ${stack.config.attachmentsBucket})`,
    `  ses       ${stack.ses.sesv2Endpoint}  (SESv2 emulator; ${cli(stack.gatewayUrl, 'send email --provider ses')})`,
    `  queues    ${queueNames(stack)}  (${cli(stack.gatewayUrl, 'queues peek')})`,
    `  secrets   ${secretsLine(stack)}`,
  ];
  if (options.seeded) {
    lines.push(
      '',
      'Send a signed demo WhatsApp message (lands on WhatsAppRepliesQueue):',
      `  ${demoCurlCommand(stack.gatewayUrl)}`,
      'or with the CLI:',
      `  ${demoCliCommand(stack.gatewayUrl)}`,
    );
  }
  return lines.join('\n');
}
