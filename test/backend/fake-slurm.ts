/**
 * Stand-ins for the Slurm commands (squeue, sbatch, sacct, scontrol, scancel) as small sh scripts
 * in a folder, for tests of our side (SlurmClient's reading of their output, the executor's
 * driver). They are not the thing under test.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder with one executable sh script per command (body after `#!/bin/sh`). */
export function fakeBin(scripts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ns-fake-slurm-'));
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}
