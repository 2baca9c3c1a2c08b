import { createHash, randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AttachmentStore } from '../../src/adapters/aws/s3-attachment-store.js';
import { HttpGraphApi } from '../../src/adapters/outbound/http-graph-api.js';
import { HttpTwilioMedia } from '../../src/adapters/outbound/http-twilio-media.js';
import { MetaOutboundSender } from '../../src/adapters/outbound/meta-outbound-sender.js';
import { storeProviderMedia } from '../../src/app/store-provider-media.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { buildMetaWebhook } from '../../src/cli/meta-send.js';
import { runCli } from '../../src/cli/run-cli.js';
import { checkMetaVerification } from '../../src/domain/meta-verification.js';
import { parseMetaWebhook } from '../../src/domain/meta-webhook.js';
import { DEMO } from '../../src/kit/demo-data.js';
import type { LocalStack } from '../../src/local/local-stack.js';
import { startInspectedStack } from '../helpers/test-stack.js';

function captureIo(): CliIo & { stdout: string[] } {
  const stdout: string[] = [];
  return {
    stdout,
    out: (line) => stdout.push(line),
    err: () => undefined,
    status: () => undefined,
    interactive: false,
  };
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startInspectedStack();
});
afterAll(async () => {
  await stack?.stop();
});

const store = () => new S3AttachmentStore(stack.s3, { bucket: stack.config.attachmentsBucket });
const read = async (key: string) => {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const got = await stack.s3.send(new GetObjectCommand({ Bucket: stack.config.attachmentsBucket, Key: key }));
  return Buffer.from(
    await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
};

describe('the local stack’s provider stand-ins', () => {
  it('the handler’s config points at the Graph API stand-in, and the stack reports it to tools', async () => {
    expect(stack.config.metaGraphApiBaseUrl).toBe(stack.graph.baseUrl);
    expect(stack.graph.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v26\.0$/);
    const config = (await (await fetch(`${stack.gatewayUrl}/_local/api/config`)).json()) as {
      metaGraphApi: string;
    };
    expect(config.metaGraphApi).toBe(stack.graph.baseUrl);
  });

  it('send --provider meta --attach: the file goes to the stand-in, the signed webhook names it, the gateway’s adapter gets it back byte for byte', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(64_000)]);
    const file = join(tmpdir(), `cv-${process.pid}-${randomBytes(3).toString('hex')}.pdf`);
    writeFileSync(file, pdf);
    const request = await buildMetaWebhook({
      gateway: { url: stack.gatewayUrl, origin: stack.gatewayUrl },
      baseUrl: stack.gatewayUrl,
      from: DEMO.aiSender,
      body: 'My CV',
      attachFile: file,
      credentials: {},
      now: new Date(),
    }).finally(() => rmSync(file, { force: true }));
    expect(request.url).toBe(`${stack.gatewayUrl}/whatsapp/meta`);
    const [item] = parseMetaWebhook(request.body.toString('utf8')).messages;
    expect(item?.media).toMatchObject({ kind: 'document', mimeType: 'application/pdf', caption: 'My CV' });

    const owner = {
      companyId: DEMO.company.company_id,
      conversationId: 'conv-demo-whatsapp-meta',
      messageId: request.messageId,
    };
    const result = await storeProviderMedia(
      {
        graphApi: new HttpGraphApi({ graphApiBaseUrl: stack.config.metaGraphApiBaseUrl }),
        attachments: store(),
      },
      {
        kind: 'meta',
        accessToken: DEMO.meta.accessToken,
        phoneNumberId: DEMO.meta.phoneNumberId,
        media: [item?.media ?? { kind: 'document', id: '', mimeType: '' }],
      },
      owner,
    );
    expect(result.notStored).toEqual([]);
    expect(result.stored[0]).toMatchObject({
      filename: file.split('/').pop(),
      content_type: 'application/pdf',
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    });
    expect(await read(result.stored[0]?.s3.key ?? '')).toEqual(pdf);
  });

  it('a Meta reply lands in the outbox next to Twilio’s and Mailgun’s (outbox list, inspector)', async () => {
    await new MetaOutboundSender(
      new HttpGraphApi({ graphApiBaseUrl: stack.config.metaGraphApiBaseUrl }),
    ).send(
      {
        channel: 'whatsapp',
        from: DEMO.meta.channelAddress,
        to: DEMO.aiSender,
        body: 'Thanks — who is this?',
      },
      { access_token: DEMO.meta.accessToken },
    );
    const io = captureIo();
    expect(await runCli(['outbox', 'list', '--json', '--url', stack.gatewayUrl, '--unmasked'], io)).toBe(0);
    const { entries } = JSON.parse(io.stdout.join('\n')) as { entries: Record<string, string>[] };
    expect(entries).toContainEqual(
      expect.objectContaining({
        provider: 'meta',
        to: DEMO.aiSender.slice(1),
        from: DEMO.meta.channelAddress,
        body: 'Thanks — who is this?',
      }),
    );
  });

  it('Twilio media through the gateway’s /_local/twilio: MediaUrl with the demo account, redirect, stored', async () => {
    const image = randomBytes(30_000);
    const url = stack.twilioMedia.put(DEMO.accountSid, { data: image, contentType: 'image/jpeg' });
    expect(url.startsWith(`${stack.config.twilioApiBaseUrl}/2010-04-01/Accounts/${DEMO.accountSid}/`)).toBe(
      true,
    );
    const result = await storeProviderMedia(
      {
        twilioMedia: new HttpTwilioMedia({ twilioApiBaseUrl: stack.config.twilioApiBaseUrl }),
        attachments: store(),
      },
      {
        kind: 'twilio',
        accountSid: DEMO.accountSid,
        authToken: DEMO.authToken,
        media: [{ url, content_type: 'image/jpeg' }],
      },
      {
        companyId: DEMO.company.company_id,
        conversationId: 'conv-demo-whatsapp-ai',
        messageId: `MM${'1'.repeat(32)}`,
      },
    );
    expect(result.notStored).toEqual([]);
    expect(result.stored[0]).toMatchObject({ filename: 'media-0.jpg', size: image.length });
    expect(await read(result.stored[0]?.s3.key ?? '')).toEqual(image);
  });
});

describe('verify meta (the CLI’s hub.challenge GET)', () => {
  it('passes when the challenge comes back as the whole body, fails on a 403', async () => {
    const server = createServer((req, res) => {
      const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
      const result = checkMetaVerification(query, DEMO.meta.verifyToken);
      res.writeHead(result.accepted ? 200 : 403, { 'Content-Type': 'text/plain' });
      res.end(result.accepted ? result.challenge : 'Forbidden');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await runCli(['verify', 'meta', '--url', url, '--challenge', '1158201444'], captureIo())).toBe(
        0,
      );
      const wrong = captureIo();
      expect(await runCli(['verify', 'meta', '--url', url, '--verify-token', 'wrong', '--json'], wrong)).toBe(
        1,
      );
      expect(JSON.parse(wrong.stdout.join(''))).toMatchObject({ ok: false, status: 403 });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
