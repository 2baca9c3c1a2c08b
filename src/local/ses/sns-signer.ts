import { createSign } from 'node:crypto';
import { type SnsEnvelope, snsStringToSign } from '../../domain/sns-envelope.js';
import type { SigningIdentity } from './self-signed-certificate.js';

export type UnsignedSnsEnvelope = Omit<SnsEnvelope, 'Signature' | 'SignatureVersion'>;

/** Signs an envelope as SNS does (version 2 = SHA256withRSA by default), for the local harness and tests. */
export function signSnsEnvelope(
  envelope: UnsignedSnsEnvelope,
  identity: SigningIdentity,
  version: '1' | '2' = '2',
): SnsEnvelope {
  const unsigned = { ...envelope, SignatureVersion: version, Signature: '' } as SnsEnvelope;
  const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
  signer.update(snsStringToSign(unsigned), 'utf8');
  return { ...unsigned, Signature: signer.sign(identity.privateKey, 'base64') };
}
