import { Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  ContentHandling,
  DomainName,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Resource,
  ResponseType,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  BINARY_MEDIA_TYPES,
  CORS,
  GATEWAY_RESPONSES,
  LIMITS,
  ROUTES,
  type RouteDefinition,
  routeMethods,
} from '../src/resources.js';
import type { StageConfig } from './stage-config.js';

export interface WebhookApiProps {
  readonly config: StageConfig;
  readonly handler: IFunction;
  readonly corsAllowOrigin: string;
  readonly tracing: boolean;
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

/** API Gateway's own template for its default error bodies: `{"message":"<text>"}`, text JSON-escaped. */
const DEFAULT_ERROR_TEMPLATE = '{"message":$context.error.messageString}';

function restApiName(stage: string): string {
  return `replies-engine-webhook-api-${stage}`;
}

/**
 * The seed's REST API (§2, §3): `/whatsapp`, `/sms`, `/email`, each `POST` (Lambda proxy) and `OPTIONS` (CORS).
 * What the seed's resource policy and body models meant to do is done by a required-header validator, the handler
 * and (optionally) WAF; throttle by the stage settings. The monthly quota is not a usage plan: API Gateway would
 * count every request, so anonymous junk could use it up; the handler counts messages queued for the AI instead
 * and hands the rest to people (`src/app/ai-budget.ts`, docs/seed-deviations.md).
 */
export class WebhookApi extends Construct {
  readonly api: RestApi;
  readonly accessLogGroup: LogGroup;
  readonly routes = new Map<RouteDefinition['path'], Resource>();
  readonly domain?: DomainName;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    const { config } = props;

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    this.api = new RestApi(this, 'RestApi', {
      restApiName: restApiName(config.stage),
      description: 'Inbound webhooks (Twilio WhatsApp/SMS, Mailgun email) for the replies engine',
      // Regional: the callers are provider servers, not browsers worldwide, so an edge distribution only adds a hop;
      // a regional custom domain also takes its certificate from the stack's own region.
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Signatures are checked against the custom domain's URL, so a call through execute-api could only ever get
      // 403: with a domain, it is the one way in (smoke tests use the domain URL).
      disableExecuteApiEndpoint: props.customDomain !== undefined,
      // Only multipart (Mailgun attachments) is binary: it reaches the handler base64-encoded (isBase64Encoded)
      // instead of mangled by UTF-8 decoding. Twilio's urlencoded forms stay plain text, as seed §5.1 intends.
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      // Execution logging needs the account-level API Gateway CloudWatch role: managed once per account and region
      // by the RepliesEngineApiGatewayAccount stack, never by a stage (it is shared, and CDK would retain it).
      cloudWatchRole: false,
      deployOptions: {
        stageName: config.stage,
        // Seed §3.3 throttle, applied to everyone at the gateway before any Lambda runs.
        throttlingRateLimit: LIMITS.throttleRateLimit,
        throttlingBurstLimit: LIMITS.throttleBurstLimit,
        loggingLevel: MethodLoggingLevel.INFO,
        // Bodies are phone numbers and message text (PII): never written to execution logs.
        dataTraceEnabled: false,
        // API-level metrics (Count, 4XXError, 5XXError, Latency) are free and enough for the alarms.
        metricsEnabled: false,
        tracingEnabled: props.tracing,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: accessLogFormat(),
      },
    });

    // API Gateway creates the execution log group on first use with no expiry; owning it applies the retention.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${config.stage}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    // Otherwise the stage can start logging first, API Gateway creates the group itself and ours fails to create.
    this.api.deploymentStage.node.addDependency(executionLogs);

    this.addGatewayResponses(props.corsAllowOrigin);

    const validator = this.api.addRequestValidator('RequiredHeaders', {
      requestValidatorName: 'required-headers',
      validateRequestParameters: true,
      // Body validation is JSON-Schema only; these bodies are form-encoded/multipart (handler validates them).
      validateRequestBody: false,
    });
    const integration = new LambdaIntegration(props.handler, {
      proxy: true,
      contentHandling: ContentHandling.CONVERT_TO_TEXT,
    });

    for (const route of ROUTES) {
      // A nested route (`/whatsapp/meta`) hangs under its parent's resource and inherits its CORS preflight.
      const parentPath = route.path.slice(0, route.path.lastIndexOf('/'));
      const parent = (parentPath && this.routes.get(parentPath as `/${string}`)) || this.api.root;
      const resource = parent.addResource(route.path.slice(parentPath.length + 1), {
        defaultCorsPreflightOptions: {
          allowOrigins: [props.corsAllowOrigin],
          allowMethods: [...CORS.allowMethods],
          allowHeaders: [...CORS.allowHeaders],
          statusCode: 204,
        },
      });
      const requestParameters = Object.fromEntries(
        route.requiredHeaders.map((header) => [`method.request.header.${header}`, true]),
      );
      const name = route.path.slice(1).replaceAll('/', '-');
      for (const method of routeMethods(route)) {
        resource.addMethod(method, integration, {
          operationName: method === 'POST' ? `receive-${name}-webhook` : `verify-${name}-webhook`,
          // Required headers are the POST's signature; a GET (Meta's subscription check) carries none.
          ...(method === 'POST'
            ? {
                requestParameters,
                ...(route.requiredHeaders.length > 0 ? { requestValidator: validator } : {}),
              }
            : {}),
        });
      }
      this.routes.set(route.path, resource);
    }

    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Parameter validation is on (required X-Twilio-Signature header on /whatsapp and /sms). Body validation ' +
          'is JSON Schema only and these bodies are application/x-www-form-urlencoded or multipart/form-data, so the ' +
          'handler validates them after verifying the signature.',
      },
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Callers are Twilio and Mailgun servers, which can send neither IAM signatures, tokens nor API keys. Every ' +
          'POST is authenticated by the provider HMAC signature in the handler, before anything is read or written; ' +
          'an authorizer would only add a Lambda call per request.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are Twilio and Mailgun servers, which cannot obtain Cognito tokens. Every POST is authenticated by ' +
          'the provider HMAC signature in the handler.',
      },
    );

    if (props.customDomain) {
      this.domain = new DomainName(this, 'CustomDomain', {
        domainName: props.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      // Root mapping: https://<domain>/whatsapp, the same paths as the local stack.
      this.domain.addBasePathMapping(this.api, { stage: this.api.deploymentStage });
    }
  }

  /** Same status codes and JSON bodies as the local gateway emulation, plus the CORS header on every error. */
  private addGatewayResponses(corsAllowOrigin: string): void {
    const responseHeaders = { 'Access-Control-Allow-Origin': `'${corsAllowOrigin}'` };
    const json = (message: string): Record<string, string> => ({
      'application/json': JSON.stringify({ message }),
    });
    const responses = [
      {
        id: 'BadRequestParameters',
        type: ResponseType.BAD_REQUEST_PARAMETERS,
        statusCode: GATEWAY_RESPONSES.badRequestParameters.statusCode,
        // → {"message":"Missing required request parameters: [X-Twilio-Signature]"}
        templates: { 'application/json': DEFAULT_ERROR_TEMPLATE },
      },
      {
        id: 'MissingAuthenticationToken',
        type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
        statusCode: GATEWAY_RESPONSES.missingAuthenticationToken.statusCode,
        templates: json(GATEWAY_RESPONSES.missingAuthenticationToken.message),
      },
      {
        id: 'Throttled',
        type: ResponseType.THROTTLED,
        statusCode: GATEWAY_RESPONSES.throttled.statusCode,
        templates: json(GATEWAY_RESPONSES.throttled.message),
      },
      {
        id: 'QuotaExceeded',
        type: ResponseType.QUOTA_EXCEEDED,
        statusCode: GATEWAY_RESPONSES.quotaExceeded.statusCode,
        templates: json(GATEWAY_RESPONSES.quotaExceeded.message),
      },
      {
        id: 'Default4xx',
        type: ResponseType.DEFAULT_4XX,
        templates: { 'application/json': DEFAULT_ERROR_TEMPLATE },
      },
      {
        id: 'Default5xx',
        type: ResponseType.DEFAULT_5XX,
        templates: { 'application/json': DEFAULT_ERROR_TEMPLATE },
      },
    ];
    for (const response of responses) {
      this.api.addGatewayResponse(response.id, {
        type: response.type,
        ...('statusCode' in response ? { statusCode: String(response.statusCode) } : {}),
        responseHeaders,
        templates: response.templates,
      });
    }
  }
}

/** JSON access log: who, what, outcome and why (error type, validator and authorizer messages, WAF verdict). */
function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      // Metric filters take dimension values from log fields only: this one carries the stage.
      stage: AccessLogField.contextStage(),
      requestTime: AccessLogField.contextRequestTime(),
      ip: AccessLogField.contextIdentitySourceIp(),
      userAgent: AccessLogField.contextIdentityUserAgent(),
      httpMethod: AccessLogField.contextHttpMethod(),
      resourcePath: AccessLogField.contextResourcePath(),
      status: AccessLogField.contextStatus(),
      responseLength: AccessLogField.contextResponseLength(),
      responseLatency: AccessLogField.contextResponseLatency(),
      integrationStatus: AccessLogField.contextIntegrationStatus(),
      integrationLatency: AccessLogField.contextIntegrationLatency(),
      errorType: AccessLogField.contextErrorResponseType(),
      errorMessage: AccessLogField.contextErrorMessage(),
      validationError: AccessLogField.contextErrorValidationErrorString(),
      authorizerError: AccessLogField.contextAuthorizerError(),
      wafStatus: AccessLogField.contextWafResponseCode(),
    }),
  );
}
