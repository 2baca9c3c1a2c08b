import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnsFetchError } from '../../src/adapters/ses/bounded-fetch.js';
import { HttpSnsCertificates } from '../../src/adapters/ses/http-sns-certificates.js';
import { HttpSnsSubscriptions } from '../../src/adapters/ses/http-sns-subscriptions.js';
import { DependencyError, ForbiddenError } from '../../src/domain/errors.js';
import { parseSnsEnvelope } from '../../src/domain/sns-envelope.js';
import { verifySnsSignature } from '../../src/domain/sns-signature.js';
import { allowedSnsUrl, compileSnsUrlPattern } from '../../src/domain/sns-url-policy.js';
import { type LocalSnsServer, startLocalSnsServer } from '../../src/local/ses/local-sns-server.js';
import { signSnsEnvelope } from '../../src/local/ses/sns-signer.js';

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

  /**
   * The failure `get` rejects with: permanent (a 403: the host answered without a certificate) or transient (a
   * 503 DependencyError), and the fetch error behind it.
   */
  async function failure(certificates: HttpSnsCertificates, path: string) {
    const error = await certificates.get(`${hostileUrl}${path}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    const permanent = error instanceof ForbiddenError;
    expect(permanent || error instanceof DependencyError).toBe(true);
    const cause = (error as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(SnsFetchError);
    return { permanent, cause: String(cause) };
  }

  it('does not follow a redirect (it could leave the allowed host): permanent', async () => {
    expect(await failure(new HttpSnsCertificates(), '/redirect')).toMatchObject({ permanent: true });
  });

  it('stops reading past the size cap: permanent', async () => {
    const { permanent, cause } = await failure(new HttpSnsCertificates(), '/huge');
    expect({ permanent, tooLarge: /too large/.test(cause) }).toEqual({ permanent: true, tooLarge: true });
  });

  it('stops reading a chunked body past the size cap (no Content-Length to trust)', async () => {
    expect((await failure(new HttpSnsCertificates(), '/chunked-huge')).cause).toMatch(/too large/);
  });

  it('refuses a body that is not a PEM certificate (permanent), and remembers the failure briefly', async () => {
    let now = 0;
    const certificates = new HttpSnsCertificates({ now: () => now, failureTtlMs: 60_000 });
    const hits = hostileHits.length;
    expect(await failure(certificates, '/not-pem')).toMatchObject({ permanent: true });
    expect(await failure(certificates, '/not-pem')).toMatchObject({ permanent: true });
    expect(hostileHits.length - hits).toBe(1);
    now = 60_001;
    await failure(certificates, '/not-pem');
    expect(hostileHits.length - hits).toBe(2);
  });

  it('gives up on a server that never finishes: not permanent (503, SNS retries)', async () => {
    const { permanent, cause } = await failure(new HttpSnsCertificates({ timeoutMs: 200 }), '/hang');
    expect(permanent).toBe(false);
    expect(cause).toMatch(SnsFetchError.name);
  });

  it('surfaces a 5xx as a failure that is not permanent', async () => {
    expect(await failure(new HttpSnsCertificates(), '/error')).toMatchObject({ permanent: false });
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
    const error = await new HttpSnsSubscriptions().confirm(`${hostileUrl}/error`).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).permanent).toBeUndefined();
    expect((error as Error).cause).toBeInstanceOf(SnsFetchError);
  });
});
