import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocalOptions } from '../../src/local/local-config.js';
import { PortInUseError } from '../../src/local/local-ports.js';
import { startLocalStack } from '../../src/local/local-stack.js';
import { freeBase, freePort, spawnNpmStart, whileNpmStartRuns } from '../helpers/spawn-stack.js';
import { freePortStackOptions } from '../helpers/test-stack.js';

const held: Server[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Another process's listener on `port` (what a second `npm start` runs into). */
async function occupy(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  held.push(server);
}

describe('LOCAL_BASE_PORT moves every port', () => {
  it('derives all five ports from the base; a port variable of its own still wins', () => {
    const options = loadLocalOptions({ LOCAL_BASE_PORT: '4400', LOCAL_S3_PORT: '5999' });

    expect([options.port, options.dynamodbPort, options.sqsPort, options.s3Port, options.sesPort]).toEqual([
      4400, 4401, 4402, 5999, 4404,
    ]);
    expect(options.portSettings).toMatchObject({ sqs: 'LOCAL_BASE_PORT+2', s3: 'LOCAL_S3_PORT' });
  });

  it('npm start on a base port prints every URL on it and a CLI line that finds it', async () => {
    const base = await freeBase();
    await whileNpmStartRuns({ LOCAL_BASE_PORT: String(base) }, (stack) => {
      const output = stack.output();
      for (const i of [0, 1, 2, 3, 4]) expect(output).toContain(`http://127.0.0.1:${base + i}`);
      expect(output).toContain(`--url http://127.0.0.1:${base}`);
    });
  }, 40_000);
});

describe('a port already in use', () => {
  it('npm start exits 1 with one line naming the port, its variable and another stack — no stack trace', async () => {
    const base = await freeBase();
    await occupy(base + 2);

    const started = spawnNpmStart({ LOCAL_BASE_PORT: String(base) });

    const error = (await started.then(
      async (s) => {
        await s.stop();
        throw new Error('started on a taken port');
      },
      (e: unknown) => e as Error,
    )) as Error;
    expect(error.message).toContain('exited with 1');
    expect(error.message).toContain(
      `port ${base + 2} (SQS, LOCAL_BASE_PORT+2) is already in use: is another local stack running?`,
    );
    expect(error.message).not.toMatch(/^\s+at /m);
    expect(error.message).not.toContain('EADDRINUSE');
  }, 40_000);

  it('names each taken port with its own variable (the README line with all five)', async () => {
    const [gateway, sqs] = [await freePort(), await freePort()];
    await occupy(gateway);
    await occupy(sqs);

    const starting = startLocalStack(
      freePortStackOptions({ port: gateway, sqsPort: sqs, s3Port: 0, sesPort: 0 }),
    );

    await expect(starting).rejects.toBeInstanceOf(PortInUseError);
    await expect(starting).rejects.toThrow(
      `ports ${gateway} (gateway, PORT), ${sqs} (SQS, LOCAL_SQS_PORT) are already in use: is another local stack running?`,
    );
  });
});
