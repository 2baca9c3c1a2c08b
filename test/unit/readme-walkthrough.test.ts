import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { banner } from '../../src/local/banner.js';
import { DEMO_SECRETS_FILE, type LocalStack } from '../../src/local/local-stack.js';
import { QUEUES } from '../../src/resources.js';
import { documentedText, readmeCommands } from '../helpers/readme-commands.js';

/** What `npm start` prints on the default ports, in memory (only the fields the banner reads). */
function defaultStack(): LocalStack {
  const queueUrls = Object.fromEntries(
    Object.entries(QUEUES).map(([key, queue]) => [key, `http://127.0.0.1:9324/123456789012/${queue.name}`]),
  );
  return {
    gatewayUrl: 'http://127.0.0.1:3000',
    dynamodbEndpoint: 'http://127.0.0.1:8000',
    sqsEndpoint: 'http://127.0.0.1:9324',
    s3Endpoint: 'http://127.0.0.1:4569',
    ses: { sesv2Endpoint: 'http://127.0.0.1:8005' },
    config: { attachmentsBucket: 'replies-engine-attachments' },
    dynamodbDataDir: undefined,
    secrets: { path: DEMO_SECRETS_FILE },
    queueUrls,
  } as unknown as LocalStack;
}

describe("README's first hour", () => {
  it('quotes the banner exactly (every line but the fresh curl signature)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const quoted = readme.slice(readme.indexOf('## The first hour'));

    const lines = banner(defaultStack(), { seeded: true })
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('curl '));

    expect(lines.length).toBeGreaterThan(6);
    for (const line of lines) expect(quoted).toContain(`   ${line}\n`);
  });

  it('prints the CLI so that it can never fetch a package from a registry (an npm script, never a bare npx)', () => {
    const printed = [documentedText(), banner(defaultStack(), { seeded: true })].join('\n');

    expect(printed).not.toMatch(/npx (?!--no-install )replies-webhooks/);
    expect(printed).toContain('npm run replies-webhooks -- ');
  });

  it('has the walkthrough commands test/e2e/new-user.test.ts runs, in the order a newcomer meets them', () => {
    const commands = readmeCommands();

    expect(commands[0]).toBe('npm run replies-webhooks -- send whatsapp --from +447700900123 --body hi');
    expect(commands).toContain('npm run consume -- --once');
    expect(commands.filter((c) => c.includes('--attach examples/cv.pdf'))).toHaveLength(3);
    expect(commands.length).toBeGreaterThan(12);
  });
});
