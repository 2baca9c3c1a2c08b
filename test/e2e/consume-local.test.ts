import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { queueDepth } from '../../src/local/queue-depth.js';
import { runCliCaptured } from '../helpers/cli.js';
import { useInspectedStack } from '../helpers/test-stack.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const inspected = useInspectedStack();

/** `npm run consume -- --once --url …`: the script's own command line, from package.json. */
async function consumeOnce(): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { consume: string };
  };
  const [bin = 'tsx', ...args] = pkg.scripts.consume.split(' ');
  const { stdout } = await run(
    join(ROOT, 'node_modules', '.bin', bin),
    [...args, '--once', '--url', inspected.stack.gatewayUrl],
    {
      cwd: ROOT,
      timeout: 30_000,
    },
  );
  return stdout;
}

describe('npm run consume (the example consumer over the local queues)', () => {
  it('prints each context, reads its attachments from the local S3, and skips a duplicate on meta.dedupe_key', async () => {
    const cli = (...argv: string[]) => runCliCaptured([...argv, '--url', inspected.stack.gatewayUrl]);
    const whatsapp = await cli('send', 'whatsapp', '--from', DEMO.aiSender, '--body', 'consume me');
    const email = await cli(
      'send',
      'email',
      '--from',
      DEMO.emailSender,
      '--body',
      'CV attached',
      '--attach',
      join(ROOT, 'examples', 'cv.pdf'),
    );
    expect([whatsapp.code, email.code]).toEqual([0, 0]);
    // SQS (or a provider retry) delivering the WhatsApp message a second time.
    const recorded = (await (
      await fetch(`${inspected.stack.gatewayUrl}/_local/api/queues?contexts=1&unmasked=true`)
    ).json()) as { queues: { key: string; queued: { context: { meta: { dedupe_key: string } } }[] }[] };
    const context = recorded.queues.find((q) => q.key === 'whatsappReplies')?.queued[0]?.context;
    await inspected.sqs.send(
      new SendMessageCommand({
        QueueUrl: inspected.stack.queueUrls.whatsappReplies,
        MessageBody: JSON.stringify(context),
      }),
    );

    const output = await consumeOnce();

    expect(output).toContain('"body": "consume me"');
    expect(output).toContain('"body": "CV attached"');
    expect(output).toContain('attachment cv.pdf (application/pdf, 594 bytes) sha256 ok');
    expect(output).toContain(`duplicate ${context?.meta.dedupe_key}: skipped`);
    expect(output).toContain('consumed 2 messages, 1 duplicate skipped');
    for (const url of [inspected.stack.queueUrls.whatsappReplies, inspected.stack.queueUrls.emailReplies])
      expect(await queueDepth(inspected.sqs, url)).toBe(0);
  }, 60_000);
});
