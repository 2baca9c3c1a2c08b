import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';
import { acmeRegistryAddArgs, useStageTables } from '../helpers/stage-tables.js';

const STAGE = 'staging';
const stage = useStageTables(STAGE);

/** The CLI's stdout; a failure rejects with the whole result (code, stdout, stderr). */
async function cli(...argv: string[]): Promise<string> {
  const result = await stage.cli(...argv);
  if (result.code !== 0) throw Object.assign(new Error(`exit ${result.code}: ${result.stderr}`), result);
  return result.stdout;
}

/** `conversations add --stage STAGE` of `sender` on the company channel `address`, then `extra`. */
const addConversation = (sender: string, address: string, ...extra: string[]) =>
  cli('conversations', 'add', '--stage', STAGE, '--sender', sender, '--company-channel', address, ...extra);

describe('registry and conversations --stage NAME (a deployed stage via the default AWS credential chain)', () => {
  it("onboards a company into the stage's own tables", async () => {
    const address = 'whatsapp:+14155550100';
    const added = await cli(
      ...acmeRegistryAddArgs(STAGE, address, 'whatsapp-credentials/acme/hiring/twilio', '--json'),
    );
    expect(JSON.parse(added).added).toMatchObject({ channel_address: address, company_id: 'acme' });

    const listed = JSON.parse(await cli('registry', 'list', '--stage', STAGE, '--json'));
    expect(listed.items).toEqual([expect.objectContaining({ channel_address: address })]);

    const conversation = JSON.parse(await addConversation('+447700900123', address, '--json'));
    expect(JSON.stringify(conversation)).toContain('+447700900123');
    const conversations = JSON.parse(await cli('conversations', 'list', '--stage', STAGE, '--json'));
    expect(conversations.items).toHaveLength(1);
  });

  it('remove and close against a stage ask first: without a terminal they need --yes, with it they act', async () => {
    const address = '+14155550199';
    await cli('registry', 'add', '--stage', STAGE, '--address', address, '--channel', 'sms');
    await addConversation('+447700900777', address, '--id', 'conv-stage-1');

    await expect(cli('registry', 'remove', '--stage', STAGE, '--address', address)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        `remove ${address} from CompanyChannels-${STAGE} in stage ${STAGE}: confirm with --yes`,
      ),
    });
    await expect(
      cli('conversations', 'close', '--stage', STAGE, '--sender', '+447700900777'),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('confirm with --yes') });
    const closed = await cli(
      'conversations',
      'close',
      '--stage',
      STAGE,
      '--sender',
      '+447700900777',
      '--yes',
    );
    const removed = await cli(
      'registry',
      'remove',
      '--stage',
      STAGE,
      '--address',
      address,
      '--yes',
      '--json',
    );

    expect(closed).toContain('closed conv-stage-1');
    expect(JSON.parse(removed).removed).toMatchObject({ channel_address: address });
    const listed = JSON.parse(await cli('registry', 'list', '--stage', STAGE, '--json'));
    expect(listed.items.map((i: { channel_address: string }) => i.channel_address)).not.toContain(address);
  });

  it('on a terminal, the question decides: no leaves the entry, yes removes it', async () => {
    const address = '+14155550188';
    await cli('registry', 'add', '--stage', STAGE, '--address', address, '--channel', 'sms');
    const questions: string[] = [];
    const answering = (answer: boolean) => async (question: string) => {
      questions.push(question);
      return answer;
    };
    const saved = { ...process.env };
    Object.assign(process.env, stage.env);
    try {
      const declined = await runCliCaptured(['registry', 'remove', '--stage', STAGE, '--address', address], {
        confirm: answering(false),
      });
      const accepted = await runCliCaptured(['registry', 'remove', '--stage', STAGE, '--address', address], {
        confirm: answering(true),
      });

      expect(declined.code).toBe(1);
      expect(declined.stderr).toContain('not confirmed, nothing changed');
      expect(accepted.code).toBe(0);
      expect(questions).toEqual([
        `remove ${address} from CompanyChannels-${STAGE} in stage ${STAGE}?`,
        `remove ${address} from CompanyChannels-${STAGE} in stage ${STAGE}?`,
      ]);
    } finally {
      process.env = saved;
    }
  });

  it("lists the stage's heartbeat entry apart, not as a tenant", async () => {
    await cli(
      'registry',
      'add',
      '--stage',
      STAGE,
      '--address',
      '+10000000000',
      '--channel',
      'sms',
      '--company-id',
      'replies-engine',
    );

    const text = await cli('registry', 'list', '--stage', STAGE);
    const json = JSON.parse(await cli('registry', 'list', '--stage', STAGE, '--json'));

    expect(text).not.toMatch(/replies-engine/);
    expect(text).toContain("(and +10000000000: the stage's heartbeat entry, not a tenant)");
    expect(json.items.map((i: { channel_address: string }) => i.channel_address)).not.toContain(
      '+10000000000',
    );
  });

  it('refuses --stage together with --endpoint', async () => {
    await expect(
      cli('registry', 'list', '--stage', STAGE, '--endpoint', stage.endpoint),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('--stage excludes --endpoint and --url') });
  });

  it('names the stage when its table does not exist', async () => {
    await expect(cli('registry', 'list', '--stage', 'prod')).rejects.toMatchObject({
      stderr: expect.stringContaining('no table CompanyChannels-prod at stage prod (AWS)'),
    });
  });
});
