import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { banner } from '../../src/local/banner.js';
import { DEMO_SECRETS_FILE, startLocalStack } from '../../src/local/local-stack.js';
import { SecretsFileError } from '../../src/local/secrets-file.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { spawnNpmStart } from '../helpers/spawn-stack.js';
import { freePortStackOptions, startTestStack, type TestStack } from '../helpers/test-stack.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secrets-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LOCAL_SECRETS_FILE checked at start', () => {
  it('a missing file stops the stack, naming the file and the read error', async () => {
    const file = join(dir, 'absent.json');

    const starting = startLocalStack(freePortStackOptions({ secretsFile: file }));

    await expect(starting).rejects.toBeInstanceOf(SecretsFileError);
    await expect(starting).rejects.toThrow(
      `secrets file ${file} (LOCAL_SECRETS_FILE): cannot read it (ENOENT)`,
    );
  });

  it('a secret that is not an object stops the stack, naming the reference', async () => {
    const file = join(dir, 'flat.json');
    await writeFile(file, JSON.stringify({ 'whatsapp-credentials/x': 'just-a-token' }));

    await expect(startLocalStack(freePortStackOptions({ secretsFile: file }))).rejects.toThrow(
      `secrets file ${file} (LOCAL_SECRETS_FILE): secret "whatsapp-credentials/x" must be a JSON object`,
    );
  });

  it('npm start with malformed JSON exits 1 with the file name and the parse error, never "ready"', async () => {
    const file = join(dir, 'malformed.json');
    await writeFile(file, '{ "whatsapp-credentials/x": { "auth_token": "t", } }');

    const failure = await spawnNpmStart({ LOCAL_BASE_PORT: '0', LOCAL_SECRETS_FILE: file }).then(
      async (s) => {
        await s.stop();
        return 'started';
      },
      (error: Error) => error.message,
    );

    expect(failure).toContain('exited with 1');
    expect(failure).toMatch(
      new RegExp(
        `local stack failed to start: secrets file ${file} \\(LOCAL_SECRETS_FILE\\): not valid JSON \\(.+\\)`,
      ),
    );
    expect(failure).not.toContain('ready');
  }, 30_000);
});

describe('LOCAL_SECRETS_FILE while the stack runs', () => {
  let t: TestStack;
  let file: string;
  const send = (authToken: string) =>
    postTwilioWebhook({
      url: t.url('/whatsapp'),
      authToken,
      params: inboundParams({
        From: `whatsapp:${DEMO.aiSender}`,
        To: DEMO.whatsappNumber,
        AccountSid: DEMO.accountSid,
      }),
    });
  async function setToken(token: string): Promise<void> {
    const all = JSON.parse(await readFile(file, 'utf8'));
    all[DEMO.credentials.whatsapp] = { account_sid: DEMO.accountSid, auth_token: token };
    await writeFile(file, JSON.stringify(all));
  }

  beforeAll(async () => {
    file = join(dir, 'running.json');
    await writeFile(file, await readFile(DEMO_SECRETS_FILE, 'utf8'));
    t = await startTestStack({ secretsFile: file });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is named in the banner', () => {
    expect(banner(t.stack, { seeded: true })).toContain(
      `  secrets   ${file}  (LOCAL_SECRETS_FILE; re-read when it changes)`,
    );
  });

  it('applies an edit to the next webhook: no cache TTL, no clock advance', async () => {
    expect((await send('edited-token-1')).status).toBe(403);

    await setToken('edited-token-1');

    expect((await send('edited-token-1')).status).toBe(200);
    expect((await send(DEMO.authToken)).status).toBe(403);
    await t.drain('whatsappReplies');
  });

  it('keeps the last good secrets when an edit breaks the file, and logs the file and the error', async () => {
    await setToken('edited-token-22');
    expect((await send('edited-token-22')).status).toBe(200);

    await writeFile(file, '{ broken');

    expect((await send('edited-token-22')).status).toBe(200);
    const logged = t.logger.lines.filter((line) => line.level === 'error').map((line) => line.message);
    expect(logged).toContainEqual(
      expect.stringContaining(`secrets file ${file} (LOCAL_SECRETS_FILE): not valid JSON`),
    );
    await t.drain('whatsappReplies');
  });
});
