import { describe, expect, it } from 'vitest';
import { acmeRegistryAddArgs, useStageTables } from '../helpers/stage-tables.js';

const STAGE = 'prod';
const { cli } = useStageTables(STAGE);

const add = (address: string, ...extra: string[]) =>
  cli(...acmeRegistryAddArgs(STAGE, address, 'email-credentials/acme/hiring/mailgun', ...extra, '--json'));

describe('registry add --mailgun-api-host', () => {
  it("records an EU tenant's Mailgun API host", async () => {
    const added = await add('replies@mg.eu.example.com', '--mailgun-api-host', 'api.eu.mailgun.net');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).added).toMatchObject({ mailgun_api_host: 'api.eu.mailgun.net' });
  });

  it('refuses any other host, and SES entries', async () => {
    const other = await add('replies@mg.example.com', '--mailgun-api-host', 'mailgun.attacker.example');
    expect(other.code).toBe(2);
    const ses = await add(
      'replies@ses.example.com',
      '--provider',
      'ses',
      '--mailgun-api-host',
      'api.mailgun.net',
    );
    expect(ses.code).toBe(2);
  });
});
