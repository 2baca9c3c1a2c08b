import { randomUUID } from 'node:crypto';
import { DEMO } from '../kit/demo-data.js';
import { webhookUrlFor } from '../kit/signed-request.js';
import { signTwilioRequest, type TwilioChannel, twilioMessageParams } from '../kit/twilio-webhook.js';
import { defaultGateway } from './cli-env.js';
import { isLocalUrl, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { type CommandSpec, helpText } from './command-spec.js';
import { describePolicy, parseConnectionOverrides } from './connection-overrides.js';
import { demoCompanyChannel, twilioCredentials } from './credentials.js';
import { plural, printJson, progressBar } from './format.js';
import { checkSender, credentialOptions, MESSAGE_FLAGS } from './message-flags.js';
import { choice, listFlag, numberFlag, parseFlags, stringFlag } from './parse-flags.js';
import { summarise } from './simulation-summary.js';
import { withStackSecret } from './stack-secret.js';
import { CHANGE_GATEWAY } from './stack-target.js';
import { type DeliveryReport, type DeliveryTarget, deliver } from './twilio-delivery.js';

const { from, to, body, url, media, 'profile-name': profileName } = MESSAGE_FLAGS;
const { 'secrets-file': secretsFile, 'credentials-ref': credentialsRef } = MESSAGE_FLAGS;
const { 'auth-token': authToken, 'account-sid': accountSid } = MESSAGE_FLAGS;

export const SIMULATE: CommandSpec = {
  usage: 'simulate [whatsapp|sms] [--url URL#rc=N&rp=POLICY] [--fallback-url URL] [--count N] [--rate R]',
  summary:
    "Deliver N signed messages the way Twilio does: connect/read timeouts, retries from the URL's connection " +
    'overrides (#ct= #rt= #tt= #rc= #rp=, stripped before signing and sending), then the fallback URL; ' +
    'reports how many were accepted, retried, saved by the fallback, and lost.',
  flags: {
    from: { ...from, description: `${from.description} (default ${DEMO.aiSender})` },
    to,
    body: { ...body, description: 'message text (default: "simulated message i/N")' },
    url,
    'fallback-url': {
      type: 'string',
      placeholder: 'URL',
      description: "Twilio's fallback URL (own #overrides)",
    },
    count: { type: 'string', placeholder: 'N', description: 'messages to deliver (default 10)' },
    rate: { type: 'string', placeholder: 'R', description: 'messages started per second (default 5)' },
    media,
    'profile-name': profileName,
    'secrets-file': secretsFile,
    'credentials-ref': credentialsRef,
    'auth-token': authToken,
    'account-sid': accountSid,
  },
  notes: [
    "Overrides default to Twilio's: ct=5000 rt=15000 tt=15000 rc=1 rp=ct. Retries are immediate and reuse the",
    'same signed request and I-Twilio-Idempotency-Token. Exit code 1 when any message was lost.',
  ],
  examples: [
    'simulate --count 50 --rate 25',
    "simulate sms --url 'http://127.0.0.1:3000#rc=3&rp=4xx,5xx,ct,rt&rt=2000' --count 20",
    "simulate --url 'https://hooks.example.com/whatsapp#rc=0' --fallback-url https://backup.example.com/whatsapp",
  ],
};

function target(webhookUrl: string): { url: string; policy: DeliveryTarget['policy'] } {
  return parseConnectionOverrides(webhookUrl);
}

export async function simulateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals, help, json } = parseFlags(SIMULATE, argv);
  if (help) {
    io.out(helpText(SIMULATE, io.env));
    return 0;
  }
  const channel: TwilioChannel = choice(
    positionals[0] ?? 'whatsapp',
    ['whatsapp', 'sms'] as const,
    'channel',
    SIMULATE,
  );
  const sender = stringFlag(values, 'from');
  if (sender !== undefined) checkSender(channel, sender);
  const count = numberFlag(values, 'count', { min: 1, max: 100_000, fallback: 10 });
  const rate = numberFlag(values, 'rate', { min: 0.1, max: 1000, fallback: 5, integer: false });
  let primary: ReturnType<typeof target>;
  let fallback: ReturnType<typeof target> | undefined;
  try {
    primary = target(webhookUrlFor(stringFlag(values, 'url') ?? defaultGateway(io.env), channel));
    const fallbackUrl = stringFlag(values, 'fallback-url');
    fallback = fallbackUrl ? target(webhookUrlFor(fallbackUrl, channel)) : undefined;
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(`URL: ${(error as Error).message}`);
  }
  const companyChannel = stringFlag(values, 'to') ?? demoCompanyChannel(channel);
  const credentials = twilioCredentials(
    channel,
    companyChannel,
    await withStackSecret(primary.url, channel, companyChannel, credentialOptions(values)),
  );
  const mediaUrls = listFlag(values, 'media');
  const profile = stringFlag(values, 'profile-name');

  if (!json) {
    io.err(
      `simulating ${plural(count, 'message')} at ${rate}/s → ${primary.url} (${describePolicy(primary.policy)})`,
    );
    if (fallback) io.err(`  fallback ${fallback.url} (${describePolicy(fallback.policy)})`);
  }
  const reports: DeliveryReport[] = [];
  const started = performance.now();
  const progress = () => {
    if (!io.interactive || json) return;
    const s = summarise(reports);
    io.status(
      `${progressBar(reports.length, count)}  accepted ${s.accepted}  retried ${s.retried}  lost ${s.lost}`,
    );
  };
  const one = async (index: number) => {
    // Rate-limited starts, concurrent deliveries: Twilio does not wait for one webhook before sending the next.
    const startAt = started + (index * 1000) / rate;
    const wait = startAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const params = twilioMessageParams({
      channel,
      from: stringFlag(values, 'from') ?? DEMO.aiSender,
      to: companyChannel,
      body: stringFlag(values, 'body') ?? `simulated message ${index + 1}/${count}`,
      accountSid: credentials.accountSid,
      ...(mediaUrls.length > 0 ? { mediaUrls } : {}),
      ...(profile ? { profileName: profile } : {}),
    });
    const idempotencyToken = randomUUID();
    const sign = (url: string) => signTwilioRequest(url, params, credentials.authToken, idempotencyToken);
    const report = await deliver(
      { request: sign(primary.url), policy: primary.policy },
      fallback ? { request: sign(fallback.url), policy: fallback.policy } : undefined,
    );
    reports.push(report);
    progress();
  };
  progress();
  await Promise.all(Array.from({ length: count }, (_, index) => one(index)));
  if (io.interactive && !json) io.status('');
  const summary = summarise(reports);
  const unreachable = summary.lost === count && summary.outcomes['connect-error'] === summary.attempts;
  if (json) printJson(io, { url: primary.url, fallbackUrl: fallback?.url ?? null, ...summary });
  else {
    io.out(`accepted  ${summary.accepted}/${count}  (retried ${summary.retried})`);
    if (fallback) io.out(`fallback  ${summary.fallback}`);
    io.out(`lost      ${summary.lost}`);
    const outcomes = Object.entries(summary.outcomes).map(([key, n]) => `${key}×${n}`);
    io.out(`attempts  ${summary.attempts}  ${outcomes.join(' ')}`);
    io.out(
      `latency   p50 ${summary.latencyMs.p50} ms  p95 ${summary.latencyMs.p95} ms  max ${summary.latencyMs.max} ms`,
    );
    const throttled = summary.outcomes['429'] ?? 0;
    if (throttled > 0)
      io.out(
        `note      ${throttled} × 429: the stage throttle (API Gateway's; locally THROTTLE_RATE_LIMIT / ` +
          'THROTTLE_BURST_LIMIT) refused them; Twilio retries a 4xx only with rp=4xx. A lower --rate stays under it.',
      );
  }
  if (unreachable)
    io.err(
      `cannot reach ${primary.url}${isLocalUrl(primary.url) ? ' — is `npm start` running, on that port?' : ''} ${CHANGE_GATEWAY}`,
    );
  return summary.lost === 0 ? 0 : 1;
}
