/** Registry of `nanostudio` subcommands (add a new command here). */
import type { Command } from '../command.ts';
import { buildCommand } from './build.ts';
import { evalCommand } from './eval.ts';
import { relaxCommand } from './relax.ts';
import { bhmcCommand } from './bhmc.ts';
import { serveCommand } from './serve.ts';
import { labelCommand } from './label.ts';
import { trainCommand } from './train.ts';
import { mdCommand } from './md.ts';
import { loopCommand } from './loop.ts';

export const commands: Command[] = [
  buildCommand,
  evalCommand,
  relaxCommand,
  bhmcCommand,
  serveCommand,
  labelCommand,
  trainCommand,
  mdCommand,
  loopCommand,
];
