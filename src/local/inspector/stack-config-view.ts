import { SES, TABLES } from '../../resources.js';
import type { InspectorStack } from './inspector-stack.js';

/**
 * `GET /_local/api/config`: where this stack's emulators listen, so tools need only the gateway URL (the CLI's
 * `--url` or `PORT`). `endpoints` is keyed by AWS service id (`AWS_ENDPOINT_URL_<ID>`); a new emulator adds a key.
 */
export interface StackConfigView {
  readonly gateway: string;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly tables: { readonly conversations: string; readonly companyChannels: string };
  readonly queues: Readonly<Record<string, string>>;
  /** Where DynamoDB keeps its data on disk (LOCAL_DATA_DIR); null: in memory or an external endpoint. */
  readonly dynamodbDataDir: string | null;
  /** The local SNS stand-in for `send email --provider ses`: it signs envelopes (`POST <url>/sign`). */
  readonly sesInbound: {
    readonly snsUrl: string;
    readonly certificateUrl: string;
    readonly topicArns: readonly string[];
    readonly bucket: string;
  };
  /** Meta's Graph API stand-in (META_GRAPH_API_BASE_URL): `send whatsapp --provider meta --attach` uploads there. */
  readonly metaGraphApi: string;
}

export function stackConfigView(stack: InspectorStack): StackConfigView {
  return {
    gateway: stack.gatewayUrl,
    endpoints: {
      dynamodb: stack.dynamodbEndpoint,
      sqs: stack.sqsEndpoint,
      s3: stack.s3Endpoint,
      sesv2: stack.ses.sesv2Endpoint,
    },
    tables: {
      conversations: TABLES.conversations.localName,
      companyChannels: TABLES.companyChannels.localName,
    },
    queues: stack.queueUrls,
    dynamodbDataDir: stack.dynamodbDataDir ?? null,
    sesInbound: {
      snsUrl: stack.ses.sns.url,
      certificateUrl: stack.ses.sns.certificateUrl,
      topicArns: stack.config.ses.topicArns,
      bucket: stack.config.ses.inboundBucket ?? SES.localInboundBucket,
    },
    metaGraphApi: stack.config.metaGraphApiBaseUrl,
  };
}
