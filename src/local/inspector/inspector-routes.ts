import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalRoute } from '../gateway.js';
import { downloadAttachment } from './attachment-view.js';
import type { ExchangeLog } from './exchange-log.js';
import type { CompanyLookup } from './exchange-parties.js';
import { detailView, summaryView } from './exchange-view.js';
import { InspectorError, type InspectorStack } from './inspector-stack.js';
import { outboxView } from './outbox-view.js';
import { queueView } from './queue-view.js';
import { type EditOptions, replayEdited, replayOriginal } from './replay.js';
import { parseTestMessage, sendTestMessage } from './send-test-message.js';
import { signingSecretView } from './signing-secret-view.js';
import { stackConfigView } from './stack-config-view.js';

/** The page may talk to this origin only: no CDN, no other fetches, inline script and style. */
const PAGE_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * POSTs must be JSON: a cross-site HTML form cannot send that without a CORS preflight, which `/_local/` never
 * answers, so another web page cannot make the local stack send or replay webhooks.
 */
function jsonBody(req: IncomingMessage, body: Buffer): unknown {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
    throw new InspectorError(415, 'send application/json');
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new InspectorError(400, 'invalid JSON');
  }
}

function editOptions(input: unknown): EditOptions {
  const value = (input ?? {}) as Record<string, unknown>;
  const fields = value.fields ?? {};
  if (
    typeof fields !== 'object' ||
    Array.isArray(fields) ||
    Object.values(fields).some((v) => typeof v !== 'string')
  )
    throw new InspectorError(400, 'fields must be an object of strings');
  if (value.signature !== 'resign' && value.signature !== 'original')
    throw new InspectorError(400, 'signature must be "resign" or "original"');
  return {
    fields: fields as Record<string, string>,
    signature: value.signature,
    freshId: value.freshId === true,
  };
}

async function afterReplay(
  log: ExchangeLog,
  result: { requestId: string | undefined; status: number },
  lookup: CompanyLookup,
) {
  const entry = result.requestId ? log.get(result.requestId) : undefined;
  return { ...result, exchange: entry ? await summaryView(entry, lookup) : null };
}

/** The registry (the handler's cached one) names the company of an address; a failure just leaves it blank. */
function companyLookup(stack: InspectorStack): CompanyLookup {
  return async (address) => (await stack.deps.registry.find(address))?.company_name;
}

/** `/_local/` (the page) and `/_local/api/…` (its JSON API); false for any other path so the gateway can 404. */
/** Path segments, percent-decoded; a malformed escape (`%E0%A4%A`) is the client's mistake: 400, not 502. */
function pathParts(rest: string): string[] {
  try {
    return rest.split('/').map(decodeURIComponent);
  } catch {
    throw new InspectorError(400, 'malformed URI');
  }
}

export function inspectorRoutes(
  log: ExchangeLog,
  page: string,
  dlqUrls: Map<string, string>,
): (stack: InspectorStack) => LocalRoute {
  return (stack) => async (req, res, url, body) => {
    const path = url.pathname;
    const lookup = companyLookup(stack);
    const summary = (entry: Parameters<typeof summaryView>[0]) => summaryView(entry, lookup);
    const method = req.method ?? 'GET';
    try {
      if (path === '/_local/' || path === '/_local/inspector') {
        if (method !== 'GET') throw new InspectorError(405, 'GET only');
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': PAGE_POLICY,
          'Cache-Control': 'no-store',
        });
        res.end(page);
        return true;
      }
      if (!path.startsWith('/_local/api/')) return false;
      const parts = pathParts(path.slice('/_local/api/'.length));
      const [resource, id, action] = parts;
      if (method === 'GET' && resource === 'exchanges' && parts.length === 1) {
        const since = Number(url.searchParams.get('since') ?? Number.NaN);
        if (since === log.version) json(res, 200, { version: log.version, unchanged: true });
        else json(res, 200, { version: log.version, exchanges: await Promise.all(log.list().map(summary)) });
        return true;
      }
      if (resource === 'exchanges' && id) {
        const entry = log.get(id);
        if (!entry)
          throw new InspectorError(404, `no exchange ${id} (the inspector keeps the last ${log.capacity})`);
        if (method === 'GET' && parts.length === 2) json(res, 200, await detailView(entry, lookup));
        else if (method === 'GET' && action === 'attachments' && parts.length === 4)
          await downloadAttachment(stack, entry, Number(parts[3]), res);
        else if (method === 'POST' && action === 'replay' && parts.length === 3) {
          jsonBody(req, body);
          json(res, 200, await afterReplay(log, await replayOriginal(stack, entry, log), lookup));
        } else if (method === 'POST' && action === 'replay-edited' && parts.length === 3) {
          const options = editOptions(jsonBody(req, body));
          json(res, 200, await afterReplay(log, await replayEdited(stack, entry, options, log), lookup));
        } else throw new InspectorError(404, 'unknown exchange action');
        return true;
      }
      if (method === 'POST' && resource === 'send' && parts.length === 1) {
        const message = parseTestMessage(jsonBody(req, body));
        json(res, 200, await afterReplay(log, await sendTestMessage(stack, message), lookup));
        return true;
      }
      if (method === 'GET' && resource === 'queues' && parts.length === 1) {
        const contexts = Number(url.searchParams.get('contexts') ?? 0);
        json(res, 200, {
          queues: await queueView(stack, log, dlqUrls, {
            contexts: Number.isInteger(contexts) ? Math.min(Math.max(contexts, 0), log.capacity) : 0,
            unmasked: url.searchParams.get('unmasked') === 'true',
          }),
        });
        return true;
      }
      if (method === 'GET' && resource === 'signing-secret' && parts.length === 1) {
        json(res, 200, await signingSecretView(stack, stack.secrets, req, url.searchParams.get('address')));
        return true;
      }
      if (method === 'GET' && resource === 'config' && parts.length === 1) {
        json(res, 200, stackConfigView(stack));
        return true;
      }
      if (method === 'GET' && resource === 'outbox' && parts.length === 1) {
        json(res, 200, {
          entries: await outboxView(stack, url.searchParams.get('unmasked') === 'true'),
        });
        return true;
      }
      throw new InspectorError(404, `no inspector API at ${method} ${path}`);
    } catch (error) {
      if (error instanceof InspectorError) json(res, error.status, { message: error.message });
      else
        json(res, 502, { message: `inspector: ${error instanceof Error ? error.message : String(error)}` });
      return true;
    }
  };
}
