import { describe, expect, it } from 'vitest';
import {
  isAllowedMailgunUrl,
  isAttachmentOf,
  mailgunStorageUrlKind,
} from '../../src/domain/mailgun-storage-url.js';

const PROD = 'https://api.mailgun.net';
const EU = 'https://api.eu.mailgun.net';
const LOCAL = 'http://127.0.0.1:3000/_local/mailgun';

describe('isAllowedMailgunUrl: where the Mailgun API key may be sent', () => {
  it.each([
    ['the API host itself', 'https://api.mailgun.net/v3/domains/mg.example.com/messages/KEY', PROD],
    [
      'a storage subdomain',
      'https://storage-us-east4.api.mailgun.net/v3/domains/d/messages/K/attachments/0',
      PROD,
    ],
    [
      'an EU storage subdomain',
      'https://storage-europe-west1.api.eu.mailgun.net/v3/domains/d/messages/K',
      EU,
    ],
    ['explicit :443', 'https://api.mailgun.net:443/v3/domains/d/messages/K', PROD],
    ['host case differs', 'https://STORAGE.API.MAILGUN.NET/v3/domains/d/messages/K', PROD],
    ['the local stack', 'http://127.0.0.1:3000/_local/mailgun/v3/domains/d/messages/K', LOCAL],
  ])('allows %s', (_name, url, base) => {
    expect(isAllowedMailgunUrl(url, base)).toBe(true);
  });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', PROD],
    ['the metadata address over https', 'https://169.254.169.254/latest/meta-data/', PROD],
    ['plain http to Mailgun', 'http://storage.api.mailgun.net/v3/x', PROD],
    ['a look-alike suffix', 'https://api.mailgun.net.evil.example/v3/x', PROD],
    ['a look-alike prefix', 'https://evilapi.mailgun.net/v3/x', PROD],
    ['the parent domain', 'https://mailgun.net/v3/x', PROD],
    ['another region from the US base', 'https://api.eu.mailgun.net/v3/x', PROD],
    ['user-info before the host', 'https://api.mailgun.net@evil.example/v3/x', PROD],
    ['credentials in the URL', 'https://user:pass@api.mailgun.net/v3/x', PROD],
    ['another port', 'https://api.mailgun.net:8443/v3/x', PROD],
    ['a non-http scheme', 'file:///etc/passwd', PROD],
    ['garbage', 'not a url', PROD],
    ['an overlong URL', `https://api.mailgun.net/${'a'.repeat(2100)}`, PROD],
    ['another loopback port locally', 'http://127.0.0.1:9324/', LOCAL],
    ['localhost when 127.0.0.1 is configured', 'http://localhost:3000/_local/mailgun/v3/x', LOCAL],
    ['the metadata address locally', 'http://169.254.169.254/latest/meta-data/', LOCAL],
    ['a loopback URL with a public base', 'http://127.0.0.1:3000/v3/x', PROD],
  ])('refuses %s', (_name, url, base) => {
    expect(isAllowedMailgunUrl(url, base)).toBe(false);
  });

  it.each([
    ['the account’s domains API', 'https://api.mailgun.net/v3/domains'],
    ['another API of the account', 'https://api.mailgun.net/v3/mg.example.com/events'],
    ['the sending API', 'https://storage-us-east4.api.mailgun.net/v3/mg.example.com/messages'],
    ['a path climbing out', 'https://api.mailgun.net/v3/domains/d/messages/K/../../../../v4/keys'],
    ['an encoded slash in the key', 'https://api.mailgun.net/v3/domains/d/messages/K%2F..%2Fx'],
    ['a query string', 'https://api.mailgun.net/v3/domains/d/messages/K?limit=300'],
    ['more after an attachment', 'https://api.mailgun.net/v3/domains/d/messages/K/attachments/0/x'],
  ])('refuses %s: only storage API paths', (_name, url) => {
    expect(mailgunStorageUrlKind(url, PROD)).toBeUndefined();
  });

  it('names what a storage URL is, with either region listed as a base', () => {
    const bases = [PROD, EU];
    expect(
      mailgunStorageUrlKind('https://storage-us-east4.api.mailgun.net/v3/domains/d/messages/K', bases),
    ).toBe('message');
    expect(
      mailgunStorageUrlKind(
        'https://storage-europe-west1.api.eu.mailgun.net/v3/domains/d/messages/K/attachments/2',
        bases,
      ),
    ).toBe('attachment');
  });

  it('an attachment belongs to the notification’s own message only', () => {
    const message = 'https://storage-us-east4.api.mailgun.net/v3/domains/d/messages/K';
    expect(isAttachmentOf(`${message}/attachments/0`, message)).toBe(true);
    expect(
      isAttachmentOf(
        'https://storage-us-east4.api.mailgun.net/v3/domains/d/messages/OTHER/attachments/0',
        message,
      ),
    ).toBe(false);
    expect(isAttachmentOf(`${message}X/attachments/0`, message)).toBe(false);
    expect(isAttachmentOf(message, message)).toBe(false);
    expect(
      isAttachmentOf(
        'https://storage-us-east1.api.mailgun.net/v3/domains/d/messages/K/attachments/0',
        message,
      ),
    ).toBe(false);
  });

  it('refuses everything when the configured base is not https and not loopback', () => {
    expect(isAllowedMailgunUrl('http://mailgun.internal/v3/x', 'http://mailgun.internal')).toBe(false);
    expect(isAllowedMailgunUrl('https://mailgun.internal/v3/x', 'http://mailgun.internal')).toBe(false);
  });
});
