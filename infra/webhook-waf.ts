import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ROUTES } from '../src/resources.js';
import type { StageConfig } from './stage-config.js';

export interface WebhookWafProps {
  readonly config: StageConfig;
  readonly stage: Stage;
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * On by default in prod and staging (`enableWaf` in infra/stages.ts), with logging: the first line of defence the seed's resource policy wanted (§3.1): blocks a POST to a
 * Twilio route without an `X-Twilio-Signature` header before API Gateway bills or throttles it, and rate-limits
 * single source addresses. Managed rule groups are deliberately absent: the Common rule set blocks bodies over
 * 8 KB, which would reject Mailgun emails.
 */
export class WebhookWaf extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WebhookWafProps) {
    super(scope, id);
    const { stage } = props.config;

    // The URI path WAF sees includes the stage on the execute-api host (/dev/whatsapp) and not on a custom domain
    // (/whatsapp): matching on the suffix covers both.
    const signedPaths = ROUTES.filter((route) => route.requiredHeaders.length > 0);
    const pathStatements: CfnWebACL.StatementProperty[] = signedPaths.map((route) => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'ENDS_WITH',
        searchString: route.path,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    }));
    const headerStatements: CfnWebACL.StatementProperty[] = [
      ...new Set(signedPaths.flatMap((route) => route.requiredHeaders)),
    ].map((header) => ({
      notStatement: {
        statement: {
          sizeConstraintStatement: {
            fieldToMatch: { singleHeader: { Name: header.toLowerCase() } },
            comparisonOperator: 'GT',
            size: 0,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
      },
    }));
    const anyOf = (statements: CfnWebACL.StatementProperty[]): CfnWebACL.StatementProperty =>
      statements.length === 1 && statements[0] ? statements[0] : { orStatement: { statements } };

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `replies-engine-webhook-${stage}`,
      description: 'Signature-header presence and per-IP rate limit for the webhook API',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`replies-engine-webhook-${stage}`),
      rules: [
        {
          name: 'RequireTwilioSignatureHeader',
          priority: 0,
          action: { block: {} },
          visibilityConfig: visibility('RequireTwilioSignatureHeader'),
          statement: {
            andStatement: {
              statements: [
                {
                  // OPTIONS preflights carry no signature and must pass.
                  byteMatchStatement: {
                    fieldToMatch: { method: {} },
                    positionalConstraint: 'EXACTLY',
                    searchString: 'POST',
                    textTransformations: [{ priority: 0, type: 'NONE' }],
                  },
                },
                anyOf(pathStatements),
                anyOf(headerStatements),
              ],
            },
          },
        },
        {
          name: 'RatePerSourceIp',
          priority: 1,
          action: { block: {} },
          visibilityConfig: visibility('RatePerSourceIp'),
          statement: {
            rateBasedStatement: { aggregateKeyType: 'IP', limit: props.config.wafRequestsPerIpPer5Min },
          },
        },
      ],
    });

    // WAF logs go to a log group whose name must start with `aws-waf-logs-`. The signature header is redacted: a
    // signature is no secret, but nothing in the logs should help replay a request.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-replies-engine-webhook-${stage}`,
      retention: props.config.logRetention,
      removalPolicy: props.config.removalPolicy,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [this.logGroup.logGroupArn],
      redactedFields: [{ singleHeader: { Name: 'x-twilio-signature' } }],
    });

    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
