import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { messageAcme, runCliCaptured, sendDemoSesEmail } from '../helpers/cli.js';
import { drainQueue } from '../helpers/queues.js';
import { useInspectedStack } from '../helpers/test-stack.js';

const inspected = useInspectedStack();

interface Row {
  readonly verdict: string;
  readonly provider: string;
  readonly to: string;
  readonly company: string;
  readonly queue?: string;
  readonly preview: string;
  readonly messageId: string;
}

const cli = (...argv: string[]) => runCliCaptured([...argv, '--url', inspected.stack.gatewayUrl]);

describe('inspector list: which tenant, provider and queue each webhook was for', () => {
  it('tells two tenants apart, names the provider and queue, and shows an SES row with preview and message id', async () => {
    await messageAcme(cli, { channel: 'whatsapp:+15550002222', sender: '+447700900999', body: 'for acme' });
    await cli('send', 'whatsapp', '--from', DEMO.aiSender, '--body', 'for cucumber');
    await cli('send', 'sms', '--from', '+447700900555', '--body', 'who are you');
    const ses = await sendDemoSesEmail(cli, '--subject', 'CV', '--body', 'via SES');
    const sesMessageId = /message +(\S+)/.exec(ses.stdout)?.[1];

    const { exchanges } = (await (
      await fetch(`${inspected.stack.gatewayUrl}/_local/api/exchanges`)
    ).json()) as {
      exchanges: Row[];
    };

    const [sesRow, unknown, cucumber, acme] = exchanges;
    expect(acme).toMatchObject({
      provider: 'twilio',
      company: 'Acme Staffing',
      queue: 'WhatsAppRepliesQueue',
    });
    expect(acme?.to).toMatch(/^whatsapp:\+1555…|^whatsapp:\+15\*/);
    expect(cucumber).toMatchObject({
      provider: 'twilio',
      company: 'Cucumber Recruitment',
      queue: 'WhatsAppRepliesQueue',
    });
    // Not queued (no conversation): the company still comes from the registry entry of the address.
    expect(unknown).toMatchObject({ verdict: 'unknown-sender', company: 'Cucumber Recruitment' });
    expect(unknown?.queue).toBeUndefined();
    expect(sesRow).toMatchObject({
      provider: 'ses',
      company: 'Cucumber Recruitment',
      queue: 'EmailRepliesQueue',
      preview: 'via SES',
      messageId: sesMessageId,
    });
    await drainQueue(inspected.sqs, inspected.stack.queueUrls.whatsappReplies);
    await drainQueue(inspected.sqs, inspected.stack.queueUrls.emailReplies);
  });
});
