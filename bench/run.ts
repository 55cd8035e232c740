/**
 * `npm run bench -- NAME [NAME...]`: run benchmarks by name (all when none is given).
 * Each benchmark is a module in bench/ exporting `run(): Promise<void>` that prints a table.
 * Benchmarks measure; tests never assert timings.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

// Names are the arguments that are neither flags nor a flag's value (`--steps 500`).
const args = process.argv.slice(2);
const wanted = args.filter((a, k) => !a.startsWith('-') && !(k > 0 && args[k - 1].startsWith('--') && !available.includes(a)));
if (process.argv.includes('--help') || process.argv.includes('--list')) {
  console.log(`benchmarks: ${available.join(', ')}\nusage: npm run bench -- [${available.join('|')}]`);
  process.exit(0);
}
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : available) {
  const file = resolve(dir, `${name}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n## ${name}\n`);
  const mod = (await import(pathToFileURL(file).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') {
    console.error(`bench/${name}.ts exports no run()`);
    process.exitCode = 1;
    continue;
  }
  await mod.run();
}
