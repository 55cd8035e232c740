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
