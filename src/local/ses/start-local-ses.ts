import type { Config } from '../../config.js';
import { compileSnsUrlPattern } from '../../domain/sns-url-policy.js';
import { SES } from '../../resources.js';
import { type LocalSnsServer, startLocalSnsServer } from './local-sns-server.js';
import { type SesEmulator, startSesEmulator } from './ses-emulator.js';

/** The local stack's SNS topic for SES inbound (the only one its config accepts). */
export const LOCAL_SES_TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:ses-inbound-local';

export interface LocalSesOptions {
  /** LOCAL_SES_PORT (0 = any free port); ignored when `sesv2Endpoint` is given. */
  readonly sesPort: number;
  /** AWS_ENDPOINT_URL_SESV2: use that endpoint instead of the embedded emulator. */
  readonly sesv2Endpoint?: string;
  readonly host?: string;
}

export interface LocalSes {
  readonly sns: LocalSnsServer;
  /** Undefined when an external SESv2 endpoint is used. */
  readonly emulator: SesEmulator | undefined;
  readonly sesv2Endpoint: string;
  /**
   * What the local stack merges into its Config (`ConfigOverrides.ses`): the URL pattern admits only the local SNS
   * server, the topic list only the local topic, the inbound bucket is the embedded S3's (created with the other
   * buckets by the local stack's provisioning).
   */
  readonly config: Partial<Config['ses']>;
  stop(): Promise<void>;
}

/**
 * Starts the local pieces of SES inbound and outbound: the local SNS server (local-only certificate generated now,
 * never written anywhere) and, unless an external endpoint is configured, the embedded SESv2 emulator.
 */
export async function startLocalSes(options: LocalSesOptions): Promise<LocalSes> {
  const host = options.host ?? '127.0.0.1';
  const sns = await startLocalSnsServer({ host });
  let emulator: SesEmulator | undefined;
  try {
    emulator = options.sesv2Endpoint ? undefined : await startSesEmulator({ port: options.sesPort, host });
  } catch (error) {
    await sns.stop();
    throw error;
  }
  const sesv2Endpoint = options.sesv2Endpoint ?? emulator?.endpoint ?? '';
  return {
    sns,
    emulator,
    sesv2Endpoint,
    config: {
      snsUrlPattern: compileSnsUrlPattern(sns.urlPattern),
      topicArns: [LOCAL_SES_TOPIC_ARN],
      inboundBucket: SES.localInboundBucket,
      sesv2Endpoint,
    },
    async stop() {
      await Promise.all([sns.stop(), emulator?.stop()]);
    },
  };
}
