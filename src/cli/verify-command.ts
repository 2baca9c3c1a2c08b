import { randomInt } from 'node:crypto';
import { sendHttp } from '../kit/http-request.js';
import { defaultGateway } from './cli-env.js';
import { CliError, networkError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandSpec } from './command-spec.js';
import { findSecret } from './credentials.js';
import { printJson } from './format.js';
import { metaWebhookUrl } from './meta-webhook.js';
import { parseAction, stringFlag } from './parse-flags.js';
import { CHANGE_GATEWAY } from './stack-target.js';

export const VERIFY_SPEC: CommandSpec = {
  usage: 'verify meta [--verify-token TOKEN] [--challenge TEXT] [--url URL]',
  summary:
    'Perform Meta’s webhook verification exactly as Meta does when a callback URL is saved: ' +
    'GET /whatsapp/meta?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…; passes when the answer is 200 ' +
    'with the challenge as the whole body.',
  flags: {
    url: {
      type: 'string',
      placeholder: 'URL',
      description: 'gateway base URL or the full /whatsapp/meta URL',
    },
    'verify-token': {
      type: 'string',
      placeholder: 'TOKEN',
      description: 'the token typed into Meta’s app dashboard (default: verify_token of the Meta app secret)',
    },
    challenge: {
      type: 'string',
      placeholder: 'TEXT',
      description: 'default: a random number, as Meta sends',
    },
    'secrets-file': {
      type: 'string',
      placeholder: 'FILE',
      description: 'JSON secrets file (default: the demo secrets)',
    },
  },
  notes: ['Exit code: 0 when the gateway echoed the challenge, 1 otherwise (e.g. 403 for a wrong token).'],
  examples: [
    'verify meta',
    'verify meta --verify-token wrong',
    'verify meta --url https://hooks.example.com/prod',
  ],
};

export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseAction(VERIFY_SPEC, argv, io, ['meta'] as const);
  if (!parsed) return 0;
  const { values, json } = parsed;
  const secretsFile = stringFlag(values, 'secrets-file');
  const token =
    stringFlag(values, 'verify-token') ??
    (() => {
      const secret = findSecret(
        'whatsapp',
        '',
        secretsFile ? { secretsFile } : {},
        (s) => 'verify_token' in s,
      );
      const value = secret.verify_token;
      if (typeof value !== 'string' || value === '')
        throw new CliError('the Meta app secret needs "verify_token"');
      return value;
    })();
  const challenge = stringFlag(values, 'challenge') ?? String(randomInt(1_000_000_000, 2_000_000_000));
  let url: URL;
  try {
    url = new URL(metaWebhookUrl(stringFlag(values, 'url') ?? defaultGateway(io.env)));
  } catch {
    throw new UsageError(`--url: not a URL: ${stringFlag(values, 'url')}`);
  }
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', token);
  const response = await sendHttp({
    url: url.toString(),
    method: 'GET',
    headers: [['User-Agent', 'facebookplatform/1.0 (+http://developers.facebook.com)']],
    connectTimeoutMs: 5000,
  }).catch((error: unknown) => {
    throw networkError(error, url.origin, CHANGE_GATEWAY);
  });
  const echoed = response.status === 200 && response.body === challenge;
  const shown = `${url.origin}${url.pathname}`;
  if (json) {
    printJson(io, { ok: echoed, status: response.status, url: shown, challenge, response: response.body });
  } else {
    io.out(
      `GET ${shown}?hub.mode=subscribe&hub.challenge=${challenge}&hub.verify_token=… → ${response.status}`,
    );
    io.out(
      echoed ? '  verified: the challenge came back as the whole body' : `  not verified: ${response.body}`,
    );
  }
  return echoed ? 0 : 1;
}
