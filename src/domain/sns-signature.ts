import { createVerify, X509Certificate } from 'node:crypto';
import { type SnsEnvelope, snsStringToSign } from './sns-envelope.js';

export type SnsVerification =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'certificate' | 'expired-certificate' | 'mismatch' };

const ALGORITHM = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' } as const;

/**
 * Verifies an SNS envelope against the PEM certificate fetched from its (already allowed) SigningCertURL:
 * SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA, over `snsStringToSign`. The certificate must be an RSA
 * certificate valid at `now`. Pure: fetching and caching the certificate is the caller's job.
 *
 * @example
 * verifySnsSignature(envelope, await certificates.get(certUrl), clock.now());
 */
export function verifySnsSignature(
  envelope: SnsEnvelope,
  certificatePem: string,
  now: Date,
): SnsVerification {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    return { ok: false, reason: 'certificate' };
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') return { ok: false, reason: 'certificate' };
  const nowMs = now.getTime();
  if (nowMs < Date.parse(certificate.validFrom) || nowMs > Date.parse(certificate.validTo)) {
    return { ok: false, reason: 'expired-certificate' };
  }
  const verifier = createVerify(ALGORITHM[envelope.SignatureVersion]);
  verifier.update(snsStringToSign(envelope), 'utf8');
  let valid: boolean;
  try {
    valid = verifier.verify(certificate.publicKey, envelope.Signature, 'base64');
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: 'mismatch' };
}
