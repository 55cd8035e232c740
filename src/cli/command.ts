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
