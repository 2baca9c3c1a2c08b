import { describe, expect, it } from 'vitest';
import { useStageTables } from '../helpers/stage-tables.js';

const STAGE = 'staging';
const stage = useStageTables(STAGE);

/** The CLI's stdout; a failure rejects with the whole result (code, stdout, stderr). */
async function cli(...argv: string[]): Promise<string> {
  const result = await stage.cli(...argv);
  if (result.code !== 0) throw Object.assign(new Error(`exit ${result.code}: ${result.stderr}`), result);
  return result.stdout;
}

describe('registry and conversations --stage NAME (a deployed stage via the default AWS credential chain)', () => {
  it("onboards a company into the stage's own tables", async () => {
    const address = 'whatsapp:+14155550100';
    const added = await cli(
      'registry',
      'add',
      '--stage',
      STAGE,
      '--address',
      address,
      '--company-id',
      'acme',
      '--credentials-ref',
      'whatsapp-credentials/acme/hiring/twilio',
      '--json',
    );
    expect(JSON.parse(added).added).toMatchObject({ channel_address: address, company_id: 'acme' });

    const listed = JSON.parse(await cli('registry', 'list', '--stage', STAGE, '--json'));
    expect(listed.items).toEqual([expect.objectContaining({ channel_address: address })]);

    const conversation = JSON.parse(
      await cli(
        'conversations',
        'add',
        '--stage',
        STAGE,
        '--sender',
        '+447700900123',
        '--company-channel',
        address,
        '--json',
      ),
    );
    expect(JSON.stringify(conversation)).toContain('+447700900123');
    const conversations = JSON.parse(await cli('conversations', 'list', '--stage', STAGE, '--json'));
    expect(conversations.items).toHaveLength(1);
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
