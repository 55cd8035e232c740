/** Shared helpers of the backend tests: small Cu frames and a temporary data folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { Rng } from '../../src/core/random.ts';

export const TOKEN = 'test-token-0123456789abcdef';

export function tempDir(prefix = 'ns-backend-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** n Cu13 icosahedra (Å) with seeded random displacements of ±amp Å, as API frames. */
export function cuFrames(n: number, amp = 0.1, seed = 7): Array<{ symbols: string[]; positions: number[][] }> {
  const base = icosahedron('Cu', 2);
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => ({
    symbols: [...base.symbols],
    positions: Array.from({ length: base.symbols.length }, (_, i) => [0, 1, 2].map((k) => base.positions[3 * i + k] + amp * (2 * rng.uniform() - 1))),
  }));
}
