import { BadRequestError, ForbiddenError, NotAcceptableError } from '../../domain/errors.js';
import { exceedsInlineLimit, MAX_INLINE_BODY_BYTES } from '../../domain/inline-body-limit.js';
import { normaliseMailgun, splitRecipient } from '../../domain/mailgun-message.js';
import { MAILGUN_TIMESTAMP_WINDOW, verifyMailgunSignature } from '../../domain/mailgun-signature.js';
import { parseStoredAttachmentRefs } from '../../domain/mailgun-stored-attachments.js';
import { mailgunTokenBinding } from '../../domain/mailgun-token-binding.js';
import { OBSERVABILITY } from '../../resources.js';
import type { SecretValue } from '../ports.js';
import { contentTypeOf } from '../webhook-request.js';
import type { ChannelProtocol } from './channel-protocol.js';
import { type MailgunForm, parseMailgunForm } from './mailgun-form.js';

/** A token is remembered a little longer than its timestamp is accepted, so it can never be used twice. */
const TOKEN_KEPT_AFTER_WINDOW_SECONDS = 60;

function signingKeys(secret: SecretValue): string[] {
  return [secret.signing_key, secret.previous_signing_key].filter(
    (k): k is string => typeof k === 'string' && k !== '',
  );
}

export function mailgunProtocol(): ChannelProtocol<MailgunForm> {
  return {
    channel: 'email',
    provider: 'mailgun',
    admit(request) {
      // The local gateway and the handler answer alike; on AWS a larger post never reaches the function at all.
      if (contentTypeOf(request) === 'multipart/form-data' && exceedsInlineLimit(request.body.length)) {
        throw new NotAcceptableError(
          `Inline email larger than ${MAX_INLINE_BODY_BYTES} bytes: use a store(notify) route`,
          OBSERVABILITY.metrics.inlineEmailTooLarge,
        );
      }
    },
    parse(request) {
      return parseMailgunForm(contentTypeOf(request), request.headers['content-type'] ?? '', request.body);
    },
    registryAddress(form) {
      const recipient = form.fields.recipient;
      if (!recipient) throw new BadRequestError('Missing field: recipient');
      return splitRecipient(recipient).address;
    },
    verify(form, _request, secret, now) {
      const result = verifyMailgunSignature({
        timestamp: form.fields.timestamp ?? '',
        token: form.fields.token ?? '',
        signature: form.fields.signature ?? '',
        signingKeys: signingKeys(secret),
        nowEpochSeconds: Math.floor(now.getTime() / 1000),
      });
      if (result.ok) return true;
      // Malformed or stale cannot be fixed by a fresher key: no secret re-fetch for those.
      if (result.reason !== 'mismatch')
        throw new ForbiddenError(result.reason === 'stale' ? 'stale' : 'signature');
      return false;
    },
    async afterVerify(form, replayGuard, now) {
      // A retry of the same message (Mailgun re-sends the original timestamp, token and signature) is processed
      // again and the conversation claim keeps it from being queued twice; the token with another message is a replay.
      const binding = mailgunTokenBinding(form.fields, form.attachments, form.attachmentsDigest);
      const expiresAt =
        Number(form.fields.timestamp) +
        MAILGUN_TIMESTAMP_WINDOW.maxAgeSeconds +
        TOKEN_KEPT_AFTER_WINDOW_SECONDS;
      const ours = await replayGuard.claimToken(form.fields.token ?? '', binding, expiresAt, now.getTime());
      if (!ours) throw new ForbiddenError('replayed');
    },
    normalise(form) {
      return normaliseMailgun(form.fields, form.attachments);
    },
    attachmentSource(form, request, secret) {
      // store(notify): a small notification naming the stored message; its attachments are fetched, never posted.
      const messageUrl = form.fields['message-url'];
      if (messageUrl !== undefined) {
        const refs = parseStoredAttachmentRefs(form.fields.attachments);
        const apiKey = typeof secret.api_key === 'string' ? secret.api_key : '';
        return refs.length > 0 ? { kind: 'mailgun-stored', messageUrl, refs, apiKey } : { kind: 'none' };
      }
      if (form.attachments.length === 0) return { kind: 'none' };
      return { kind: 'inline', contentTypeHeader: request.headers['content-type'] ?? '', body: request.body };
    },
  };
}
