import { generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';

/**
 * A throw-away self-signed RSA certificate, built in memory with no openssl: the local stack's SNS harness signs
 * with it and serves it, and tests build their own. It is never written to disk and production never trusts it
 * (the default SNS_URL_PATTERN only admits AWS's SNS hosts).
 */
export interface SigningIdentity {
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
}

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const length = body.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else if (length < 0x100) header = Buffer.from([tag, 0x81, length]);
  else header = Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([header, body]);
}

const sequence = (...parts: Buffer[]) => der(0x30, ...parts);
const oid = (bytes: number[]) => der(0x06, Buffer.from(bytes));
const SHA256_WITH_RSA = sequence(
  oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]),
  Buffer.from([5, 0]),
);
const COMMON_NAME = [0x55, 0x04, 0x03];

function name(commonName: string): Buffer {
  return sequence(der(0x31, sequence(oid(COMMON_NAME), der(0x0c, Buffer.from(commonName, 'utf8')))));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return der(0x17, Buffer.from(`${text}Z`, 'ascii'));
}

/**
 * @example
 * const identity = createSigningIdentity({ commonName: 'sns.local' });
 */
export function createSigningIdentity(options: {
  readonly commonName?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}): SigningIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 7 * 24 * 3600_000);
  const subject = name(options.commonName ?? 'sns.local-test');
  const serial = der(
    0x02,
    Buffer.from([0x01, ...Array.from({ length: 8 }, () => (Math.random() * 256) | 0)]),
  );
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))),
    serial,
    SHA256_WITH_RSA,
    subject,
    sequence(utcTime(notBefore), utcTime(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, SHA256_WITH_RSA, der(0x03, Buffer.from([0]), signature));
  const body = certificate.toString('base64').replace(/.{64}/g, '$&\n');
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
  // Fails loudly if the encoding above were ever wrong.
  new X509Certificate(certificatePem);
  return { privateKey, certificatePem: certificatePem.replace('\n\n', '\n') };
}
