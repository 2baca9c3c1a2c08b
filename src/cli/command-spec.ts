import { type CliEnv, DEFAULT_GATEWAY, defaultGateway } from './cli-env.js';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** Shown in help after the flag name, e.g. `URL`. */
  readonly placeholder?: string;
  readonly multiple?: boolean;
  readonly short?: string;
}

/** One command (or sub-command group): its flags, help text and examples, declared as data. */
export interface CommandSpec {
  /** Words after `replies-webhooks`, e.g. `queues peek|drain [name]`. */
  readonly usage: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly notes?: readonly string[];
  readonly examples?: readonly string[];
}

/** Every command accepts these. */
export const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: { type: 'boolean', description: 'machine-readable JSON on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const BIN = 'replies-webhooks';

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The help, with the default gateway URL replaced by the one PORT names, so its examples work as printed. */
export function helpText(spec: CommandSpec, env?: CliEnv): string {
  const flags = { ...spec.flags, ...COMMON_FLAGS };
  const rows = Object.entries(flags).map(([name, flag]) => {
    const short = flag.short ? `-${flag.short}, ` : '';
    const value = flag.type === 'string' ? ` ${flag.placeholder ?? 'VALUE'}` : '';
    const repeat = flag.multiple ? ' (repeatable)' : '';
    return [`${short}--${name}${value}`, `${flag.description}${repeat}`] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = [`Usage: ${BIN} ${spec.usage}`, '', ...wrap(spec.summary, 100), '', 'Options:'];
  for (const [left, right] of rows) lines.push(`  ${left.padEnd(width)}  ${right}`);
  if (spec.notes?.length) lines.push('', ...spec.notes);
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${BIN} ${e}`));
  return lines.join('\n').replaceAll(DEFAULT_GATEWAY, defaultGateway(env));
}
