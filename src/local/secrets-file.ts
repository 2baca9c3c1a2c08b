import { readFileSync, statSync } from 'node:fs';
import { ENV } from '../resources.js';

/** `{ credentials_reference: { field: value } }`, as Secrets Manager holds one JSON secret per reference. */
export type SecretsByReference = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** The secrets file cannot be used: its message names the file and the read or parse error. */
export class SecretsFileError extends Error {
  constructor(file: string, problem: string) {
    super(`secrets file ${file} (${ENV.localSecretsFile}): ${problem}`);
    this.name = 'SecretsFileError';
  }
}

/** Parses and checks the file's text; throws a SecretsFileError saying what is wrong with it. */
function parseSecrets(file: string, text: string): SecretsByReference {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SecretsFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SecretsFileError(file, 'must hold a JSON object of credentials_reference → secret');
  for (const [reference, secret] of Object.entries(parsed)) {
    if (secret === null || typeof secret !== 'object' || Array.isArray(secret))
      throw new SecretsFileError(
        file,
        `secret "${reference}" must be a JSON object (e.g. {"auth_token": …})`,
      );
  }
  return parsed as SecretsByReference;
}

function readSecrets(file: string): SecretsByReference {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SecretsFileError(file, `cannot read it (${code ?? (error as Error).message})`);
  }
  return parseSecrets(file, text);
}

/** What identifies a version of the file without reading it: an edit changes the mtime or the size. */
function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

/**
 * The local stack's secrets file, read and validated at start (a bad file stops `npm start` with its name and the
 * parse error) and re-read whenever its modification time or size changes (one `stat` per read: editors that save
 * by renaming defeat file watchers, a stat does not). A file broken by an edit keeps the last good secrets and
 * reports the problem once through `onReloadError`.
 */
export class SecretsFile {
  private secrets: SecretsByReference;
  private seen: string;
  /** Bumped on each successful re-read: caches in front of the file start over. */
  version = 0;

  constructor(
    readonly path: string,
    private readonly onReloadError: (message: string) => void = () => {},
  ) {
    this.seen = stamp(path);
    this.secrets = readSecrets(path);
  }

  /** The secrets as the file holds them now (or the last good ones, if the file is broken). */
  current(): SecretsByReference {
    const now = stamp(this.path);
    if (now === this.seen) return this.secrets;
    this.seen = now;
    try {
      this.secrets = readSecrets(this.path);
      this.version++;
    } catch (error) {
      this.onReloadError(`${(error as Error).message}; still using the secrets read before`);
    }
    return this.secrets;
  }
}
