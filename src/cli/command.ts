import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The shape of a `nanostudio` subcommand. */
export interface Command {
  /** Name as typed after `nanostudio`. */
  name: string;
  /** One line for `nanostudio --help`. */
  summary: string;
  /** Full usage text for `nanostudio NAME --help`. */
  usage: string;
  /** Run with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/**
 * True for the errors main() answers with the command's usage and exit code 2: a UsageError, or
 * any option-parsing error of node's util.parseArgs (unknown option, missing value, stray
 * positional: codes ERR_PARSE_ARGS_*), so no command needs its own try/catch around parseArgs.
 */
export function isUsageError(e: unknown): e is Error {
  if (e instanceof UsageError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** node:util parseArgs option declarations. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** The parsed values of options declared by O (strict, no positionals). */
export type OptionValuesOf<O extends OptionSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>>['values'];

/**
 * A subcommand whose options are declared once: `run` gets them parsed strictly (an unknown
 * option, a missing value or a positional is a usage error, see isUsageError).
 */
export function optionCommand<O extends OptionSpec>(info: { name: string; summary: string; usage: string; options: O }, run: (values: OptionValuesOf<O>) => Promise<number>): Command {
  return {
    name: info.name,
    summary: info.summary,
    usage: info.usage,
    run: (argv) => run(parseArgs({ args: argv, options: info.options, strict: true, allowPositionals: false }).values),
  };
}
