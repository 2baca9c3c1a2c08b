import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Dependencies } from '../app/ports.js';
import { processSnsEmail } from '../app/process-sns-email.js';
import { processWebhook } from '../app/process-webhook.js';
import { protocolFor } from '../app/protocol-for.js';
import { runWithDeadline } from '../app/request-deadline.js';
import type { WebhookResponse } from '../app/webhook-request.js';
import { GATEWAY_RESPONSES, SES } from '../resources.js';
import { errorResponse } from './error-response.js';
import type { OutcomeObserver } from './observed-outcome.js';
import { type OutcomeReport, outcomeResponse } from './outcome-response.js';
import { routeOf, toProxyResult, toWebhookRequest } from './rest-event.js';

export interface HandlerOptions {
  readonly webhookBaseUrl: string | undefined;
  readonly corsAllowOrigin: string;
  /** Per-webhook budget for outbound calls (`WEBHOOK_DEADLINE_MS`); none when absent. */
  readonly deadlineMs?: number;
  /** Local tooling only (the inspector, the bench): told what became of each webhook. */
  readonly observe?: OutcomeObserver;
}

export type WebhookHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const NOT_FOUND: WebhookResponse = {
  statusCode: GATEWAY_RESPONSES.missingAuthenticationToken.statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ message: GATEWAY_RESPONSES.missingAuthenticationToken.message }),
};

/**
 * The translator: REST v1 proxy event → neutral request (route resolved once, here) → use case → Outcome or error
 * → provider response, metrics and observer record → proxy result. The Lambda root and the local gateway both
 * call what this returns.
 *
 * @example
 * const handler = createHandler(deps, { webhookBaseUrl: undefined, corsAllowOrigin: '*', deadlineMs: 7_500 });
 * const result = await handler(event); // { statusCode: 200, body: '<?xml …><Response></Response>' }
 */
export function createHandler(deps: Dependencies, options: HandlerOptions): WebhookHandler {
  return async (event) => {
    const receivedAt = deps.clock.now();
    let response: WebhookResponse;
    try {
      const route = routeOf(event);
      if (!route || event.httpMethod !== 'POST') {
        response = NOT_FOUND;
      } else {
        const request = toWebhookRequest(event, route, options.webhookBaseUrl, receivedAt);
        response = report(event, options, await handle(request, deps, options.deadlineMs));
      }
    } catch (error) {
      response = report(event, options, errorResponse(error, deps.logger, deps.metrics));
    } finally {
      deps.metrics.flush();
    }
    // With proxy integration the function, not API Gateway, must add CORS headers to real responses.
    return toProxyResult({
      ...response,
      headers: { ...response.headers, 'Access-Control-Allow-Origin': options.corsAllowOrigin },
    });
  };
}

async function handle(
  request: Parameters<typeof processWebhook>[0],
  deps: Dependencies,
  deadlineMs: number | undefined,
): Promise<OutcomeReport> {
  // Amazon SNS names its delivery type in a header: with it, `/email` is the SES branch.
  const sns = request.route.channel === 'email' && request.headers[SES.snsMessageTypeHeader] !== undefined;
  const protocol = sns ? undefined : protocolFor(request);
  const work = () => (protocol ? processWebhook(request, protocol, deps) : processSnsEmail(request, deps));
  const outcome = await (deadlineMs ? runWithDeadline(AbortSignal.timeout(deadlineMs), work) : work());
  const elapsedMs = deps.clock.now().getTime() - request.receivedAt.getTime();
  return outcomeResponse(outcome, protocol?.provider ?? 'ses', deps.metrics, elapsedMs);
}

function report(
  event: APIGatewayProxyEvent,
  options: HandlerOptions,
  outcome: OutcomeReport,
): WebhookResponse {
  options.observe?.(event.requestContext?.requestId ?? '', outcome.observed);
  return outcome.response;
}
