import { parseArgs } from 'node:util';
import { UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { COMMON_FLAGS, type CommandSpec, helpText } from './command-spec.js';
import { didYouMean } from './suggest.js';

export type FlagValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

export interface ParsedFlags {
  readonly values: FlagValues;
  readonly positionals: readonly string[];
  readonly help: boolean;
  readonly json: boolean;
}

export interface ParsedAction<A extends string> extends ParsedFlags {
  readonly action: A;
}

/**
 * A command group's line (`registry add|list`, `queues peek|drain [name]`): with `--help` the help is printed and
 * the result is `undefined`; else the first positional must be one of `actions`, and at most `maxPositionals` come.
 */
export function parseAction<A extends string>(
  spec: CommandSpec,
  argv: readonly string[],
  io: CliIo,
  actions: readonly A[],
  maxPositionals = 1,
): ParsedAction<A> | undefined {
  const parsed = parseFlags(spec, argv);
  if (parsed.help) {
    io.out(helpText(spec, io.env));
    return undefined;
  }
  const action = choice(parsed.positionals[0], actions, 'action', spec);
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, helpText(spec));
  return { ...parsed, action };
}

/** node:util parseArgs in strict mode; its errors become UsageErrors that carry the command's help. */
export function parseFlags(spec: CommandSpec, argv: readonly string[]): ParsedFlags {
  const options = Object.fromEntries(
    Object.entries({ ...spec.flags, ...COMMON_FLAGS }).map(([name, flag]) => [
      name,
      {
        type: flag.type,
        ...(flag.multiple ? { multiple: true } : {}),
        ...(flag.short ? { short: flag.short } : {}),
      },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    return {
      values: values as FlagValues,
      positionals,
      help: values.help === true,
      json: values.json === true,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : '';
    const unknown = /^Unknown option '(--?[^']*)'/.exec(message)?.[1];
    const names = Object.keys(options).map((name) => `--${name}`);
    const hint = unknown?.startsWith('--') ? didYouMean(unknown.split('=')[0] ?? unknown, names) : '';
    throw new UsageError(`${message || 'invalid arguments'}${hint}`, helpText(spec));
  }
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredFlag(values: FlagValues, name: string, spec: CommandSpec): string {
  const value = stringFlag(values, name);
  if (value === undefined || value === '')
    throw new UsageError(`missing required option --${name}`, helpText(spec));
  return value;
}

export function listFlag(values: FlagValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function booleanFlag(values: FlagValues, name: string): boolean {
  return values[name] === true;
}

export function numberFlag(
  values: FlagValues,
  name: string,
  range: {
    readonly min: number;
    readonly max: number;
    readonly fallback: number;
    readonly integer?: boolean;
  },
): number {
  const raw = stringFlag(values, name);
  if (raw === undefined) return range.fallback;
  const value = Number(raw);
  const integral = range.integer === false || Number.isInteger(value);
  if (raw.trim() === '' || !Number.isFinite(value) || !integral || value < range.min || value > range.max) {
    const kind = range.integer === false ? 'a number' : 'an integer';
    throw new UsageError(`--${name} must be ${kind} from ${range.min} to ${range.max} (got "${raw}")`);
  }
  return value;
}

/** The one positional a command group expects (`send whatsapp`, `queues peek`), checked against its choices. */
export function choice<T extends string>(
  value: string | undefined,
  choices: readonly T[],
  what: string,
  spec: CommandSpec,
): T {
  if (value === undefined)
    throw new UsageError(`missing ${what}: one of ${choices.join(', ')}`, helpText(spec));
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(
      `unknown ${what} "${value}": expected one of ${choices.join(', ')}${didYouMean(value, choices)}`,
      helpText(spec),
    );
  }
  return value as T;
}
