import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import type { LocalStack } from '../../src/local/local-stack.js';
import { runCliCaptured } from '../helpers/cli.js';
import { startInspectedStack } from '../helpers/test-stack.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startInspectedStack();
});
afterAll(async () => {
  await stack?.stop();
});

const cli = (...argv: string[]) => runCliCaptured([...argv, '--url', stack.gatewayUrl]);
/** `conversations close --sender <sender>`, then which of its conversations (`--id`, `--company-channel`). */
const closeFor = (sender: string, ...which: string[]) =>
  cli('conversations', 'close', '--sender', sender, ...which);

describe('registry remove (local stack)', () => {
  it('removes an entry without asking; removing it again says it is not registered', async () => {
    const address = 'whatsapp:+15550001111';
    expect((await cli('registry', 'add', '--address', address)).code).toBe(0);

    const removed = await cli('registry', 'remove', '--address', address);
    const again = await cli('registry', 'remove', '--address', address);
    const listed = await cli('registry', 'list', '--json', '--unmasked');

    expect(removed).toMatchObject({ code: 0 });
    expect(removed.stdout).toContain(`removed ${address} (company-cucumber) from CompanyChannels`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${address} is not registered in CompanyChannels`);
    const addresses = (JSON.parse(listed.stdout).items as { channel_address: string }[]).map(
      (i) => i.channel_address,
    );
    expect(addresses).not.toContain(address);
    expect(addresses).toContain(DEMO.whatsappNumber);
  });
});

describe('conversations close (local stack)', () => {
  it('asks which one when the sender has several open, closes the chosen one, and its next message gets the fallback', async () => {
    const ambiguous = await closeFor(DEMO.aiSender);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('several open conversations for this sender; choose one with --id');

    const closed = await closeFor(DEMO.aiSender, '--company-channel', DEMO.whatsappNumber);
    const sent = await cli('send', 'whatsapp', '--from', DEMO.aiSender, '--body', 'still there?');
    const again = await closeFor(DEMO.aiSender, '--id', 'conv-demo-whatsapp-ai');

    expect(closed).toMatchObject({ code: 0 });
    expect(closed.stdout).toContain('closed conv-demo-whatsapp-ai');
    expect(sent.stdout).toContain('unknown sender');
    // Closing twice is harmless: the item is there, its status stays closed.
    expect(again.code).toBe(0);
    const listed = JSON.parse(
      (await cli('conversations', 'list', '--sender', DEMO.aiSender, '--json')).stdout,
    );
    expect(listed.items).toContainEqual(
      expect.objectContaining({ conversation_id: 'conv-demo-whatsapp-ai', conversation_status: 'closed' }),
    );
  });

  it('an unknown id is an error, nothing created', async () => {
    const result = await closeFor(DEMO.handoffSender, '--id', 'conv-nope');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no conversation conv-nope for this sender in Conversations');
  });
});
