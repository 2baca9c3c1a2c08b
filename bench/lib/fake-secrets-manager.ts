import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Just enough of Secrets Manager's JSON protocol (`GetSecretValue`) for the production handler to run unchanged
 * against local emulators: the SDK reaches it through `AWS_ENDPOINT_URL_SECRETS_MANAGER`. Secrets come from a
 * `LOCAL_SECRETS_FILE`-style JSON object (reference → secret object).
 */
export async function startFakeSecretsManager(secretsFile: string): Promise<{ url: string; server: Server }> {
  const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, unknown>;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
      const secret = input.SecretId === undefined ? undefined : secrets[input.SecretId];
      res.setHeader('Content-Type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.GetSecretValue' || secret === undefined) {
        res.statusCode = 400;
        res.setHeader('x-amzn-ErrorType', 'ResourceNotFoundException');
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not found' }));
        return;
      }
      res.end(
        JSON.stringify({
          ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${input.SecretId}-AbCdEf`,
          Name: input.SecretId,
          SecretString: JSON.stringify(secret),
          VersionId: 'bench',
          VersionStages: ['AWSCURRENT'],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
