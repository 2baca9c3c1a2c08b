/**
 * Ports of the Amazon SES inbound path (issue 14). Kept apart from `ports.ts` while that file is being changed on
 * other branches; they belong next to the others once merged.
 */

/** PEM certificates by (already allowed, normalised) SigningCertURL; cached by URL. */
export interface SnsCertificates {
  get(certificateUrl: string): Promise<string>;
}

/** Visits a verified SubscriptionConfirmation's SubscribeURL (already allowed and normalised). */
export interface SnsSubscriptions {
  confirm(subscribeUrl: string): Promise<void>;
}

/** The raw MIME message SES stored with its S3 action (the inbound bucket only). */
export interface RawEmailSource {
  get(bucket: string, key: string): Promise<Uint8Array>;
}
