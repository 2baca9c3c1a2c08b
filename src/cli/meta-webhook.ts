import { createHash, randomBytes } from 'node:crypto';
import { computeMetaSignature } from '../domain/meta-signature.js';
import { DEMO } from '../kit/demo-data.js';
import type { SignedRequest } from '../kit/signed-request.js';
import { wireUrl } from '../kit/signed-request.js';

/** A file the stand-in already holds (`POST {graph}/<pnid>/media`), as the webhook describes it. */
export interface MetaUploadedMedia {
  readonly id: string;
  readonly mimeType: string;
  /** Base64, as Meta's webhooks carry it. */
  readonly sha256: string;
  readonly filename?: string;
}

export interface MetaMessageInput {
  /** The end user, E.164 (`+447700900123`); the webhook carries its digits as `from`/`wa_id`. */
  readonly from: string;
  readonly phoneNumberId: string;
  readonly body: string;
  readonly wamid?: string;
  readonly profileName?: string;
  /** Sends a template quick-reply (`type: button`) with this text (payload = the text upper-cased). */
  readonly button?: string;
  readonly media?: MetaUploadedMedia;
  readonly now: Date;
}

export interface MetaStatusInput {
  readonly recipient: string;
  readonly phoneNumberId: string;
  readonly status: string;
  readonly wamid?: string;
  readonly now: Date;
}

function newWamid(): string {
  return `wamid.${randomBytes(30).toString('base64')}`;
}

/** `image/png` → `image`; documents are everything WhatsApp does not show inline. */
function mediaKind(mimeType: string): 'image' | 'video' | 'audio' | 'document' {
  const top = mimeType.split('/')[0];
  return top === 'image' || top === 'video' || top === 'audio' ? top : 'document';
}

function envelope(phoneNumberId: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: DEMO.meta.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: DEMO.meta.displayPhoneNumber.slice(1),
                phone_number_id: phoneNumberId,
              },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

function content(input: MetaMessageInput): Record<string, unknown> {
  if (input.media) {
    const kind = mediaKind(input.media.mimeType);
    return {
      type: kind,
      [kind]: {
        id: input.media.id,
        mime_type: input.media.mimeType,
        sha256: input.media.sha256,
        ...(kind === 'document' && input.media.filename ? { filename: input.media.filename } : {}),
        ...(input.body ? { caption: input.body } : {}),
      },
    };
  }
  if (input.button) {
    return { type: 'button', button: { text: input.button, payload: input.button.toUpperCase() } };
  }
  return { type: 'text', text: { body: input.body } };
}

/** The body of one inbound message webhook, as Meta builds it (one entry, one change, one message). */
export function metaMessagePayload(input: MetaMessageInput): Record<string, unknown> {
  const waId = input.from.replace(/^\+/, '');
  return envelope(input.phoneNumberId, {
    contacts: [{ profile: { name: input.profileName ?? 'Demo User' }, wa_id: waId }],
    messages: [
      {
        from: waId,
        id: input.wamid ?? newWamid(),
        timestamp: String(Math.floor(input.now.getTime() / 1000)),
        ...content(input),
      },
    ],
  });
}

/** A delivery receipt for a message the company sent. */
export function metaStatusPayload(input: MetaStatusInput): Record<string, unknown> {
  return envelope(input.phoneNumberId, {
    statuses: [
      {
        id: input.wamid ?? newWamid(),
        status: input.status,
        timestamp: String(Math.floor(input.now.getTime() / 1000)),
        recipient_id: input.recipient.replace(/^\+/, ''),
      },
    ],
  });
}

/**
 * JSON as Meta puts it on the wire: every non-ASCII character escaped as `\uXXXX` (UTF-16 units) and `/` as `\/`,
 * so the bytes signed are the ones a gateway must verify without re-serialising.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** Signs like Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the app secret>`. */
export function signMetaRequest(
  webhookUrl: string,
  payload: Record<string, unknown>,
  appSecret: string,
): SignedRequest {
  const { url, basicAuth } = wireUrl(webhookUrl);
  const body = Buffer.from(metaJson(payload), 'utf8');
  const headers: [string, string][] = [
    ['Content-Type', 'application/json'],
    ['X-Hub-Signature-256', computeMetaSignature(body, appSecret)],
    ['User-Agent', 'facebookexternalua'],
    ['Accept', '*/*'],
  ];
  if (basicAuth) headers.push(['Authorization', basicAuth]);
  const changes = (payload.entry as { changes: { value: Record<string, unknown> }[] }[])[0]?.changes[0]
    ?.value;
  const item = ((changes?.messages ?? changes?.statuses) as { id: string }[] | undefined)?.[0];
  return { url, headers, body, messageId: item?.id ?? '' };
}

/** `…/whatsapp/meta` under a gateway base URL (a URL already naming the route is kept). */
export function metaWebhookUrl(base: string): string {
  const parsed = new URL(base);
  const path = parsed.pathname.replace(/\/+$/, '');
  if (path.endsWith('/whatsapp/meta')) parsed.pathname = path;
  else if (path.endsWith('/whatsapp')) parsed.pathname = `${path}/meta`;
  else parsed.pathname = `${path}/whatsapp/meta`;
  return parsed.toString();
}

export const base64Sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('base64');
