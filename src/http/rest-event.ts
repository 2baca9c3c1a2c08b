import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { WebhookRequest, WebhookResponse } from '../app/webhook-request.js';
import { ROUTES, type RouteDefinition } from '../resources.js';

/** Header names lower-cased, first value kept: API Gateway passes them with the case the caller sent. */
function lowerCaseHeaders(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    const first = values?.[0];
    if (first !== undefined && !(name.toLowerCase() in headers)) headers[name.toLowerCase()] = first;
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined && !(name.toLowerCase() in headers)) headers[name.toLowerCase()] = value;
  }
  return headers;
}

export function routeOf(event: Pick<APIGatewayProxyEvent, 'resource' | 'path'>): RouteDefinition | undefined {
  return (
    ROUTES.find((route) => route.path === event.resource) ??
    ROUTES.find((route) => event.path?.endsWith(route.path))
  );
}

function queryString(event: APIGatewayProxyEvent): string {
  const params = event.multiValueQueryStringParameters ?? {};
  const parts: string[] = [];
  for (const [name, values] of Object.entries(params)) {
    for (const value of values ?? []) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function firstQueryValues(event: APIGatewayProxyEvent): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    const first = values?.[0];
    if (first !== undefined) query[name] = first;
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {}))
    if (value !== undefined && !(name in query)) query[name] = value;
  return query;
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * The URL the provider called, for Twilio signatures, from trusted parts only. A configured canonical base URL
 * wins (custom domains and base path mappings make the event's paths differ from the public one); otherwise API
 * Gateway's own `requestContext.domainName` + `requestContext.path`, over HTTPS (the only scheme API Gateway
 * serves). Client headers (`Host`, `X-Forwarded-Proto`) never enter it: a value like
 * `crm.example.net/twilio/inbound#` would make a signature made for another URL of the same account verify.
 * Only the local gateway, which validates the host it puts there, serves plain HTTP on a loopback name.
 * REST v1 events carry no raw query string, so a query is re-serialised: configure webhook URLs without one.
 */
export function publicUrlOf(
  event: APIGatewayProxyEvent,
  route: RouteDefinition,
  baseUrl: string | undefined,
): string {
  const query = queryString(event);
  if (baseUrl) return `${baseUrl}${route.path}${query}`;
  const host = event.requestContext.domainName || 'localhost';
  const scheme = LOOPBACK.test(host) ? 'http' : 'https';
  const path = event.requestContext.path || event.path;
  return `${scheme}://${host}${path}${query}`;
}

export function toWebhookRequest(
  event: APIGatewayProxyEvent,
  route: RouteDefinition,
  baseUrl: string | undefined,
  receivedAt: Date,
): WebhookRequest {
  const raw = event.body ?? '';
  return {
    route,
    channel: route.channel,
    method: event.httpMethod,
    query: firstQueryValues(event),
    headers: lowerCaseHeaders(event),
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
    publicUrl: publicUrlOf(event, route, baseUrl),
    requestId: event.requestContext.requestId,
    receivedAt,
  };
}

export function toProxyResult(response: WebhookResponse): APIGatewayProxyResult {
  return {
    statusCode: response.statusCode,
    headers: { ...response.headers },
    body: response.body,
    isBase64Encoded: false,
  };
}
