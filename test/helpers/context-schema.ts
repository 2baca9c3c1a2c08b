import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const readSchema = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8'));

/** The producer's own schema: nothing undocumented passes (schemas/context-object.v1.strict.json). */
export const STRICT_SCHEMA = readSchema('context-object.v1.strict.json');
/** The consumers' contract (schemas/context-object.v1.json): accepts what a later 1.x adds. */
export const CONSUMER_SCHEMA = readSchema('context-object.v1.json');

export function compileSchema(schema: object) {
  const ajv = new Ajv({ allErrors: true, strict: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  const validate = ajv.compile(schema);
  return (value: unknown): string | undefined =>
    validate(value) ? undefined : ajv.errorsText(validate.errors);
}

const strict = compileSchema(STRICT_SCHEMA);

/** Throws with ajv's messages unless `value` is a valid context object v1 (the strict schema: the producer's tests). */
export function assertValidContext(value: unknown): void {
  const errors = strict(value);
  if (errors) throw new Error(`context object invalid: ${errors}`);
}

/**
 * The consumer schema as it must follow from the strict one: no `additionalProperties: false` anywhere, and
 * `handoff_reason` a string rather than an enum (a later 1.x adds reasons). Its own `$id`, title and descriptions.
 */
export function lenientOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lenientOf);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'description' || key === '$id' || key === 'title') continue;
    out[key] = key === 'handoff_reason' ? { type: 'string', minLength: 1 } : lenientOf(value);
  }
  return out;
}

/** A queued context object as tests read it back (sections loosely typed; the schema checks the shape). */
export interface QueuedContext {
  readonly meta: Record<string, unknown>;
  readonly conversation: Record<string, unknown>;
  readonly message: Record<string, unknown>;
  readonly processing: Record<string, unknown>;
}
