import type { IncomingMessage } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbChannelRegistry } from '../../adapters/aws/dynamodb-registry.js';
import { isLoopbackAddress, isLoopbackHostHeader } from '../host-guard.js';
import type { SecretsFile } from '../secrets-file.js';
import { InspectorError, type InspectorStack } from './inspector-stack.js';

/** What `send` signs with for one company address: the registry entry's secret, as the stack verifies it. */
export interface SigningSecretView {
  readonly address: string;
  readonly channel_type: string;
  readonly company_id: string;
  readonly credentials_reference: string;
  readonly secret: Readonly<Record<string, unknown>>;
}

/**
 * `GET /_local/api/signing-secret?address=<company address>`: the secret the running stack holds for a registered
 * address, so the CLI signs a tenant added at run time without `--secrets-file` and `--credentials-ref`.
 *
 * Threat model. Like every `/_local/` route it answers only on a trusted `Host`, and refuses cross-origin and
 * cross-site browser requests (host-guard.ts), so no web page can read it (not even through DNS rebinding). It is
 * stricter than the other routes: only a loopback peer addressing the stack by a loopback name gets an answer, so a
 * tunnel (`WEBHOOK_BASE_URL`, whose host the other routes accept) never exposes it. What remains is any process of
 * this machine's users, which could read the secrets file itself: the local stack is a developer tool, and the
 * secrets it serves are the developer's own test credentials (the demo's are public). Never deployed: the Lambda
 * has no `/_local/` routes.
 */
export async function signingSecretView(
  stack: InspectorStack,
  secrets: SecretsFile,
  req: IncomingMessage,
  address: string | null,
): Promise<SigningSecretView> {
  if (!isLoopbackAddress(req.socket.remoteAddress) || !isLoopbackHostHeader(req.headers.host))
    throw new InspectorError(403, 'signing secrets are served to loopback clients on a loopback name only');
  const wanted = (address ?? '').trim();
  if (wanted === '' || wanted.length > 320)
    throw new InspectorError(400, 'address=<company address> required');
  const key = wanted.includes('@') ? wanted.toLowerCase() : wanted;
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
  );
  try {
    // Uncached, unlike the handler's registry: a tenant registered a moment ago is found.
    const entry = await new DynamoDbChannelRegistry(doc, stack.config.tables.companyChannels).find(key);
    if (!entry) throw new InspectorError(404, `${key} is not in the registry`);
    const secret = secrets.current()[entry.credentials_reference];
    if (!secret)
      throw new InspectorError(404, `no secret "${entry.credentials_reference}" in ${secrets.path}`);
    return {
      address: key,
      channel_type: entry.channel_type,
      company_id: entry.company_id,
      credentials_reference: entry.credentials_reference,
      secret,
    };
  } finally {
    doc.destroy();
  }
}
