import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_SECRETS_FILE } from '../../src/local/local-stack.js';

export interface SecretsCopy {
  /** The copy's path: a stack's `secretsFile`. */
  readonly file: string;
  /** Writes `secret` under `reference` in the copy (a new tenant's, or a rotated one). */
  set(reference: string, secret: Record<string, string>): Promise<void>;
}

/**
 * A copy of the demo secrets file in a temporary directory (named from `prefix`), for a stack that a test then gives
 * new or rotated secrets: made in `beforeAll` (call this before the stack's own hook), removed in `afterAll`.
 */
export function useDemoSecretsCopy(prefix: string): SecretsCopy {
  let dir: string | undefined;
  let file: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    file = join(dir, 'secrets.json');
    await writeFile(file, await readFile(DEMO_SECRETS_FILE, 'utf8'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const path = () => {
    if (!file) throw new Error('the secrets copy is made in beforeAll');
    return file;
  };
  return {
    get file() {
      return path();
    },
    async set(reference, secret) {
      const all = JSON.parse(await readFile(path(), 'utf8'));
      all[reference] = secret;
      await writeFile(path(), JSON.stringify(all));
    },
  };
}
