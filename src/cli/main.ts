/**
 * `nanostudio` command-line entry point. Each subcommand lives in src/cli/commands/.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { commands } from './commands/index.ts';
import { isUsageError } from './command.ts';

function topHelp(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return [
    'nanostudio — machine-learning potentials for metal nanoparticles (DeePMD DP-SE, EAM, LJ)',
    '',
    'usage: nanostudio <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'Run `nanostudio <command> --help` for the options of a command.',
  ].join('\n');
}

/** Run the CLI with argv (without `node` and the script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(topHelp());
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`nanostudio: unknown command '${name}'\n\n${topHelp()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (isUsageError(e)) {
      console.error(`nanostudio ${name}: ${e.message}\n\n${cmd.usage}`);
      return 2;
    }
    console.error(`nanostudio ${name}: error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/** This module is the program itself (`tsx src/cli/main.ts …`, `npm run nanostudio -- …`), not imported. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main(process.argv.slice(2));
