import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct, IDependable } from 'constructs';
import { ROUTES } from '../src/resources.js';
import { AccessLogMetrics } from './access-log-metrics.js';
import { WebhookAlarms } from './alarms.js';
import { grantAttachmentStore, grantConversationIdIndex } from './attachments-bucket.js';
import { attachmentsBucketName } from './bucket-names.js';
import { WebhookDashboard } from './dashboard.js';
import { Heartbeat } from './heartbeat.js';
import type { MonitoredResources } from './monitored-resources.js';
import { addRegionRules } from './region-rules.js';
import { SesInbound } from './ses-inbound.js';
import { addOutputs } from './stack-outputs.js';
import type { DeployOptions } from './stage-config.js';
import { StageResources } from './stage-resources.js';
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

/**
 * The stateless half of a stage: API, domain, WAF, function, SES receipt rules and the SNS subscription, heartbeat,
 * alarms and dashboard. Nothing here holds data or is deletion-protected, so any deploy of it can roll back.
 * Composition only: every resource is defined in its own construct.
 */
export class WebhookStack extends Stack {
  readonly webhook: WebhookFunction;
  readonly webhookApi: WebhookApi;
  readonly alarms: WebhookAlarms;
  readonly dashboard: WebhookDashboard;
  readonly waf?: WebhookWaf;
  readonly sesInbound?: SesInbound;
  readonly heartbeat?: Heartbeat;

  constructor(scope: Construct, id: string, props: WebhookStackProps) {
    super(scope, id, props);
    const { options } = props;
    const { config } = options;
    const tracing = options.enableTracing;
    const live = options.phase === 'live';
    addRegionRules(this, {
      ...(options.customDomain ? { certificateArn: options.customDomain.certificateArn } : {}),
      ...(options.sesDomain ? { sesDomain: options.sesDomain } : {}),
    });

    const resources = new StageResources(this, 'Data', { stage: config.stage });
    this.webhook = new WebhookFunction(this, 'Webhook', {
      config,
      tables: resources.tables,
      queues: resources.queues,
      corsAllowOrigin: options.corsAllowOrigin,
      monthlyQuota: options.monthlyQuota,
      tracing,
      ...(options.customDomain ? { webhookBaseUrl: `https://${options.customDomain.domainName}` } : {}),
      ...(props.handlerEntry ? { entry: props.handlerEntry } : {}),
    });
    grantAttachmentStore(
      this.webhook.function,
      Bucket.fromBucketName(this, 'AttachmentsBucket', attachmentsBucketName(this, config.stage)),
    );
    grantConversationIdIndex(this.webhook.function, resources.tables.conversations);

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
          'WAF is switched off for this stage in infra/stages.ts (on in prod and staging). Without it the ' +
          'required-header validator rejects unsigned Twilio posts with 400 before Lambda, the stage throttle caps ' +
          'volume, and the handler verifies every signature.',
      });
    }

    const publicBase = options.customDomain
      ? `https://${options.customDomain.domainName}`
      : `https://${this.webhookApi.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${config.stage}`;
    // Before anything calls the public URL: the stage, every route's method with its invoke permission, and the
    // domain's base path mapping.
    const publicUrlReady: IDependable[] = [
      apiStage,
      ...[...this.webhookApi.routes.values()].map((resource) => resource),
      ...(this.webhookApi.domain ? [this.webhookApi.domain] : []),
    ];

    if (options.sesDomain) {
      this.sesInbound = new SesInbound(this, 'SesInbound', {
        stage: config.stage,
        sesDomain: options.sesDomain,
        deadLetterQueue: resources.sesNotificationDeadLetterQueue,
        // First deploy: the domain has no DNS yet, so SNS could not confirm; the live phase subscribes.
        ...(live ? { emailWebhookUrl: `${publicBase}/email` } : {}),
        subscriptionDependsOn: publicUrlReady,
        webhookFunction: this.webhook.function,
        webhookRole: this.webhook.handler.role,
        removalPolicy: config.removalPolicy,
      });
      const { topic, ruleSet } = this.sesInbound;
      addOutputs(this, {
        SesInboundTopicArn: [topic.topicArn, 'SES inbound topic (replies-webhooks replay ses --topic-arn)'],
        SesReceiptRuleSet: [
          ruleSet.receiptRuleSetName,
          'Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this>',
        ],
      });
    }

    if (options.heartbeat && live) {
      this.heartbeat = new Heartbeat(this, 'Heartbeat', {
        config,
        publicBaseUrl: publicBase,
        tracing,
        dependsOn: publicUrlReady,
      });
    }

    const monitored: MonitoredResources = {
      apiStage,
      webhookFunction: this.webhook.function,
      queues: resources.queues,
      api429: new AccessLogMetrics(this, 'AccessLogMetrics', {
        accessLogGroup: this.webhookApi.accessLogGroup,
        stage: config.stage,
      }).metrics,
      ...(this.sesInbound
        ? {
            sesInbound: {
              topic: this.sesInbound.topic,
              deadLetterQueue: resources.sesNotificationDeadLetterQueue,
            },
          }
        : {}),
    };
    this.alarms = new WebhookAlarms(this, 'Alarms', {
      ...monitored,
      config,
      ...(options.alarmEmail ? { alarmEmail: options.alarmEmail } : {}),
    });
    if (this.heartbeat) this.alarms.addHeartbeatAlarm(this.heartbeat);
    this.dashboard = new WebhookDashboard(this, 'Dashboard', { ...monitored, stage: config.stage });

    addOutputs(this, {
      ApiBaseUrl: [publicBase, 'Base URL of the webhook API (append /whatsapp, /sms or /email)'],
    });
    for (const route of ROUTES) {
      // `/whatsapp` → whatsappWebhookUrl, `/whatsapp/meta` → whatsappMetaWebhookUrl.
      const id = route.path
        .slice(1)
        .split('/')
        .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
        .join('');
      addOutputs(this, {
        [`${id}WebhookUrl`]: [
          `${publicBase}${route.path}`,
          `Webhook URL to configure at the provider for ${route.path.slice(1)}`,
        ],
      });
    }
    addOutputs(this, {
      ...(this.webhookApi.domain && {
        CustomDomainTarget: [
          this.webhookApi.domain.domainNameAliasDomainName,
          'Point a CNAME/alias for the custom domain at this regional API Gateway name',
        ],
      }),
      AlarmTopicArn: [this.alarms.topic.topicArn, 'SNS topic every alarm notifies'],
    });
  }
}
