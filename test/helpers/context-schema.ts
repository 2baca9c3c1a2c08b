import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const schema: object = JSON.parse(
  readFileSync(new URL('../../schemas/context-object.v1.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv({ allErrors: true, strict: true });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

/** Throws with ajv's messages unless `value` is a valid context object v1. */
export function assertValidContext(value: unknown): void {
  if (!validate(value)) throw new Error(`context object invalid: ${ajv.errorsText(validate.errors)}`);
}

/** A queued context object as tests read it back (sections loosely typed; the schema checks the shape). */
export interface QueuedContext {
  readonly meta: Record<string, unknown>;
  readonly conversation: Record<string, unknown>;
  readonly message: Record<string, unknown>;
  readonly processing: Record<string, unknown>;
}
