import { UsageError } from './cli-error.js';

export type RetryClass = '4xx' | '5xx' | 'ct' | 'rt';

/** Twilio's per-URL delivery settings ("connection overrides"), read from the webhook URL's `#fragment`. */
export interface DeliveryPolicy {
  /** `ct`: ms to establish the TCP connection. */
  readonly connectTimeoutMs: number;
  /** `rt`: ms to wait for the first response byte, and between bytes. */
  readonly readTimeoutMs: number;
  /** `tt`: ms for all attempts together, retries included. */
  readonly totalTimeMs: number;
  /** `rc`: retries after the first attempt. */
  readonly retryCount: number;
  /** `rp`: which failures are retried (`all` = every class). */
  readonly retryPolicy: ReadonlySet<RetryClass>;
}

const ALL: readonly RetryClass[] = ['4xx', '5xx', 'ct', 'rt'];

/** Twilio's documented defaults and bounds (Webhooks: Connection Overrides). */
const NUMERIC = {
  ct: { key: 'connectTimeoutMs', min: 100, max: 10_000, fallback: 5_000 },
  rt: { key: 'readTimeoutMs', min: 100, max: 15_000, fallback: 15_000 },
  tt: { key: 'totalTimeMs', min: 100, max: 15_000, fallback: 15_000 },
  rc: { key: 'retryCount', min: 0, max: 5, fallback: 1 },
} as const;

/** Accepted and ignored: they choose Twilio's edge and TLS SNI, which a local simulation has no use for. */
const IGNORED = new Set(['e', 'edge', 'sni']);

export const DEFAULT_POLICY: DeliveryPolicy = {
  connectTimeoutMs: NUMERIC.ct.fallback,
  readTimeoutMs: NUMERIC.rt.fallback,
  totalTimeMs: NUMERIC.tt.fallback,
  retryCount: NUMERIC.rc.fallback,
  retryPolicy: new Set<RetryClass>(['ct']),
};

function retryPolicy(value: string): Set<RetryClass> {
  const classes = new Set<RetryClass>();
  for (const part of value.split(',').map((p) => p.trim().toLowerCase())) {
    if (part === 'all') for (const c of ALL) classes.add(c);
    else if ((ALL as readonly string[]).includes(part)) classes.add(part as RetryClass);
    else
      throw new UsageError(
        `rp: unknown retry policy "${part}" (use 4xx, 5xx, ct, rt or all, comma-separated)`,
      );
  }
  return classes;
}

/**
 * Splits `https://host/whatsapp#rc=3&rp=4xx,5xx` into the URL Twilio requests (and signs: no fragment) and the
 * delivery policy. Values out of Twilio's bounds are errors, as Twilio rejects them too.
 *
 * @example
 * parseConnectionOverrides('http://127.0.0.1:3000/whatsapp#rc=2&rp=all&rt=2000').policy.retryCount; // 2
 */
export function parseConnectionOverrides(webhookUrl: string): { url: string; policy: DeliveryPolicy } {
  const hashAt = webhookUrl.indexOf('#');
  if (hashAt === -1) return { url: webhookUrl, policy: DEFAULT_POLICY };
  const url = webhookUrl.slice(0, hashAt);
  const policy: { -readonly [K in keyof DeliveryPolicy]: DeliveryPolicy[K] } = { ...DEFAULT_POLICY };
  for (const pair of webhookUrl.slice(hashAt + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = (eq === -1 ? pair : pair.slice(0, eq)).toLowerCase();
    const value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1));
    if (IGNORED.has(name)) continue;
    if (name === 'rp') {
      policy.retryPolicy = retryPolicy(value);
      continue;
    }
    const rule = NUMERIC[name as keyof typeof NUMERIC];
    if (!rule)
      throw new UsageError(`unknown connection override "${name}" (known: ct, rt, tt, rc, rp, e, sni)`);
    const number = Number(value);
    if (value === '' || !Number.isInteger(number) || number < rule.min || number > rule.max)
      throw new UsageError(`${name} must be an integer from ${rule.min} to ${rule.max} (got "${value}")`);
    policy[rule.key] = number;
  }
  return { url, policy };
}

export function describePolicy(policy: DeliveryPolicy): string {
  return (
    `rc=${policy.retryCount} rp=${[...policy.retryPolicy].join(',') || 'none'} ` +
    `ct=${policy.connectTimeoutMs} rt=${policy.readTimeoutMs} tt=${policy.totalTimeMs}`
  );
}
