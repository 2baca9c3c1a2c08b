import type { OptOutKeyword } from './types.js';

// Twilio's default keyword lists (exact single words, case-insensitive, surrounding spaces ignored).
const KEYWORDS: Record<string, OptOutKeyword> = {
  STOP: 'STOP',
  STOPALL: 'STOP',
  UNSUBSCRIBE: 'STOP',
  CANCEL: 'STOP',
  END: 'STOP',
  QUIT: 'STOP',
  REVOKE: 'STOP',
  OPTOUT: 'STOP',
  START: 'START',
  YES: 'START',
  UNSTOP: 'START',
  HELP: 'HELP',
  INFO: 'HELP',
};

/** Advanced Opt-Out's `OptOutType` wins; otherwise the body must be exactly one keyword. */
export function detectOptOut(body: string, optOutType: string | undefined): OptOutKeyword | undefined {
  const declared = optOutType?.trim().toUpperCase();
  if (declared === 'STOP' || declared === 'START' || declared === 'HELP') return declared;
  return KEYWORDS[body.trim().toUpperCase()];
}
