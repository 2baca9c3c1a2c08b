import { DEMO } from '../kit/demo-data.js';
import { HttpFailure, type HttpResponse, sendHttp } from '../kit/http-request.js';
import { webhookUrlFor } from '../kit/signed-request.js';
import { CHANNEL_TYPES, type ChannelType } from '../resources.js';
import { buildWebhook } from './build-webhook.js';
import { defaultGateway } from './cli-env.js';
import { CliError, networkError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandSpec } from './command-spec.js';
import { helpText } from './command-spec.js';
import { demoCompanyChannel } from './credentials.js';
import { printJson } from './format.js';
import { localVerdict } from './local-verdict.js';
import { checkSender, credentialOptions, MESSAGE_FLAGS, messageOptions } from './message-flags.js';
import { choice, parseFlags, requiredFlag, stringFlag } from './parse-flags.js';
import { buildSesWebhook } from './ses-webhook.js';
import { withStackSecret } from './stack-secret.js';
import { CHANGE_GATEWAY, gatewayFor } from './stack-target.js';

export const SEND: CommandSpec = {
  usage: 'send whatsapp|sms|email --from ADDRESS --body TEXT [options]',
  summary:
    'Sign one webhook exactly as Twilio (URL + parameters, HMAC-SHA1) or Mailgun (timestamp + token, HMAC-SHA256) ' +
    'would, POST it, and print the answer (and, against the local stack, what the gateway did with it).',
  flags: {
    ...MESSAGE_FLAGS,
    'store-notify': {
      type: 'boolean',
      description:
        'email: as a Mailgun store(notify) route — the message goes to the local stack’s Mailgun storage, ' +
        'the signed notification to /email, and the gateway fetches the attachments with the API key',
    },
    status: {
      type: 'string',
      placeholder: 'STATUS',
      description: 'send a Twilio status callback (delivered, read, failed…) instead of a message',
    },
    provider: {
      type: 'string',
      placeholder: 'NAME',
      description:
        'email: mailgun (default) or ses — local stack only: the MIME goes into its inbound bucket and its SNS ' +
        'stand-in signs the notification (default --to: the demo SES address)',
    },
  },
  notes: ['Exit code: 0 when the gateway answered 2xx, 1 otherwise, 2 for a wrong command line.'],
  examples: [
    'send whatsapp --from +447700900123 --body hi',
    'send sms --from +447700900123 --body "STOP"',
    'send email --from candidate@example.com --subject "My CV" --body "Attached" --attach cv.pdf',
    'send email --from candidate@example.com --body "CV and portfolio" --attach cv.pdf --attach work.zip --store-notify',
    'send email --provider ses --from candidate@example.com --body "Attached" --attach cv.pdf',
    'send whatsapp --from +447700900123 --body hi --url https://hooks.example.com --secrets-file secrets.json',
  ],
};

function requestId(response: HttpResponse): string | undefined {
  const value = response.headers['x-amzn-requestid'];
  return typeof value === 'string' ? value : undefined;
}

export async function sendCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals, help, json } = parseFlags(SEND, argv);
  if (help) {
    io.out(helpText(SEND, io.env));
    return 0;
  }
  const channel: ChannelType = choice(positionals[0], CHANNEL_TYPES, 'channel', SEND);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, helpText(SEND));
  const from = requiredFlag(values, 'from', SEND);
  checkSender(channel, from);
  const status = stringFlag(values, 'status');
  if (status && channel === 'email') throw new UsageError('--status is for whatsapp and sms (Twilio) only');
  const body = status ? '' : (stringFlag(values, 'body') ?? '');
  if (!status && body === '' && !values.media && !values.attach) requiredFlag(values, 'body', SEND);
  const storeNotify = values['store-notify'] === true;
  if (storeNotify && channel !== 'email') throw new UsageError('--store-notify is for email only');
  const encoding = stringFlag(values, 'encoding');
  if (encoding !== undefined && encoding !== 'multipart' && encoding !== 'urlencoded')
    throw new UsageError('--encoding must be multipart or urlencoded');
  const provider = stringFlag(values, 'provider') ?? 'mailgun';
  if (provider !== 'mailgun' && provider !== 'ses') throw new UsageError('--provider must be mailgun or ses');
  if (provider === 'ses' && channel !== 'email') throw new UsageError('--provider ses is for email only');
  if (provider === 'ses' && storeNotify)
    throw new UsageError('--store-notify is a Mailgun route action, not SES');
  let webhookUrl: string;
  try {
    webhookUrl = webhookUrlFor(stringFlag(values, 'url') ?? defaultGateway(io.env), channel);
  } catch (error) {
    throw new UsageError(`--url: ${(error as Error).message}`);
  }
  const options = messageOptions(values, channel, io.cwd);
  const to = stringFlag(values, 'to') ?? demoCompanyChannel(channel);
  const request =
    provider === 'ses'
      ? await buildSesWebhook({
          gateway: gatewayFor(values, io.env),
          from,
          to: stringFlag(values, 'to') ?? DEMO.sesEmailAddress,
          body,
          ...options,
        })
      : await buildWebhook({
          channel,
          webhookUrl,
          from,
          to,
          body,
          now: new Date(),
          credentials: await withStackSecret(webhookUrl, channel, to, credentialOptions(values)),
          ...(status ? { status } : {}),
          ...(encoding ? { encoding } : {}),
          ...(storeNotify ? { storeNotify } : {}),
          ...options,
        });
  let response: HttpResponse;
  try {
    response = await sendHttp({
      url: request.url,
      headers: request.headers,
      body: request.body,
      connectTimeoutMs: 5000,
    });
  } catch (error) {
    if (error instanceof HttpFailure && error.kind === 'read-timeout')
      throw new CliError(`${request.url} did not answer within 15 s`);
    throw networkError(error, request.url, CHANGE_GATEWAY);
  }
  const id = requestId(response);
  const verdict = await localVerdict(request.url, id);
  const ok = response.status >= 200 && response.status < 300;
  if (json) {
    printJson(io, {
      ok,
      status: response.status,
      url: request.url,
      channel,
      messageId: request.messageId,
      requestId: id ?? null,
      durationMs: Math.round(response.durationMs),
      ...(verdict ? { verdict: verdict.verdict, outcome: verdict.label } : {}),
      response: response.body,
    });
  } else {
    io.out(`POST ${request.url} → ${response.status} (${Math.round(response.durationMs)} ms)`);
    io.out(`  message  ${request.messageId}`);
    if (id) io.out(`  request  ${id}`);
    if (verdict) io.out(`  outcome  ${verdict.label}`);
    if (!ok) io.out(`  answer   ${response.body}`);
  }
  return ok ? 0 : 1;
}
