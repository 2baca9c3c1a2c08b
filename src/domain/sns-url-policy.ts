/** AWS's own SNS endpoints (commercial and China partitions); the local stack overrides it with its cert server. */
export const DEFAULT_SNS_URL_PATTERN = '^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/';

/** Rejects patterns that could match a host other than the intended one, or backtrack on attacker input. */
export function compileSnsUrlPattern(source: string): RegExp {
  if (!source.startsWith('^')) throw new Error('SNS_URL_PATTERN must be anchored with ^');
  // A nested quantifier such as (a+)+ is the shape of catastrophic backtracking; an operator never needs one here.
  if (/\)[*+?{]/.test(source) && /[*+]\)/.test(source)) {
    throw new Error('SNS_URL_PATTERN must not nest quantifiers');
  }
  return new RegExp(source);
}

/**
 * The URL SNS may be fetched from (SigningCertURL, SubscribeURL), or undefined. The URL is parsed first and the
 * pattern tested against its normalised form, which is also what the caller must fetch: a raw string that merely
 * looks right (`https://sns.us-east-1.amazonaws.com@evil.example/`, a backslash, a trailing-dot host) is judged as
 * the fetcher would see it. The match must reach past the whole origin, so a loose pattern like `^https://sns\.`
 * cannot let `https://sns.evil.example/` through.
 */
export function allowedSnsUrl(raw: string, pattern: RegExp): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  if (url.hostname.endsWith('.')) return undefined;
  const href = url.href;
  const match = pattern.exec(href);
  if (match?.index !== 0 || match[0].length <= url.origin.length) return undefined;
  return href;
}

/** `SES_TOPIC_ARNS`: exact, case-sensitive ARNs (ARNs are case-sensitive). */
export function isAllowedTopic(topicArn: string, allowedTopicArns: readonly string[]): boolean {
  return allowedTopicArns.includes(topicArn);
}
