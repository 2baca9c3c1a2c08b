import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Dependencies } from '../app/ports.js';
import { processWebhook } from '../app/process-webhook.js';
import type { ProviderFrontEnd } from '../app/providers/front-end.js';
import { frontEndFor } from '../app/providers/provider-registry.js';
import type { WebhookRequest, WebhookResponse } from '../app/webhook-request.js';
import { GATEWAY_RESPONSES } from '../resources.js';
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
      const request = route && toWebhookRequest(event, route, options.webhookBaseUrl, receivedAt);
      const frontEnd = request && frontEndFor(request);
      if (!request || !frontEnd) {
        response = NOT_FOUND;
      } else {
        response = report(event, options, await handle(request, await frontEnd, deps, options.deadlineMs));
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
  request: WebhookRequest,
  frontEnd: ProviderFrontEnd,
  deps: Dependencies,
  deadlineMs: number | undefined,
): Promise<OutcomeReport> {
  const work = () => processWebhook(request, frontEnd, deps);
  const outcomes = await (deadlineMs ? deps.deadline.run(AbortSignal.timeout(deadlineMs), work) : work());
  const elapsedMs = deps.clock.now().getTime() - request.receivedAt.getTime();
  return outcomeResponse(outcomes, frontEnd.provider, deps.metrics, elapsedMs);
}

function report(
  event: APIGatewayProxyEvent,
  options: HandlerOptions,
  outcome: OutcomeReport,
): WebhookResponse {
  options.observe?.(event.requestContext?.requestId ?? '', outcome.observed);
  return outcome.response;
}
