// `tsx src/cli/main.ts …` (package.json's `npm run nanostudio -- …`, and the command the issues quote)
// runs the CLI like bin/nanostudio.mjs: it printed nothing and exited 0 while main.ts only exported main().
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('CLI entry points', () => {
  it('tsx src/cli/main.ts runs the command: usage errors exit 2 with the usage, no command prints the help', () => {
    const tsx = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
    const bad = run([tsx, 'src/cli/main.ts', 'bhmc', '--bogus']);
    expect(bad.status, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/nanostudio bhmc: Unknown option '--bogus'/);
    expect(bad.stderr).toMatch(/usage: nanostudio bhmc --potential SPEC/);
    const none = run([tsx, 'src/cli/main.ts']);
    expect(none.status).toBe(2);
    expect(none.stdout).toMatch(/usage: nanostudio <command> \[options\]/);
  });

  it('bin/nanostudio.mjs (imports main.ts) runs a command once', () => {
    const r = run([join(ROOT, 'bin/nanostudio.mjs'), '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/usage: nanostudio <command>/g)).toHaveLength(1);
  });
});
