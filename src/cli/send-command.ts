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
import { buildMetaWebhook } from './meta-send.js';
import { choice, type FlagValues, listFlag, parseFlags, requiredFlag, stringFlag } from './parse-flags.js';
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
        'stand-in signs the notification (default --to: the demo SES address); whatsapp: twilio (default) or ' +
        'meta — a Cloud API webhook to /whatsapp/meta signed with the app secret (--to: a phone number id)',
    },
    button: {
      type: 'string',
      placeholder: 'TEXT',
      description: 'whatsapp --provider meta: a template quick-reply button press with this text',
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
    'send whatsapp --provider meta --from +447700900123 --body "My CV" --attach cv.pdf',
    'send whatsapp --provider meta --from +447700900123 --button "Book a call"',
  ],
};

function optionalFlag(values: FlagValues, flag: string, key: string): Record<string, string> {
  const value = stringFlag(values, flag);
  return value === undefined ? {} : { [key]: value };
}

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
  const provider = stringFlag(values, 'provider') ?? (channel === 'email' ? 'mailgun' : 'twilio');
  const button = stringFlag(values, 'button');
  if (button !== undefined && provider !== 'meta') throw new UsageError('--button is for --provider meta');
  if (!status && body === '' && button === undefined && !values.media && !values.attach)
    requiredFlag(values, 'body', SEND);
  const storeNotify = values['store-notify'] === true;
  if (storeNotify && channel !== 'email') throw new UsageError('--store-notify is for email only');
  const encoding = stringFlag(values, 'encoding');
  if (encoding !== undefined && encoding !== 'multipart' && encoding !== 'urlencoded')
    throw new UsageError('--encoding must be multipart or urlencoded');
  const providers =
    channel === 'email' ? ['mailgun', 'ses'] : channel === 'whatsapp' ? ['twilio', 'meta'] : ['twilio'];
  if (!providers.includes(provider))
    throw new UsageError(`--provider must be ${providers.join(' or ')} for ${channel}`);
  if (provider === 'ses' && storeNotify)
    throw new UsageError('--store-notify is a Mailgun route action, not SES');
  if (provider === 'meta' && values.media)
    throw new UsageError('--media is Twilio’s; use --attach with --provider meta');
  if (provider === 'meta' && listFlag(values, 'attach').length > 1)
    throw new UsageError('a WhatsApp message carries one media file: give --attach once');
  let webhookUrl: string;
  try {
    webhookUrl = webhookUrlFor(stringFlag(values, 'url') ?? defaultGateway(io.env), channel);
  } catch (error) {
    throw new UsageError(`--url: ${(error as Error).message}`);
  }
  const options = messageOptions(values, channel, io.cwd);
  const toFlag = stringFlag(values, 'to');
  const to = toFlag ?? demoCompanyChannel(channel);
  /** What the Twilio and Meta signers share. */
  const signed = { from, body, now: new Date(), ...(status ? { status } : {}) };
  const request =
    provider === 'meta'
      ? await buildMetaWebhook({
          gateway: gatewayFor(values, io.env),
          baseUrl: stringFlag(values, 'url') ?? defaultGateway(io.env),
          ...signed,
          credentials: credentialOptions(values),
          ...(toFlag ? { to: toFlag } : {}),
          ...(button ? { button } : {}),
          ...(listFlag(values, 'attach')[0] ? { attachFile: listFlag(values, 'attach')[0] } : {}),
          ...optionalFlag(values, 'message-sid', 'messageId'),
          ...optionalFlag(values, 'profile-name', 'profileName'),
        })
      : provider === 'ses'
        ? await buildSesWebhook({
            gateway: gatewayFor(values, io.env),
            from,
            to: toFlag ?? DEMO.sesEmailAddress,
            body,
            ...options,
          })
        : await buildWebhook({
            channel,
            webhookUrl,
            to,
            ...signed,
            credentials: await withStackSecret(webhookUrl, channel, to, credentialOptions(values)),
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
