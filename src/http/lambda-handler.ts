/**
 * `IncomingWebhookHandler`: the Lambda composition root. Everything is created once per execution environment
 * (module scope), so warm invocations reuse clients, the registry cache and the secret cache.
 */

import { AsyncLocalDeadline } from '../adapters/async-local-deadline.js';
import { createAwsClients } from '../adapters/aws/aws-clients.js';
import { createS3Client } from '../adapters/aws/s3-client.js';
import { SecretsManagerSource } from '../adapters/aws/secrets-manager-source.js';
import {
  createPowertoolsLogger,
  createPowertoolsMetrics,
} from '../adapters/observability/powertools-observability.js';
import { createDependencies } from '../compose/create-dependencies.js';
import { loadConfig } from '../config.js';
import { ENV } from '../resources.js';
import { createHandler } from './create-handler.js';

const config = loadConfig(process.env);
/** One deadline per webhook, handed to every client and adapter that calls out on its behalf. */
const deadline = new AsyncLocalDeadline();
const clients = createAwsClients(config, { deadline });
const s3 = createS3Client(config, { deadline });

export const handler = createHandler(
  createDependencies(config, {
    clients,
    s3,
    deadline,
    secretSource: new SecretsManagerSource(clients.secrets),
    logger: createPowertoolsLogger(),
    metrics: createPowertoolsMetrics({ stage: config.stage }),
    // Per invocation, so not part of the config loaded once: the runtime rewrites it before every event.
    traceHeader: () => process.env[ENV.xrayTraceId],
    // SES_INBOUND_BUCKET read with `s3`; the SES modules load at the first SES request.
    ses: {},
  }),
  {
    webhookBaseUrl: config.webhookBaseUrl,
    corsAllowOrigin: config.corsAllowOrigin,
    deadlineMs: config.webhookDeadlineMs,
  },
);
