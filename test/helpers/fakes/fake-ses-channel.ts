import type { Clock, Logger, RawEmailSource, SesChannel } from '../../../src/app/ports.js';
import { compileSnsUrlPattern, DEFAULT_SNS_URL_PATTERN } from '../../../src/domain/sns-url-policy.js';

/**
 * The SES channel of `Dependencies` for use-case tests: one SNS certificate served for `certificateUrl`, the given
 * raw-email source, one allowed topic and inbound bucket. A loader, as the composition roots wire it.
 */
export function fakeSesChannel(options: {
  readonly certificateUrl: string;
  readonly certificatePem: string;
  readonly rawEmails: RawEmailSource;
  readonly topicArn: string;
  readonly bucket: string;
  readonly clock: Clock;
  readonly logger: Logger;
}): () => Promise<SesChannel> {
  return async () => ({
    inbound: {
      certificates: {
        get: async (url: string) => (url === options.certificateUrl ? options.certificatePem : ''),
      },
      subscriptions: { confirm: async () => undefined },
      rawEmails: options.rawEmails,
      clock: options.clock,
      logger: options.logger,
      settings: {
        snsUrlPattern: compileSnsUrlPattern(DEFAULT_SNS_URL_PATTERN),
        topicArns: [options.topicArn],
        inboundBucket: options.bucket,
      },
    },
  });
}
