import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { pdfBytes, sha256 } from '../fixtures/ses/mime-fixtures.js';
import { cli } from '../helpers/cli.js';
import { drainQueue } from '../helpers/queues.js';
import { useInspectedStack } from '../helpers/test-stack.js';

const inspected = useInspectedStack();
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-ses-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

/** `send email --provider ses …` against this file's inspected.stack. */
const sendSes = (...args: string[]) =>
  cli(['send', 'email', '--provider', 'ses', ...args, '--url', inspected.stack.gatewayUrl]);

describe('send email --provider ses (the MIME in the inbound bucket, the notification signed by the SNS stand-in)', () => {
  it('a plus-addressed reply with a PDF reaches the demo conversation with the PDF stored', async () => {
    const file = join(dir, 'cv.pdf');
    const pdf = pdfBytes(50 * 1024);
    writeFileSync(file, pdf);
    const to = DEMO.sesEmailAddress.replace('@', '+conv-demo-email-ai@');
    const result = await sendSes(
      '--from',
      DEMO.emailSender,
      '--to',
      to,
      '--body',
      'CV attached',
      '--attach',
      file,
    );

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`POST ${inspected.stack.gatewayUrl}/email → 200`);
    expect(result.stdout).toContain('EmailRepliesQueue');
    const queued = (await drainQueue(inspected.sqs, inspected.stack.queueUrls.emailReplies)) as Array<{
      conversation: { conversation_id: string };
      message: { body: string; attachments: Array<{ filename: string; sha256: string }> };
    }>;
    expect(queued).toHaveLength(1);
    expect(queued[0]?.conversation.conversation_id).toBe('conv-demo-email-ai');
    expect(queued[0]?.message.body).toBe('CV attached');
    expect(queued[0]?.message.attachments).toMatchObject([{ filename: 'cv.pdf', sha256: sha256(pdf) }]);

    // The inspector lists the SNS delivery with the receipt's sender and recipient (masked) and its verdict.
    const listed = (await (await fetch(`${inspected.stack.gatewayUrl}/_local/api/exchanges`)).json()) as {
      exchanges: Array<{ path: string; verdict: string; from: string; to: string; queue?: string }>;
    };
    const exchange = listed.exchanges.find((e) => e.path === '/email' && e.verdict === 'queued');
    expect(exchange?.queue).toBe('EmailRepliesQueue');
    expect(exchange?.from).not.toBe('');
    expect(exchange?.to).not.toBe('');
  });

  it('an unknown sender: the SES fallback shows in the outbox (provider ses)', async () => {
    const result = await sendSes('--from', 'stranger@example.com', '--body', 'hello?');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const outbox = (await (
      await fetch(`${inspected.stack.gatewayUrl}/_local/api/outbox?unmasked=true`)
    ).json()) as {
      entries: Array<{ provider: string; to: string; from: string }>;
    };
    expect(outbox.entries.filter((e) => e.provider === 'ses')).toMatchObject([
      { to: 'stranger@example.com', from: `Cucumber Recruitment <${DEMO.sesEmailAddress}>` },
    ]);
  });

  it('refuses --provider ses for other channels and unknown providers (usage error, exit 2)', async () => {
    expect(
      (await cli(['send', 'sms', '--provider', 'ses', '--from', DEMO.aiSender, '--body', 'x'])).code,
    ).toBe(2);
    expect(
      (await cli(['send', 'email', '--provider', 'postfix', '--from', DEMO.emailSender, '--body', 'x'])).code,
    ).toBe(2);
  });
});
