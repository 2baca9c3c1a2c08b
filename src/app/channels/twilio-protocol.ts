import { UnsupportedMediaTypeError } from '../../domain/errors.js';
import { parseFormBody } from '../../domain/form-body.js';
import { normaliseTwilio, type TwilioChannel, twilioRegistryAddress } from '../../domain/twilio-message.js';
import { type FormParams, verifyTwilioSignature } from '../../domain/twilio-signature.js';
import type { SecretValue } from '../ports.js';
import { contentTypeOf } from '../webhook-request.js';
import type { ChannelProtocol } from './channel-protocol.js';

function tokens(secret: SecretValue): string[] {
  // `previous_auth_token` lets a rotation overlap: Twilio may still sign with the old token for a moment.
  return [secret.auth_token, secret.previous_auth_token].filter(
    (t): t is string => typeof t === 'string' && t !== '',
  );
}

export function twilioProtocol(channel: TwilioChannel): ChannelProtocol<FormParams> {
  return {
    channel,
    provider: 'twilio',
    async parse(request) {
      if (contentTypeOf(request) !== 'application/x-www-form-urlencoded') {
        throw new UnsupportedMediaTypeError('Content-Type must be application/x-www-form-urlencoded');
      }
      return parseFormBody(request.body.toString('utf8'));
    },
    registryAddress: twilioRegistryAddress,
    verify(params, request, secret) {
      return verifyTwilioSignature({
        url: request.publicUrl,
        params,
        signature: request.headers['x-twilio-signature'] ?? '',
        authTokens: tokens(secret),
      });
    },
    attachmentSource(_params, _request, secret, message) {
      const media = message.media ?? [];
      const accountSid = typeof secret.account_sid === 'string' ? secret.account_sid : '';
      const authToken = tokens(secret)[0] ?? '';
      // MediaUrlN is fetched with the account's credentials (accounts may enforce HTTP auth on media).
      if (media.length === 0 || accountSid === '' || authToken === '') return { kind: 'none' };
      return { kind: 'provider-media', source: { kind: 'twilio', accountSid, authToken, media } };
    },
    normalise(params, secret) {
      return normaliseTwilio(
        channel,
        params,
        typeof secret.account_sid === 'string' ? secret.account_sid : undefined,
      );
    },
  };
}
