// The loop's duplicate check at selection counts every frame the data set holds, not only the
// labeled ones: a frame posted but not yet labeled (its label job in flight when a run was killed,
// or posted from the studio) is not posted and labeled a second time. The iteration is resumed at
// its labeling stage from exploration results written here (a task's result.json + traj.extxyz,
// as exploreTask leaves them) with a real two-model ensemble, in the style of resume.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import type { Frame } from '../../src/core/atoms.ts';
import { writeExtxyz } from '../../src/core/io/extxyz.ts';
import { Rng } from '../../src/core/random.ts';
import { readPlan } from '../../src/loop/plan.ts';
import { EmbeddedStore } from '../../src/loop/store.ts';
import { iterDir, modelDir, runIteration } from '../../src/loop/iteration.ts';
import { taskPaths, type TaskResult } from '../../src/loop/explore.ts';
import { memberFile } from '../../src/loop/train.ts';
import { structureKey } from '../../src/loop/select.ts';
import { tempDir } from '../backend/helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let store: EmbeddedStore | null = null;
afterAll(async () => { await store?.close(); });

/** Cu13 icosahedra with seeded random displacements of ±0.15 Å (Å). */
function candidates(n: number): Frame[] {
  const base = icosahedron('Cu', 2);
  const rng = new Rng(11);
  return Array.from({ length: n }, () => ({ ...base, positions: base.positions.map((x) => x + 0.15 * (2 * rng.uniform() - 1)) }));
}

describe('loop selection: stored frames count as known', () => {
  it('a candidate equal to a stored but unlabeled frame is not selected again', async () => {
    const dir = tempDir('ns-loop-dup-');
    const plan = readPlan('plans/demo-cu.yaml');
    store = EmbeddedStore.open(dir);
    const ds = await store.ensureDataset('dup', 'test');
    const cands = candidates(3);
    // Stored, never labeled.
    await store.addFrames(ds, [{ frame: cands[1], provenance: { source: 'studio' } }]);

    // Iteration 0 at its labeling stage: ensemble attached, exploration done with 3 candidates.
    const it0 = await store.openIteration(ds, 'labeling', 'it 0');
    mkdirSync(modelDir(dir, 0), { recursive: true });
    for (const k of [0, 1]) copyFileSync(join(ROOT, `public/models/cu_eam_demo_${k}.dp`), memberFile(modelDir(dir, 0), k));
    await store.attachEnsemble(it0.id, { name: 'e', settings: {}, trainingFrames: [],
      models: [0, 1].map((k) => ({ seed: k, content: new Uint8Array(readFileSync(memberFile(modelDir(dir, 0), k))), metrics: {}, learningCurve: [] })) });
    const { lo, hi } = plan.trust.cluster;
    const task = join(iterDir(dir, 0), 'explore', 'clusters-13-t0');
    mkdirSync(task, { recursive: true });
    writeFileSync(taskPaths(task).traj, writeExtxyz(cands));
    const result: TaskResult = { id: 'clusters-13-t0', system: 'clusters', kind: 'cluster', engine: 'cpu', stopped: null, seconds: 1,
      frames: cands.map((_, k) => ({ step: 10 * k, maxDeviF: lo + (0.2 + 0.2 * k) * (hi - lo), cls: 'decent' })) };
    writeFileSync(taskPaths(task).result, JSON.stringify(result));

    const logs: string[] = [];
    const out = await runIteration({ plan, dir, store, datasetId: ds, labeler: { kind: 'eam', file: 'Cu_mishin1.eam.alloy' }, models: 2, seed: 1,
      engine: 'cpu', threads: 1, log: (m) => logs.push(m) }, 0);
    expect(out.summary.status).toBe('done');
    const mine = (await store.frameStates(ds)).filter((f) => f.iterationId === it0.id);
    expect(mine, logs.join('\n')).toHaveLength(2);
    expect(mine.every((f) => f.label === 'ok')).toBe(true);
    const keys = (await store.storedFrames(ds)).map(structureKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    expect(new Set(keys)).toEqual(new Set(cands.map(structureKey)));
  });
});
