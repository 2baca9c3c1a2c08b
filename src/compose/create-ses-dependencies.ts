import type { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { deadlineAware } from '../adapters/aws/aws-clients.js';
import { clientDefaults } from '../adapters/aws/client-defaults.js';
import { HttpSnsCertificates } from '../adapters/ses/http-sns-certificates.js';
import { HttpSnsSubscriptions } from '../adapters/ses/http-sns-subscriptions.js';
import { S3RawEmailSource } from '../adapters/ses/s3-raw-email-source.js';
import { SesOutboundSender } from '../adapters/ses/sesv2-outbound-sender.js';
import type { Clock, Logger, RawEmailSource, RequestDeadline } from '../app/ports.js';
import type { SesInboundDeps } from '../app/ses-inbound.js';
import type { Config } from '../config.js';
import { RAW_EMAIL_LIMITS } from '../domain/raw-email.js';
import { AWS_CLIENTS } from '../resources.js';

export interface SesDependencies {
  readonly inbound: SesInboundDeps;
  readonly sender: SesOutboundSender;
}

/**
 * The SES pieces of a composition root, built once per runtime. `rawEmails` is the S3 reader of the inbound
 * bucket (GetObject on SES_INBOUND_BUCKET). The SESv2 client gets the same bounded timeouts and retries as
 * the other AWS clients; locally its endpoint is the embedded emulator (AWS_ENDPOINT_URL_SESV2 via config).
 */
export interface SesClientOptions {
  readonly region?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createSesDependencies(
  config: Config,
  shared: {
    /** Default: the S3 reader of SES_INBOUND_BUCKET on `s3`. */
    readonly rawEmails?: RawEmailSource | undefined;
    readonly s3?: S3Client;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly deadline?: RequestDeadline;
  },
  clientOptions: SesClientOptions = {},
): SesDependencies {
  const rawEmails =
    shared.rawEmails ?? (shared.s3 ? new S3RawEmailSource(shared.s3, RAW_EMAIL_LIMITS.maxBytes) : undefined);
  if (!rawEmails) throw new Error('createSesDependencies needs rawEmails or an S3 client');
  // The webhook's deadline bounds the SES fallback like every other outbound call.
  const client = deadlineAware(
    new SESv2Client({
      ...clientDefaults(config, clientOptions),
      ...(config.ses.sesv2Endpoint ? { endpoint: config.ses.sesv2Endpoint } : {}),
    }),
    shared.deadline,
  );
  return {
    inbound: {
      certificates: new HttpSnsCertificates({
        timeoutMs: Math.max(config.awsCallTimeoutMs, AWS_CLIENTS.connectMs),
        ...(shared.deadline ? { deadline: shared.deadline } : {}),
      }),
      subscriptions: new HttpSnsSubscriptions({
        timeoutMs: Math.max(config.awsCallTimeoutMs, AWS_CLIENTS.connectMs),
        ...(shared.deadline ? { deadline: shared.deadline } : {}),
      }),
      rawEmails,
      clock: shared.clock,
      logger: shared.logger,
      settings: {
        snsUrlPattern: config.ses.snsUrlPattern,
        topicArns: config.ses.topicArns,
        inboundBucket: config.ses.inboundBucket,
      },
    },
    sender: new SesOutboundSender(client),
  };
}
