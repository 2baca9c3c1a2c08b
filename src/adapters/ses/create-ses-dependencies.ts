import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Clock, Logger, RawEmailSource } from '../../app/ports.js';
import type { SesInboundDeps } from '../../app/ses-inbound.js';
import type { Config } from '../../config.js';
import { AWS_CLIENTS } from '../../resources.js';
import { clientDefaults } from '../aws/client-defaults.js';
import { HttpSnsCertificates } from './http-sns-certificates.js';
import { HttpSnsSubscriptions } from './http-sns-subscriptions.js';
import { SesOutboundSender } from './sesv2-outbound-sender.js';

export interface SesDependencies {
  readonly inbound: SesInboundDeps;
  readonly sender: SesOutboundSender;
}

/**
 * The SES pieces of a composition root, built once per runtime. `rawEmails` is the S3 reader of the inbound
 * bucket (GetObject on SES_INBOUND_BUCKET). The SESv2 client gets the same bounded timeouts and retries as
 * the other AWS clients; locally its endpoint is the embedded emulator (AWS_ENDPOINT_URL_SESV2 via config).
 */
export function createSesDependencies(
  config: Config,
  shared: { readonly rawEmails: RawEmailSource; readonly clock: Clock; readonly logger: Logger },
  clientOptions: {
    readonly region?: string;
    readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  } = {},
): SesDependencies {
  const client = new SESv2Client({
    ...clientDefaults(config, clientOptions),
    ...(config.ses.sesv2Endpoint ? { endpoint: config.ses.sesv2Endpoint } : {}),
  });
  return {
    inbound: {
      certificates: new HttpSnsCertificates({
        timeoutMs: Math.max(config.awsCallTimeoutMs, AWS_CLIENTS.connectMs),
      }),
      subscriptions: new HttpSnsSubscriptions({
        timeoutMs: Math.max(config.awsCallTimeoutMs, AWS_CLIENTS.connectMs),
      }),
      rawEmails: shared.rawEmails,
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
