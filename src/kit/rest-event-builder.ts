import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BINARY_MEDIA_TYPES, ROUTES } from '../resources.js';

export interface RawHttpRequest {
  readonly method: string;
  /** Path as requested, without query. */
  readonly path: string;
  readonly query?: URLSearchParams;
  /** Raw header pairs as received (case preserved), e.g. node's `req.rawHeaders` paired up. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly sourceIp?: string;
  /** `requestContext.domainName`: the validated host the gateway was addressed by (default: the Host header). */
  readonly domainName?: string;
  readonly stage?: string;
  readonly now?: Date;
}

function isBinary(headers: RawHttpRequest['headers']): boolean {
  const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return BINARY_MEDIA_TYPES.includes(mediaType);
}

/**
 * Builds the REST API (v1) Lambda proxy event API Gateway would send for this request: resource template, headers
 * and multiValueHeaders as sent, query maps, base64 only for BINARY_MEDIA_TYPES, requestContext with stage and
 * path. Used by the local gateway and the tests, so both exercise the real event shape.
 */
export function buildRestEvent(request: RawHttpRequest): APIGatewayProxyEvent {
  const now = request.now ?? new Date();
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.headers) {
    headers[name] = value;
    const values = multiValueHeaders[name] ?? [];
    values.push(value);
    multiValueHeaders[name] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of request.query ?? []) {
    query[name] = value;
    const values = multiQuery[name] ?? [];
    values.push(value);
    multiQuery[name] = values;
  }
  const hasQuery = Object.keys(query).length > 0;
  const binary = isBinary(request.headers);
  const route = ROUTES.find((r) => r.path === request.path);
  const stage = request.stage ?? 'local';
  const host = request.domainName ?? headers.Host ?? headers.host ?? '127.0.0.1';
  const requestId = randomUUID();
  return {
    resource: route?.path ?? request.path,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: request.body.length === 0 ? null : request.body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      authorizer: null,
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      extendedRequestId: requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp ?? '127.0.0.1',
        user: null,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        userArn: null,
      },
      // Served at the root locally, like a custom domain with an empty base path: the public path has no stage.
      path: request.path,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: route ? route.path.slice(1) : 'unknown',
      resourcePath: route?.path ?? request.path,
      stage,
    },
  };
}
