import { sendHttp } from '../kit/http-request.js';
import { isLocalUrl } from './cli-error.js';

export interface LocalVerdict {
  readonly verdict: string;
  readonly label: string;
}

/**
 * What the local stack's inspector recorded for a request (`queued → WhatsAppRepliesQueue`…); undefined when the
 * target is not a local stack, has no inspector, or does not answer quickly. Deployed APIs are never asked.
 */
export async function localVerdict(
  webhookUrl: string,
  requestId: string | undefined,
): Promise<LocalVerdict | undefined> {
  if (!requestId || !isLocalUrl(webhookUrl)) return undefined;
  try {
    const { origin } = new URL(webhookUrl);
    const response = await sendHttp({
      url: `${origin}/_local/api/exchanges/${encodeURIComponent(requestId)}`,
      method: 'GET',
      headers: [['Accept', 'application/json']],
      connectTimeoutMs: 1000,
      readTimeoutMs: 2000,
    });
    if (response.status !== 200) return undefined;
    const body = JSON.parse(response.body) as { verdict?: unknown; label?: unknown };
    return typeof body.verdict === 'string' && typeof body.label === 'string'
      ? { verdict: body.verdict, label: body.label }
      : undefined;
  } catch {
    return undefined;
  }
}
