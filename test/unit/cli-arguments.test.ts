import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/cli-error.js';
import { choice, numberFlag, parseFlags, requiredFlag } from '../../src/cli/parse-flags.js';
import { resolveQueueNames } from '../../src/cli/queue-names.js';
import { runCli } from '../../src/cli/run-cli.js';
import { SEND } from '../../src/cli/send-command.js';
import { captureIo } from '../helpers/cli.js';

describe('parseFlags (node:util parseArgs, strict)', () => {
  it('reads strings, repeated strings, booleans and positionals', () => {
    const parsed = parseFlags(SEND, ['whatsapp', '--from', '+1', '--media', 'a', '--media', 'b', '--json']);

    expect(parsed.positionals).toEqual(['whatsapp']);
    expect(parsed.values.from).toBe('+1');
    expect(parsed.values.media).toEqual(['a', 'b']);
    expect(parsed.json).toBe(true);
    expect(parsed.help).toBe(false);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--from'], /argument missing/],
  ])('turns %j into a UsageError (exit code 2) carrying the help', (argv, message) => {
    const error = (() => {
      try {
        parseFlags(SEND, argv);
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).usage).toContain('Usage: replies-webhooks send');
  });

  it('checks required flags, numbers and choices', () => {
    const { values } = parseFlags(SEND, ['--from', '']);

    expect(() => requiredFlag(values, 'from', SEND)).toThrow('missing required option --from');
    expect(numberFlag({ count: '7' }, 'count', { min: 1, max: 10, fallback: 1 })).toBe(7);
    expect(numberFlag({}, 'count', { min: 1, max: 10, fallback: 3 })).toBe(3);
    expect(() => numberFlag({ count: '2.5' }, 'count', { min: 1, max: 10, fallback: 1 })).toThrow(/integer/);
    expect(() => numberFlag({ count: '11' }, 'count', { min: 1, max: 10, fallback: 1 })).toThrow(/1 to 10/);
    expect(choice('sms', ['whatsapp', 'sms'] as const, 'channel', SEND)).toBe('sms');
    expect(() => choice('fax', ['whatsapp', 'sms'] as const, 'channel', SEND)).toThrow(
      /unknown channel "fax"/,
    );
  });

  it('resolves queue names people type', () => {
    expect(resolveQueueNames('whatsapp')).toEqual(['WhatsAppRepliesQueue']);
    expect(resolveQueueNames('smsReplies')).toEqual(['SmsRepliesQueue']);
    expect(resolveQueueNames('HandoffQueue-DLQ')).toEqual(['HandoffQueue-DLQ']);
    expect(resolveQueueNames(undefined)).toHaveLength(8);
    expect(() => resolveQueueNames('nope')).toThrow(UsageError);
  });
});

describe('runCli', () => {
  it('prints the overview for --help (exit 0) and for no command (exit 2)', async () => {
    const help = captureIo();
    const bare = captureIo();

    expect(await runCli(['--help'], help)).toBe(0);
    expect(await runCli([], bare)).toBe(2);

    expect(help.stdout.join('\n')).toMatch(/Commands:[\s\S]*send[\s\S]*simulate[\s\S]*outbox/);
  });

  it('prints the URLs PORT names in the overview and every help, so examples work as printed', async () => {
    const io = { ...captureIo(), env: { PORT: '4410' } };

    await runCli(['--help'], io);
    for (const command of ['send', 'simulate', 'queues', 'conversations', 'registry', 'outbox'])
      expect(await runCli([command, '--help'], io)).toBe(0);

    const printed = io.stdout.join('\n');
    expect(printed).toContain('Inspector: http://127.0.0.1:4410/_local/');
    expect(printed).toContain("simulate sms --url 'http://127.0.0.1:4410#rc=3");
    expect(printed).not.toContain(':3000');
  });

  it('refuses a PORT that is not a port, naming the variable', async () => {
    const io = { ...captureIo(), env: { PORT: '44x' } };

    expect(await runCli(['outbox', 'list'], io)).toBe(2);
    expect(io.stderr[0]).toContain('PORT must be a port number from 1 to 65535 (got "44x")');
  });

  it.each([['send'], ['simulate'], ['queues'], ['conversations'], ['registry'], ['outbox']])(
    '%s --help shows its usage and exits 0',
    async (command) => {
      const io = captureIo();

      expect(await runCli([command, '--help'], io)).toBe(0);

      expect(io.stdout.join('\n')).toContain(`Usage: replies-webhooks ${command}`);
      expect(io.stdout.join('\n')).toContain('--json');
    },
  );

  it.each([
    [['deploy'], 'unknown command "deploy"'],
    [['send'], 'missing channel: one of whatsapp, sms, email'],
    [['send', 'fax', '--from', '+1', '--body', 'x'], 'unknown channel "fax"'],
    [['send', 'whatsapp', '--body', 'hi'], 'missing required option --from'],
    [
      ['send', 'email', '--from', 'a@b.example', '--body', 'x', '--status', 'read'],
      '--status is for whatsapp and sms',
    ],
    [['simulate', '--url', 'http://127.0.0.1:1#rc=9'], 'rc must be an integer from 0 to 5'],
    [['queues', 'peek', 'nope'], 'unknown queue "nope"'],
    [['conversations', 'add', '--sender', '07700'], '--sender must be +E.164'],
  ])('%j fails with exit code 2 and says why', async (argv, message) => {
    const io = captureIo();

    expect(await runCli(argv, io)).toBe(2);

    expect(io.stderr[0]).toContain(message);
    expect(io.stderr[1]).toMatch(/--help` for usage/);
    expect(io.stdout).toEqual([]);
  });
});
