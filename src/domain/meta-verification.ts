import { constantTimeEqual } from './constant-time-equal.js';

/** Meta's challenges are short random numbers; anything longer is not a verification request. */
const MAX_CHALLENGE_LENGTH = 256;
const MAX_TOKEN_LENGTH = 512;

/** The query parameters of Meta's verification GET, as received (absent when missing). */
export interface MetaVerificationQuery {
  readonly 'hub.mode'?: string | undefined;
  readonly 'hub.verify_token'?: string | undefined;
  readonly 'hub.challenge'?: string | undefined;
}

export type MetaVerificationResult =
  | { readonly accepted: true; readonly challenge: string }
  | { readonly accepted: false };

const REFUSED: MetaVerificationResult = { accepted: false };

/**
 * Meta's subscription check (`GET callback?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`): accepted only
 * for `subscribe` with the app's verify token (compared in constant time) and a challenge of printable ASCII; the
 * answer is then the bare challenge (200, text/plain). Anything else is refused (403); no verify token configured
 * refuses everything, since an empty token would accept anyone.
 *
 * @example
 * const result = checkMetaVerification(event.queryStringParameters ?? {}, appSecret.verify_token);
 */
export function checkMetaVerification(
  query: MetaVerificationQuery,
  expectedVerifyToken: string,
): MetaVerificationResult {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe') return REFUSED;
  if (typeof expectedVerifyToken !== 'string' || expectedVerifyToken.length === 0) return REFUSED;
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return REFUSED;
  if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > MAX_CHALLENGE_LENGTH)
    return REFUSED;
  // Echoed back as the body: printable ASCII only, so the answer can never carry markup or header tricks.
  if (!/^[\x21-\x7e]+$/.test(challenge)) return REFUSED;
  if (!constantTimeEqual(token, expectedVerifyToken)) return REFUSED;
  return { accepted: true, challenge };
}
