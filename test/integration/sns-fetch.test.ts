import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnsFetchError } from '../../src/adapters/ses/bounded-fetch.js';
import { HttpSnsCertificates } from '../../src/adapters/ses/http-sns-certificates.js';
import { HttpSnsSubscriptions } from '../../src/adapters/ses/http-sns-subscriptions.js';
import { DependencyError } from '../../src/domain/errors.js';
import { parseSnsEnvelope } from '../../src/domain/sns-envelope.js';
import { verifySnsSignature } from '../../src/domain/sns-signature.js';
import { allowedSnsUrl, compileSnsUrlPattern } from '../../src/domain/sns-url-policy.js';
import { type LocalSnsServer, startLocalSnsServer } from '../../src/local/ses/local-sns-server.js';
import { signSnsEnvelope } from '../../src/local/ses/sns-signer.js';

/** An adapter's failure: a transient DependencyError (a 503, SNS retries) whose cause says what went wrong. */
async function causeOf(call: Promise<unknown>): Promise<unknown> {
  const error = await call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DependencyError);
  expect((error as DependencyError).permanent).toBeUndefined();
  return (error as Error).cause;
}

function failedWith(expected: RegExp | (new (...args: never[]) => Error)) {
  return (cause: unknown) =>
    expected instanceof RegExp ? expected.test(String((cause as Error).message)) : cause instanceof expected;
}

let sns: LocalSnsServer;
let hostile: Server;
let hostileUrl: string;
const hostileHits: string[] = [];

beforeAll(async () => {
  sns = await startLocalSnsServer();
  hostile = createServer((request, response) => {
    hostileHits.push(request.url ?? '');
    if (request.url === '/redirect') response.writeHead(302, { location: sns.certificateUrl }).end();
    else if (request.url === '/huge') response.writeHead(200).end('A'.repeat(1024 * 1024));
    else if (request.url === '/chunked-huge') {
      // No Content-Length: the cap must hold while streaming.
      response.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 64; i++) response.write('A'.repeat(1024));
      response.end();
    } else if (request.url === '/not-pem') response.writeHead(200).end('<html>hello</html>');
    else if (request.url === '/hang')
      response.writeHead(200); // headers, then nothing
    else response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sns.stop();
  hostile.closeAllConnections();
  await new Promise((resolve) => hostile.close(resolve));
});

describe('HttpSnsCertificates against a local server acting as SNS', () => {
  it('fetches once per URL, then serves the cache; the certificate verifies a signed message', async () => {
    const certificates = new HttpSnsCertificates();
    const before = sns.counts.certificateFetches;
    const [a, b] = await Promise.all([
      certificates.get(sns.certificateUrl),
      certificates.get(sns.certificateUrl),
    ]);
    const c = await certificates.get(sns.certificateUrl);
    expect(sns.counts.certificateFetches - before).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);

    const envelope = signSnsEnvelope(
      {
        Type: 'Notification',
        MessageId: 'm-1',
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:ses-inbound',
        Message: '{}',
        Timestamp: new Date().toISOString(),
        SigningCertURL: sns.certificateUrl,
      },
      sns.identity,
    );
    const parsed = parseSnsEnvelope(JSON.stringify(envelope), 'Notification');
    const pattern = compileSnsUrlPattern(sns.urlPattern);
    const url = allowedSnsUrl(parsed.SigningCertURL, pattern);
    expect(url).toBe(sns.certificateUrl);
    expect(verifySnsSignature(parsed, await certificates.get(url ?? ''), new Date())).toEqual({ ok: true });
  });

  it('does not follow a redirect (it could leave the allowed host)', async () => {
    await expect(causeOf(new HttpSnsCertificates().get(`${hostileUrl}/redirect`))).resolves.toSatisfy(
      failedWith(SnsFetchError),
    );
  });

  it('stops reading past the size cap', async () => {
    await expect(causeOf(new HttpSnsCertificates().get(`${hostileUrl}/huge`))).resolves.toSatisfy(
      failedWith(/too large/),
    );
  });

  it('stops reading a chunked body past the size cap (no Content-Length to trust)', async () => {
    await expect(causeOf(new HttpSnsCertificates().get(`${hostileUrl}/chunked-huge`))).resolves.toSatisfy(
      failedWith(/too large/),
    );
  });

  it('refuses a body that is not a PEM certificate, and does not cache the failure', async () => {
    const certificates = new HttpSnsCertificates();
    const hits = hostileHits.length;
    await expect(causeOf(certificates.get(`${hostileUrl}/not-pem`))).resolves.toSatisfy(failedWith(/PEM/));
    await expect(causeOf(certificates.get(`${hostileUrl}/not-pem`))).resolves.toSatisfy(failedWith(/PEM/));
    expect(hostileHits.length - hits).toBe(2);
  });

  it('gives up on a server that never finishes', async () => {
    await expect(
      causeOf(new HttpSnsCertificates({ timeoutMs: 200 }).get(`${hostileUrl}/hang`)),
    ).resolves.toSatisfy(failedWith(SnsFetchError));
  });

  it('surfaces a 5xx as a failure', async () => {
    await expect(causeOf(new HttpSnsCertificates().get(`${hostileUrl}/error`))).resolves.toSatisfy(
      failedWith(/500/),
    );
  });
});

describe('HttpSnsSubscriptions', () => {
  it('visits the SubscribeURL once', async () => {
    const url = sns.subscribeUrl('arn:aws:sns:us-east-1:000000000000:ses-inbound', 'tok-1');
    await new HttpSnsSubscriptions().confirm(url);
    expect(sns.confirmations).toContainEqual({
      topicArn: 'arn:aws:sns:us-east-1:000000000000:ses-inbound',
      token: 'tok-1',
    });
  });

  it('throws on a non-2xx answer so SNS redelivers the confirmation', async () => {
    await expect(causeOf(new HttpSnsSubscriptions().confirm(`${hostileUrl}/error`))).resolves.toSatisfy(
      failedWith(SnsFetchError),
    );
  });
});
