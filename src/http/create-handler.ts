import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Dependencies } from '../app/ports.js';
import { processSnsEmail } from '../app/process-sns-email.js';
import { processWebhook } from '../app/process-webhook.js';
import { protocolFor } from '../app/protocol-for.js';
import { runWithDeadline } from '../app/request-deadline.js';
import type { WebhookResponse } from '../app/webhook-request.js';
import { GATEWAY_RESPONSES, SES } from '../resources.js';
import { errorResponse } from './error-response.js';
import { routeOf, toProxyResult, toWebhookRequest } from './rest-event.js';

export interface HandlerOptions {
  readonly webhookBaseUrl: string | undefined;
  readonly corsAllowOrigin: string;
  /** Per-webhook budget for outbound calls (`WEBHOOK_DEADLINE_MS`); none when absent. */
  readonly deadlineMs?: number;
}

export type WebhookHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * The translator: REST v1 proxy event → neutral request → use case → neutral response → proxy result.
 * The Lambda root and the local gateway both call what this returns.
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
        const { statusCode, message } = GATEWAY_RESPONSES.missingAuthenticationToken;
        response = {
          statusCode,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ message }),
        };
      } else {
        const request = toWebhookRequest(event, route, options.webhookBaseUrl, receivedAt);
        // Amazon SNS names its delivery type in a header: with it, `/email` is the SES branch (issue 14).
        const sns = route.channel === 'email' && request.headers[SES.snsMessageTypeHeader] !== undefined;
        const work = () =>
          sns ? processSnsEmail(request, deps) : processWebhook(request, protocolFor(route.channel), deps);
        response = await (options.deadlineMs
          ? runWithDeadline(AbortSignal.timeout(options.deadlineMs), work)
          : work());
      }
    } catch (error) {
      const requestId = event.requestContext?.requestId ?? '';
      const observe = deps.observe;
      response = errorResponse(
        error,
        deps.logger,
        deps.metrics,
        observe && ((outcome) => observe(requestId, outcome)),
      );
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
