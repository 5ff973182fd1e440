/**
 * The CLI's command shape. Each command declares its options once; the same declaration
 * drives parsing (node:util parseArgs, strict) and the `--help` text, so they cannot drift.
 */
import { parseArgs } from 'node:util';
import { closest } from './suggest';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Shown in help, e.g. `SECONDS`. */
  valueName?: string;
  description: string;
  default?: string;
  multiple?: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Positional arguments in help, e.g. `FILE...`. */
  positionals?: string;
  options: Record<string, OptionSpec>;
  examples?: string[];
  run(args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** A user error: printed as one line without a stack trace, exit code 2. */
export class UsageError extends Error {}

/**
 * The command could not do its job for a reason outside the program (a missing file, a busy
 * port, no data): printed as one line without a stack trace, exit code 1.
 */
export class CliFailure extends Error {}

/** `unknown option --timefram (did you mean --timeframe?)`, or a pointer to --help. */
function unknownOption(command: CliCommand, flag: string): UsageError {
  const names = [...Object.keys(command.options), 'help'].map((n) => `--${n}`);
  const guess = closest(flag.startsWith('--') ? flag : `-${flag}`, names);
  return new UsageError(
    guess !== undefined
      ? `unknown option ${flag} (did you mean ${guess}?)`
      : `unknown option ${flag} (see npm run pairdesk -- ${command.name} --help)`,
  );
}

export function parseCommandArgs(command: CliCommand, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  }
  // Unknown flags are found here rather than from parseArgs' message, which is long and
  // suggests `--` instead of the option the user probably meant. A value of a string option
  // (`--label --x`) is skipped, as parseArgs would take it as that value.
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-') continue;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : null;
    const spec = name !== null ? command.options[name] : undefined;
    if (!spec) throw unknownOption(command, arg.split('=')[0]);
    if (spec.type === 'string' && !arg.includes('=')) i++;
  }
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const values: ParsedArgs['values'] = { ...parsed.values };
    for (const [name, spec] of Object.entries(command.options)) {
      if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default;
    }
    return { values, positionals: parsed.positionals };
  } catch (error) {
    // parseArgs' own wording, e.g. "Option '--pair <value>' argument missing", made shorter.
    const message = (error as Error).message;
    const flag = /'(--?[^' <]+)/.exec(message)?.[1];
    if (flag !== undefined && /argument missing/.test(message)) {
      throw new UsageError(`${flag} needs a value`);
    }
    if (flag !== undefined && /does not take an argument/.test(message)) {
      throw new UsageError(`${flag} takes no value`);
    }
    throw new UsageError(message.split('\n')[0]);
  }
}

export function commandHelp(command: CliCommand): string {
  const lines = [
    `Usage: npm run pairdesk -- ${command.name}${command.positionals ? ` ${command.positionals}` : ''} [options]`,
    '',
    command.summary,
    '',
    'Options:',
  ];
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    const def = spec.default !== undefined ? ` (default ${spec.default})` : '';
    return [flag, `${spec.description}${def}`] as const;
  });
  rows.push(['--help', 'Show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  if (command.examples?.length) {
    lines.push('', 'Examples:');
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  return lines.join('\n');
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredString(args: ParsedArgs, name: string): string {
  const value = stringOption(args, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/**
 * A numeric option, or undefined when absent. Bounds: `min`/`max` inclusive, `above`/`below`
 * exclusive (e.g. Kalman δ in (0, 1)); a value outside them is a UsageError naming the range.
 */
export function numberOption(
  args: ParsedArgs,
  name: string,
  check: { min?: number; max?: number; above?: number; below?: number; integer?: boolean } = {},
): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  const bad =
    text.trim() === '' ||
    !Number.isFinite(value) ||
    (check.integer === true && !Number.isInteger(value)) ||
    (check.min !== undefined && value < check.min) ||
    (check.max !== undefined && value > check.max) ||
    (check.above !== undefined && value <= check.above) ||
    (check.below !== undefined && value >= check.below);
  if (bad) {
    const bounds = [
      check.min !== undefined ? `>= ${check.min}` : '',
      check.above !== undefined ? `> ${check.above}` : '',
      check.max !== undefined ? `<= ${check.max}` : '',
      check.below !== undefined ? `< ${check.below}` : '',
    ].filter(Boolean);
    // "an integer >= 2 and <= 100", "> 0 and < 1", or just "a number".
    const kind = check.integer ? 'an integer' : bounds.length > 0 ? '' : 'a number';
    const range = [kind, bounds.join(' and ')].filter(Boolean).join(' ');
    throw new UsageError(`--${name} must be ${range}, got "${text}"`);
  }
  return value;
}

/** A Binance USD-M perpetual symbol after upper-casing: letters and digits, e.g. 1000PEPEUSDT. */
export const SYMBOL_SHAPE = /^[A-Z0-9]{2,20}$/;

/** `btcusdt, ETHUSDT` → [`BTCUSDT`, `ETHUSDT`], each checked against Binance's symbol shape. */
export function symbolList(text: string): string[] {
  const symbols = text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s.length > 0);
  if (symbols.length === 0) throw new UsageError('--symbols needs at least one symbol');
  for (const symbol of symbols) {
    if (!SYMBOL_SHAPE.test(symbol)) {
      throw new UsageError(
        `--symbols: "${symbol}" is not a Binance symbol (2 to 20 letters and digits, e.g. BTCUSDT)`,
      );
    }
  }
  return [...new Set(symbols)];
}
