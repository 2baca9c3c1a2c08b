import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SES } from '../resources.js';
import { sqsClient } from './aws-clients.js';
import { UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandSpec } from './command-spec.js';
import { plural, printJson, table } from './format.js';
import { listFlag, numberFlag, parseAction, stringFlag } from './parse-flags.js';
import { type RawReplay, replayRawLocally, republishMessage, republishRaw } from './ses-raw-replay.js';
import { type ReplayResult, replayDeadLetters } from './ses-replay.js';
import { endpointOverrideFlag, gatewayFor, gatewayUrlFlag, serviceEndpoint } from './stack-target.js';

export const REPLAY_SPEC: CommandSpec = {
  usage: 'replay ses [--stage NAME --url PUBLIC_URL | --url GATEWAY] [--object KEY --to ADDR --from ADDR]',
  summary:
    'Hands SES notifications SNS could not deliver back to the normal processing of a stage: every notification ' +
    'parked in the SesNotifications-DLQ is POSTed to /email again (deleted only after a 2xx; the gateway claims each ' +
    'Message-ID, so one already processed is acknowledged, never queued twice). With --object, a raw message from ' +
    'the inbound bucket whose notification is gone is replayed instead (without SES verdicts: it goes to a human).',
  flags: {
    url: gatewayUrlFlag('local gateway, or with --stage the public base URL of the stage'),
    stage: {
      type: 'string',
      placeholder: 'NAME',
      description:
        'a deployed stage: its SesNotifications-DLQ-<stage> in AWS (default credentials and region)',
    },
    endpoint: endpointOverrideFlag('sqs'),
    max: { type: 'string', placeholder: 'N', description: 'notifications to replay at most (default 100)' },
    'topic-arn': {
      type: 'string',
      placeholder: 'ARN',
      description:
        'with --stage: the SES inbound topic (output SesInboundTopicArn), to republish through SNS',
    },
    object: {
      type: 'string',
      placeholder: 'KEY',
      multiple: true,
      description: 'a raw message in the inbound bucket (inbound/<id>) instead of the DLQ',
    },
    bucket: {
      type: 'string',
      placeholder: 'NAME',
      description: 'with --stage --object: output SesInboundBucketName',
    },
    to: {
      type: 'string',
      placeholder: 'ADDRESS',
      description: 'with --object: the registered address it was sent to',
    },
    from: { type: 'string', placeholder: 'ADDRESS', description: 'with --object: the sender' },
  },
  notes: [
    'Run it after fixing what made SNS give up (the SesNotificationDlqNotEmpty alarm): a notification the gateway',
    'still refuses stays parked and is listed. In AWS a DLQ message that is not a signed SNS envelope is republished',
    'to the topic given with --topic-arn.',
  ],
  examples: [
    'replay ses',
    'replay ses --stage prod --url https://hooks.example.com',
    'replay ses --object inbound/0example --to replies@mail.example.com --from candidate@example.org',
  ],
};

function rawReplays(values: Parameters<typeof stringFlag>[0]): RawReplay[] {
  const keys = listFlag(values, 'object');
  if (keys.length === 0) return [];
  const recipient = stringFlag(values, 'to');
  const source = stringFlag(values, 'from');
  if (!recipient || !source) throw new UsageError('--object needs --to and --from');
  return keys.map((key) => ({ key, recipient, source }));
}

export async function replayCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseAction(REPLAY_SPEC, argv, io, ['ses'] as const);
  if (!parsed) return 0;
  const { values, json } = parsed;
  const max = numberFlag(values, 'max', { min: 1, max: 10_000, fallback: 100 });
  const stage = stringFlag(values, 'stage');
  const topicArn = stringFlag(values, 'topic-arn');
  const raws = rawReplays(values);
  let results: ReplayResult[];
  if (stage === undefined) {
    const gateway = gatewayFor(values, io.env);
    if (raws.length > 0) {
      results = [];
      for (const raw of raws) results.push(await replayRawLocally(gateway, raw));
    } else {
      const { endpoint } = await serviceEndpoint('sqs', values, io.env);
      const sqs = sqsClient(endpoint);
      try {
        results = await replayDeadLetters({
          sqs,
          queueName: SES.notificationDeadLetterQueueName,
          emailUrl: `${gateway.url}/email`,
          max,
        });
      } finally {
        sqs.destroy();
      }
    }
  } else {
    const publicUrl = stringFlag(values, 'url');
    if (!publicUrl && raws.length === 0)
      throw new UsageError('--stage needs --url <the stage public base URL>');
    // No endpoint, region or credentials of ours: the SDK's default chain decides, as for the AWS CLI.
    const sns = new SNSClient({});
    const sqs = new SQSClient({});
    try {
      if (raws.length > 0) {
        const bucket = stringFlag(values, 'bucket');
        if (!topicArn || !bucket) throw new UsageError('--stage --object needs --topic-arn and --bucket');
        results = [];
        for (const raw of raws) results.push(await republishRaw(sns, raw, topicArn, bucket));
      } else {
        results = await replayDeadLetters({
          sqs,
          queueName: `${SES.notificationDeadLetterQueueName}-${stage}`,
          emailUrl: `${(publicUrl ?? '').replace(/\/+$/, '')}/email`,
          max,
          ...(topicArn
            ? {
                republish: (message: string) => republishMessage(sns, topicArn, message),
              }
            : {}),
        });
      }
    } finally {
      sns.destroy();
      sqs.destroy();
    }
  }
  const kept = results.filter((r) => r.result === 'kept').length;
  if (json) printJson(io, { results, kept });
  else if (results.length === 0) io.out('nothing to replay');
  else {
    const rows = results.map((r) => ({
      messageId: r.messageId,
      result: r.result,
      status: r.status === undefined ? '' : String(r.status),
      detail: r.detail ?? '',
    }));
    io.out(table(rows, ['messageId', 'result', 'status', 'detail']));
    io.out(`${plural(results.length - kept, 'notification')} replayed, ${kept} kept`);
  }
  return kept > 0 ? 1 : 0;
}
