import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { cli, demoAccountToken, spawnCli } from '../helpers/cli.js';
import { drainQueue } from '../helpers/queues.js';
import { useInspectedStack } from '../helpers/test-stack.js';

/** `send <channel> --from <from> --body <body>`, then any other arguments (in-process). */
function send(channel: string, from: string, body: string, ...more: string[]) {
  return cli(['send', channel, '--from', from, '--body', body, ...more]);
}

type Context = { message: { body: string; message_id: string; from: string } };

const inspected = useInspectedStack();
const gatewayUrl = () => inspected.stack.gatewayUrl;

describe('replies-webhooks, spawned as users run it (bin file, tsx loader)', () => {
  it('send whatsapp lands on WhatsAppRepliesQueue and reports what the gateway did', async () => {
    const result = await spawnCli([
      'send',
      'whatsapp',
      '--from',
      DEMO.aiSender,
      '--body',
      'hi from the CLI',
      '--url',
      gatewayUrl(),
    ]);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`POST ${gatewayUrl()}/whatsapp → 200`);
    expect(result.stdout).toContain('verified, queued → WhatsAppRepliesQueue (ai)');
    const queued = (await drainQueue(inspected.sqs, inspected.stack.queueUrls.whatsappReplies)) as Context[];
    expect(queued.map((c) => [c.message.body, c.message.from])).toEqual([['hi from the CLI', DEMO.aiSender]]);
  });
});

describe('replies-webhooks in-process (runCli) against a local stack', () => {
  it('--json gives scripts the status, ids and verdict; the same MessageSid again is a duplicate', async () => {
    const first = await send('sms', DEMO.aiSender, 'json please', '--url', gatewayUrl(), '--json');
    const sent = JSON.parse(first.stdout) as {
      ok: boolean;
      status: number;
      messageId: string;
      verdict: string;
    };
    const again = await send(
      'sms',
      DEMO.aiSender,
      'json please',
      '--url',
      gatewayUrl(),
      '--json',
      '--message-sid',
      sent.messageId,
    );

    expect(first.code).toBe(0);
    expect(sent).toMatchObject({ ok: true, status: 200, verdict: 'queued' });
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: true,
      messageId: sent.messageId,
      verdict: 'duplicate',
    });
    const queued = (await drainQueue(inspected.sqs, inspected.stack.queueUrls.smsReplies)) as Context[];
    expect(queued.map((c) => c.message.message_id)).toEqual([sent.messageId]);
  });

  it('send email signs with the Mailgun key and queues on EmailRepliesQueue', async () => {
    const result = await send('email', DEMO.emailSender, 'by mail', '--url', gatewayUrl(), '--json');

    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      verdict: 'queued',
      outcome: expect.stringContaining('EmailRepliesQueue'),
    });
  });

  it('exits 1 when the gateway refuses the request (wrong token: forged)', async () => {
    const result = await send(
      'whatsapp',
      DEMO.aiSender,
      'x',
      '--url',
      gatewayUrl(),
      ...demoAccountToken('not-the-token'),
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('→ 403');
    expect(result.stdout).toContain('forged');
  });

  it('exits 1 with a hint when nothing listens, and 2 for an unknown command', async () => {
    const [refused, unknown] = await Promise.all([
      send('whatsapp', DEMO.aiSender, 'x', '--url', 'http://127.0.0.1:9'),
      cli(['frobnicate']),
    ]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'cannot reach http://127.0.0.1:9/whatsapp (connection refused) — is `npm start` running, on that port? ' +
        '(point the CLI at the stack with --url <gateway URL>, PORT=<port> or LOCAL_BASE_PORT=<port>)',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('queues peek and outbox list read the local stack', async () => {
    await send('whatsapp', DEMO.handoffSender, 'for a human', '--url', gatewayUrl());

    const [peek, outbox] = await Promise.all([
      cli(['queues', 'peek', 'handoff', '--url', gatewayUrl(), '--json']),
      cli(['outbox', 'list', '--url', gatewayUrl(), '--json']),
    ]);

    const { queues } = JSON.parse(peek.stdout) as {
      queues: { queue: string; messages: { context: Context }[] }[];
    };
    expect(queues[0]?.queue).toBe('HandoffQueue');
    expect(queues[0]?.messages.map((m) => m.context.message.body)).toEqual(['for a human']);
    expect(JSON.parse(outbox.stdout)).toEqual({ entries: [] });
  });

  it('finds the stack from PORT alone, or from --url alone (emulator endpoints asked of the gateway)', async () => {
    const port = new URL(gatewayUrl()).port;
    const sent = await cli(['send', 'whatsapp', '--from', DEMO.aiSender, '--body', 'via PORT'], {
      PORT: port,
    });

    const [peek, byUrl, byPort] = await Promise.all([
      cli(['queues', 'peek', 'whatsapp', '--url', gatewayUrl(), '--json']),
      cli(['conversations', 'list', '--url', `${gatewayUrl()}/`, '--json']),
      cli(['conversations', 'list', '--json'], { PORT: port }),
    ]);

    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toContain(`POST ${gatewayUrl()}/whatsapp → 200`);
    const { queues } = JSON.parse(peek.stdout) as {
      queues: { queue: string; messages: { context: Context }[] }[];
    };
    expect(queues[0]?.queue).toBe('WhatsAppRepliesQueue');
    expect(queues[0]?.messages.map((m) => m.context.message.body)).toEqual(['via PORT']);
    for (const result of [byUrl, byPort]) {
      const { items } = JSON.parse(result.stdout) as { items: { primary_channel: string }[] };
      expect(items.map((item) => item.primary_channel)).toContain(DEMO.aiSender);
    }
    await drainQueue(inspected.sqs, inspected.stack.queueUrls.whatsappReplies);
  });

  it('tolerates a trailing slash on a base or route URL', async () => {
    const [base, route] = await Promise.all([
      send('sms', DEMO.aiSender, 'slash', '--url', `${gatewayUrl()}/`),
      send('whatsapp', DEMO.aiSender, 'slash', '--url', `${gatewayUrl()}/whatsapp/`),
    ]);

    expect(base.stdout).toContain(`POST ${gatewayUrl()}/sms → 200`);
    expect(route.stdout).toContain(`POST ${gatewayUrl()}/whatsapp → 200`);
    await drainQueue(inspected.sqs, inspected.stack.queueUrls.smsReplies);
    await drainQueue(inspected.sqs, inspected.stack.queueUrls.whatsappReplies);
  });

  it('names the URL tried and what to change when the stack is not where PORT says', async () => {
    const result = await cli(['conversations', 'list'], { PORT: '9' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach http://127.0.0.1:9/_local/api/config (connection refused)');
    expect(result.stderr).toContain('--url <gateway URL>, PORT=<port> or LOCAL_BASE_PORT=<port>');
  });

  it('--version, "did you mean", --from checked before signing, and --json errors as one object', async () => {
    const [version, command, option, from, json] = await Promise.all([
      cli(['--version']),
      cli(['sned', 'whatsapp']),
      cli(['send', 'whatsapp', '--form', DEMO.aiSender, '--body', 'hi']),
      send('sms', '07700900123', 'hi', '--url', gatewayUrl()),
      send('sms', '07700900123', 'hi', '--json'),
    ]);

    expect(version).toMatchObject({ code: 0, stdout: 'replies-webhooks 0.1.0\n' });
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "sned" — did you mean "send"?');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain(`Unknown option '--form' — did you mean "--from"?`);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain('--from must be an E.164 number for sms');
    expect(from.stderr).toContain('e.g. +447700900123 (got "07700900123")');
    expect(from.stderr).not.toContain(DEMO.smsNumber);
    expect(from.stdout).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({
      error: expect.stringContaining('--from must be'),
      exit_code: 2,
    });
    expect(json.code).toBe(2);
  });
});
