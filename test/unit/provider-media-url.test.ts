import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mediaFilename } from '../../src/app/media-filename.js';
import {
  isAllowedMetaMediaUrl,
  isAllowedTwilioMediaRedirect,
  isAllowedTwilioMediaUrl,
  sameSha256,
} from '../../src/domain/provider-media-url.js';

const GRAPH = 'https://graph.facebook.com/v26.0';
const TWILIO = 'https://api.twilio.com';

describe('isAllowedMetaMediaUrl', () => {
  it.each([
    'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3',
    'https://graph.facebook.com/v26.0/123',
    'https://LOOKASIDE.fbsbx.com:443/x',
  ])('allows %s', (url) => expect(isAllowedMetaMediaUrl(url, GRAPH)).toBe(true));

  it.each([
    'http://lookaside.fbsbx.com/x',
    'https://lookaside.fbsbx.com:8443/x',
    'https://lookaside.fbsbx.com.evil.example/x',
    'https://evil.lookaside.fbsbx.com/x',
    'https://user:pw@lookaside.fbsbx.com/x',
    'https://evil.example/?u=https://lookaside.fbsbx.com/',
    'http://graph.facebook.com/v26.0/1',
    'file:///etc/passwd',
    'not a url',
    `https://lookaside.fbsbx.com/${'a'.repeat(5000)}`,
  ])('refuses %s', (url) => expect(isAllowedMetaMediaUrl(url, GRAPH)).toBe(false));

  it('a loopback base (the local stand-in) allows exactly its own origin over http', () => {
    expect(
      isAllowedMetaMediaUrl(
        'http://127.0.0.1:4001/whatsapp_business/attachments/',
        'http://127.0.0.1:4001/v26.0',
      ),
    ).toBe(true);
    expect(isAllowedMetaMediaUrl('http://127.0.0.1:4002/x', 'http://127.0.0.1:4001/v26.0')).toBe(false);
    expect(isAllowedMetaMediaUrl('http://evil.example/x', 'http://evil.example/v26.0')).toBe(false);
  });
});

describe('Twilio media URLs', () => {
  const mediaUrl = `${TWILIO}/2010-04-01/Accounts/AC${'a'.repeat(32)}/Messages/MM${'b'.repeat(32)}/Media/ME${'c'.repeat(32)}`;

  it('MediaUrlN only under the API base, on a media path', () => {
    expect(isAllowedTwilioMediaUrl(mediaUrl, TWILIO)).toBe(true);
    expect(isAllowedTwilioMediaUrl(`${TWILIO}/2010-04-01/Accounts/AC1/Messages.json`, TWILIO)).toBe(false);
    expect(
      isAllowedTwilioMediaUrl(mediaUrl.replace('api.twilio.com', 'api.twilio.com.evil.example'), TWILIO),
    ).toBe(false);
    expect(isAllowedTwilioMediaUrl(mediaUrl.replace('https:', 'http:'), TWILIO)).toBe(false);
  });

  it('redirects only to Twilio’s media hosts (and its S3 bucket path), over https', () => {
    expect(isAllowedTwilioMediaRedirect('https://mms.twiliocdn.com/AC1/abc?Expires=1', TWILIO)).toBe(true);
    expect(
      isAllowedTwilioMediaRedirect('https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC1/x', TWILIO),
    ).toBe(true);
    expect(isAllowedTwilioMediaRedirect('https://s3-external-1.amazonaws.com/evil-bucket/x', TWILIO)).toBe(
      false,
    );
    expect(isAllowedTwilioMediaRedirect('http://mms.twiliocdn.com/x', TWILIO)).toBe(false);
    expect(isAllowedTwilioMediaRedirect('https://mms.twiliocdn.com.evil.example/x', TWILIO)).toBe(false);
    expect(isAllowedTwilioMediaRedirect('https://169.254.169.254/latest/meta-data/', TWILIO)).toBe(false);
  });
});

describe('sameSha256', () => {
  const digest = createHash('sha256').update('cv').digest();
  it('accepts Meta’s base64 (webhooks) and hex (media endpoint) forms of the same digest', () => {
    expect(sameSha256(digest.toString('base64'), digest)).toBe(true);
    expect(sameSha256(digest.toString('hex'), digest)).toBe(true);
    expect(sameSha256(digest.toString('hex').toUpperCase(), digest)).toBe(true);
  });
  it('refuses another digest, a truncated one and garbage', () => {
    const other = createHash('sha256').update('cw').digest();
    expect(sameSha256(other.toString('base64'), digest)).toBe(false);
    expect(sameSha256(digest.toString('hex').slice(0, 62), digest)).toBe(false);
    expect(sameSha256('', digest)).toBe(false);
    expect(sameSha256('not a digest', digest)).toBe(false);
  });
});

describe('mediaFilename', () => {
  it('keeps the sender’s filename without paths or control characters, else names it from the type', () => {
    expect(mediaFilename('CV 2026.pdf', 'document', 'application/pdf')).toBe('CV 2026.pdf');
    expect(mediaFilename('../../etc/passwd', 'document', 'text/plain')).toBe('passwd');
    expect(mediaFilename('a\r\nb.pdf', 'document', 'application/pdf')).toBe('ab.pdf');
    expect(mediaFilename(undefined, 'image', 'image/jpeg')).toBe('image.jpg');
    expect(mediaFilename(undefined, 'audio', 'audio/ogg; codecs=opus')).toBe('audio.ogg');
    expect(mediaFilename('', 'media-0', 'application/x-unknown')).toBe('media-0');
  });
});
