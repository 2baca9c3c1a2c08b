import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DEMO } from '../kit/demo-data.js';
import { sendHttp } from '../kit/http-request.js';
import type { SignedRequest } from '../kit/signed-request.js';
import { mediaContentType } from '../kit/twilio-webhook.js';
import { CliError, networkError, UsageError } from './cli-error.js';
import { type CredentialOptions, findSecret } from './credentials.js';
import {
  base64Sha256,
  type MetaUploadedMedia,
  metaMessagePayload,
  metaStatusPayload,
  metaWebhookUrl,
  signMetaRequest,
} from './meta-webhook.js';
import { CHANGE_GATEWAY, discoverStack, type Gateway } from './stack-target.js';

export interface MetaSendSpec {
  readonly gateway: Gateway;
  /** The gateway base URL or the full webhook URL (`--url`). */
  readonly baseUrl: string;
  readonly from: string;
  /** `--to`: the phone number id (or `meta:<id>`); default the demo Meta number. */
  readonly to?: string;
  readonly body: string;
  readonly status?: string;
  readonly button?: string;
  readonly attachFile?: string;
  readonly messageId?: string;
  readonly profileName?: string;
  readonly credentials: CredentialOptions;
  readonly now: Date;
}

function secretString(secret: Readonly<Record<string, unknown>>, name: string, what: string): string {
  const value = secret[name];
  if (typeof value !== 'string' || value === '') throw new CliError(`the ${what} needs "${name}"`);
  return value;
}

/** The file is handed to the stack's Graph API stand-in first, as a user's phone uploads it to Meta. */
async function upload(spec: MetaSendSpec, phoneNumberId: string, file: string): Promise<MetaUploadedMedia> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    throw new CliError(`cannot read attachment ${file}`);
  }
  const graph = (await discoverStack(spec.gateway)).metaGraphApi;
  if (!graph)
    throw new CliError('the stack reports no Graph API stand-in: --attach needs the local stack (npm start)');
  const token = secretString(
    findSecret('whatsapp', '', spec.credentials, (s) => 'access_token' in s),
    'access_token',
    'Meta tenant secret',
  );
  const mimeType = mediaContentType(file);
  const filename = basename(file);
  const boundary = `----meta${Date.now().toString(16)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename.replace(/["\r\n]/g, '_')}"\r\n` +
        `Content-Type: ${mimeType}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const url = `${graph}/${phoneNumberId}/media`;
  const answer = await sendHttp({
    url,
    headers: [
      ['Authorization', `Bearer ${token}`],
      ['Content-Type', `multipart/form-data; boundary=${boundary}`],
    ],
    body,
    connectTimeoutMs: 5000,
  }).catch((error: unknown) => {
    throw networkError(error, url, CHANGE_GATEWAY);
  });
  if (answer.status !== 200)
    throw new CliError(`the Graph API stand-in answered ${answer.status} to the upload`);
  const { id } = JSON.parse(answer.body) as { id: string };
  return { id, mimeType, sha256: base64Sha256(data), filename };
}

/**
 * `send whatsapp --provider meta`: the webhook Meta's Cloud API would post to `/whatsapp/meta`, JSON escaped the
 * way Meta escapes it and signed with the app secret (`X-Hub-Signature-256`); `--attach` uploads the file to the
 * local Graph API stand-in first, so the gateway can fetch it back by media id.
 */
export async function buildMetaWebhook(spec: MetaSendSpec): Promise<SignedRequest> {
  const phoneNumberId = (spec.to ?? DEMO.meta.phoneNumberId).replace(/^meta:/, '');
  if (!/^\d{1,32}$/.test(phoneNumberId))
    throw new UsageError(`--to must be a Meta phone number id (digits, or meta:<id>) with --provider meta`);
  const appSecret = secretString(
    findSecret('whatsapp', '', spec.credentials, (s) => 'app_secret' in s),
    'app_secret',
    'Meta app secret',
  );
  let webhookUrl: string;
  try {
    webhookUrl = metaWebhookUrl(spec.baseUrl);
  } catch {
    throw new UsageError(`--url: not a URL: ${spec.baseUrl}`);
  }
  const payload = spec.status
    ? metaStatusPayload({
        recipient: spec.from,
        phoneNumberId,
        status: spec.status,
        now: spec.now,
        ...(spec.messageId ? { wamid: spec.messageId } : {}),
      })
    : metaMessagePayload({
        from: spec.from,
        phoneNumberId,
        body: spec.body,
        now: spec.now,
        ...(spec.messageId ? { wamid: spec.messageId } : {}),
        ...(spec.profileName ? { profileName: spec.profileName } : {}),
        ...(spec.button ? { button: spec.button } : {}),
        ...(spec.attachFile ? { media: await upload(spec, phoneNumberId, spec.attachFile) } : {}),
      });
  return signMetaRequest(webhookUrl, payload, appSecret);
}
