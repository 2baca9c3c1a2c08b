import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ROUTES } from '../src/resources.js';
import { AccessLogMetrics } from './access-log-metrics.js';
import { WebhookAlarms } from './alarms.js';
import {
  AttachmentsBucket,
  grantConversationIdIndex,
  readAttachmentsExpiryDays,
} from './attachments-bucket.js';
import { WebhookDashboard } from './dashboard.js';
import { DataTables } from './data-tables.js';
import type { MonitoredResources } from './monitored-resources.js';
import { ReplyQueues } from './reply-queues.js';
import { SesInbound } from './ses-inbound.js';
import { addStackOutputs } from './stack-outputs.js';
import type { DeployOptions } from './stage-config.js';
import { WebhookApi } from './webhook-api.js';
import { WebhookFunction } from './webhook-function.js';
import { WebhookWaf } from './webhook-waf.js';

export interface WebhookStackProps extends StackProps {
  readonly options: DeployOptions;
  /** Overrides the webhook handler entry file (tests only). */
  readonly handlerEntry?: string;
}

export function webhookStackName(stage: string): string {
  return `RepliesEngineWebhook-${stage}`;
}

/** The whole gateway for one stage. Composition only: every resource is defined in its own construct. */
export class WebhookStack extends Stack {
  readonly tables: DataTables;
  readonly queues: ReplyQueues;
  readonly webhook: WebhookFunction;
  readonly webhookApi: WebhookApi;
  readonly alarms: WebhookAlarms;
  readonly dashboard: WebhookDashboard;
  readonly attachments: AttachmentsBucket;
  readonly waf?: WebhookWaf;
  readonly sesInbound?: SesInbound;

  constructor(scope: Construct, id: string, props: WebhookStackProps) {
    super(scope, id, props);
    const { options } = props;
    const { config } = options;
    const tracing = options.enableTracing;

    this.tables = new DataTables(this, 'Tables', {
      stage: config.stage,
      removalPolicy: config.removalPolicy,
      deletionProtection: config.deletionProtection,
    });
    this.queues = new ReplyQueues(this, 'Queues', {
      stage: config.stage,
      removalPolicy: config.removalPolicy,
    });

    this.webhook = new WebhookFunction(this, 'Webhook', {
      config,
      tables: this.tables.tables,
      queues: this.queues.queues,
      corsAllowOrigin: options.corsAllowOrigin,
      tracing,
      ...(options.customDomain ? { webhookBaseUrl: `https://${options.customDomain.domainName}` } : {}),
      ...(props.handlerEntry ? { entry: props.handlerEntry } : {}),
    });

    this.attachments = new AttachmentsBucket(this, 'Attachments', {
      removalPolicy: config.removalPolicy,
      expiryDays: readAttachmentsExpiryDays(this.node),
    });
    this.attachments.grantStore(this.webhook.function);
    grantConversationIdIndex(this.webhook.function, this.tables.tables.conversations);

    this.webhookApi = new WebhookApi(this, 'Api', {
      config,
      handler: this.webhook.function,
      corsAllowOrigin: options.corsAllowOrigin,
      tracing,
      ...(options.customDomain ? { customDomain: options.customDomain } : {}),
    });
    const apiStage = this.webhookApi.api.deploymentStage;

    if (options.enableWaf) {
      this.waf = new WebhookWaf(this, 'Waf', { config, stage: apiStage });
    } else {
      Validations.of(apiStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF is opt-in (-c enableWaf=true, about $6/month per stage). Without it the required-header validator ' +
          'rejects unsigned Twilio posts with 400 before Lambda, the stage throttle caps volume, and the handler ' +
          'verifies every signature.',
      });
    }

    const monitored: MonitoredResources = {
      apiStage,
      webhookFunction: this.webhook.function,
      queues: this.queues.queues,
      api429: new AccessLogMetrics(this, 'AccessLogMetrics', {
        accessLogGroup: this.webhookApi.accessLogGroup,
        stage: config.stage,
      }).metrics,
    };
    this.alarms = new WebhookAlarms(this, 'Alarms', {
      ...monitored,
      config,
      ...(options.alarmEmail ? { alarmEmail: options.alarmEmail } : {}),
    });
    this.dashboard = new WebhookDashboard(this, 'Dashboard', { ...monitored, stage: config.stage });

    const publicBase = options.customDomain
      ? `https://${options.customDomain.domainName}`
      : `https://${this.webhookApi.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${config.stage}`;
    new CfnOutput(this, 'ApiBaseUrl', {
      value: publicBase,
      description: 'Base URL of the webhook API (append /whatsapp, /sms or /email)',
    });
    for (const route of ROUTES) {
      // `/whatsapp` → whatsappWebhookUrl, `/whatsapp/meta` → whatsappMetaWebhookUrl.
      const id = route.path
        .slice(1)
        .split('/')
        .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
        .join('');
      new CfnOutput(this, `${id}WebhookUrl`, {
        value: `${publicBase}${route.path}`,
        description: `Webhook URL to configure at the provider for ${route.path.slice(1)}`,
      });
    }
    if (this.webhookApi.domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.webhookApi.domain.domainNameAliasDomainName,
        description: 'Point a CNAME/alias for the custom domain at this regional API Gateway name',
      });
    }
    addStackOutputs(this, {
      tables: this.tables.tables,
      queues: this.queues.queues,
      alarmTopic: this.alarms.topic,
    });
    if (options.sesDomain) {
      this.sesInbound = new SesInbound(this, 'SesInbound', {
        stage: config.stage,
        sesDomain: options.sesDomain,
        emailWebhookUrl: `${publicBase}/email`,
        webhookFunction: this.webhook.function,
        webhookRole: this.webhook.handler.role,
        removalPolicy: config.removalPolicy,
      });
      new CfnOutput(this, 'SesReceiptRuleSet', {
        value: this.sesInbound.ruleSet.receiptRuleSetName,
        description: 'Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this>',
      });
    }
  }
}
