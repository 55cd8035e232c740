/** Shared helpers of the backend tests: small Cu frames and a temporary data folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { Rng } from '../../src/core/random.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import { Store } from '../../src/backend/store/store.ts';
import { EamLabeler } from '../../src/backend/labelers/eam.ts';
import { labelFrame } from '../../src/backend/labelers/labeler.ts';

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

/** A store at `path` (default a new temp folder's db.sqlite) with one data set of four Cu13 frames labeled by the bundled EAM. */
export async function labeledStore(path = join(tempDir(), 'db.sqlite')): Promise<{ store: Store; path: string; datasetId: number }> {
  const store = Store.open(path);
  const ds = store.datasets.create('cu13');
  const frames = cuFrames(4, 0.2, 5).map((f) => makeFrame(f.symbols, f.positions.flat()));
  const ids = store.frames.addMany(ds.id, frames.map((frame) => ({ frame, provenance: {} })));
  const eam = await EamLabeler.load();
  for (let i = 0; i < ids.length; i++) store.labels.recordForJob(null, ids[i], eam.name, await labelFrame(eam, frames[i]), 0);
  return { store, path, datasetId: ds.id };
}
