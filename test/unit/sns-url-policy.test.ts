import { describe, expect, it } from 'vitest';
import {
  allowedSnsUrl,
  compileSnsUrlPattern,
  DEFAULT_SNS_URL_PATTERN,
  isAllowedTopic,
} from '../../src/domain/sns-url-policy.js';

const pattern = compileSnsUrlPattern(DEFAULT_SNS_URL_PATTERN);

describe('allowedSnsUrl with the default SNS_URL_PATTERN', () => {
  it.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
    'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
    'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:1:t&Token=abc',
  ])('accepts %s', (url) => {
    expect(allowedSnsUrl(url, pattern)).toBe(url);
  });

  it.each([
    ['a look-alike host suffix', 'https://sns.us-east-1.amazonaws.com.evil.com/cert.pem'],
    ['userinfo before an evil host', 'https://sns.x.amazonaws.com@evil.example/cert.pem'],
    ['userinfo with a password', 'https://sns.x.amazonaws.com:pw@evil.example/cert.pem'],
    ['plain http', 'http://sns.us-east-1.amazonaws.com/cert.pem'],
    ['another AWS service', 'https://s3.us-east-1.amazonaws.com/cert.pem'],
    ['a sub-domain trick', 'https://evil.com/https://sns.us-east-1.amazonaws.com/'],
    ['a backslash turning the host into a path', 'https://evil.example\\@sns.us-east-1.amazonaws.com/'],
    ['a trailing-dot host', 'https://sns.us-east-1.amazonaws.com./cert.pem'],
    ['upper-case letters only in the raw string', 'HTTPS://SNS.US-EAST-1.AMAZONAWS.COM.EVIL.COM/'],
    ['a non-default port', 'https://sns.us-east-1.amazonaws.com:8443/cert.pem'],
    ['not a URL', 'sns.us-east-1.amazonaws.com/cert.pem'],
    ['a data URL', 'data:text/plain,https://sns.us-east-1.amazonaws.com/'],
  ])('rejects %s', (_label, url) => {
    expect(allowedSnsUrl(url, pattern)).toBeUndefined();
  });

  it('judges the normalised URL, which is what the fetcher then uses', () => {
    // The URL parser lower-cases the host; the result is the string to fetch.
    expect(allowedSnsUrl('https://SNS.us-east-1.amazonaws.com/a.pem', pattern)).toBe(
      'https://sns.us-east-1.amazonaws.com/a.pem',
    );
  });

  it('a pattern too loose to pin the host still cannot admit another origin', () => {
    const loose = compileSnsUrlPattern('^https://sns\\.');
    expect(allowedSnsUrl('https://sns.evil.example/cert.pem', loose)).toBeUndefined();
  });
});

describe('compileSnsUrlPattern', () => {
  it('refuses an unanchored pattern', () => {
    expect(() => compileSnsUrlPattern('https://sns\\.')).toThrow(/anchored/);
  });

  it('refuses a nested quantifier', () => {
    expect(() => compileSnsUrlPattern('^https://(a+)+/')).toThrow(/nest/);
  });
});

describe('isAllowedTopic', () => {
  const allowed = ['arn:aws:sns:us-east-1:123456789012:ses-inbound'];
  it('accepts a configured ARN exactly', () => {
    expect(isAllowedTopic('arn:aws:sns:us-east-1:123456789012:ses-inbound', allowed)).toBe(true);
  });
  it.each([
    'arn:aws:sns:us-east-1:123456789012:SES-INBOUND',
    'arn:aws:sns:us-east-1:999999999999:ses-inbound',
    'arn:aws:sns:us-east-1:123456789012:ses-inbound ',
    '',
  ])('rejects %j', (arn) => {
    expect(isAllowedTopic(arn, allowed)).toBe(false);
  });
});
