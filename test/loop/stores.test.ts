// The loop's two stores (embedded SQLite + job runner, and a real `nanostudio serve` over HTTP)
// behave the same on the operations a loop uses; both feed the one iteration model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/backend/server.ts';
import { EmbeddedStore, HttpStore, type LoopStore } from '../../src/loop/store.ts';
import { frameFromInput } from '../../src/backend/schemas.ts';
import { TOKEN, cuFrames, tempDir } from '../backend/helpers.ts';

describe.each(['embedded', 'http'] as const)('%s loop store', (kind) => {
  let store: LoopStore;
  let service: Service | undefined;
  beforeAll(async () => {
    if (kind === 'http') {
      process.env.NANOSTUDIO_TOKEN = TOKEN;
      service = await startService({ dataDir: tempDir('ns-loop-http-'), port: 0, logger: false });
      store = new HttpStore(service.url, TOKEN);
    } else {
      store = EmbeddedStore.open(tempDir('ns-loop-emb-'));
    }
  });
  afterAll(async () => {
    await store.close();
    await service?.close();
    delete process.env.NANOSTUDIO_TOKEN;
  });

  it('data set, frames, label job, iteration with exploration and an attached ensemble', async () => {
    const ds = await store.ensureDataset('loop-store', 'test');
    expect(await store.ensureDataset('loop-store', 'test')).toBe(ds);
    const it0 = await store.openIteration(ds, 'training', 'it 0');
    expect(it0).toMatchObject({ number: 0, status: 'training', note: 'it 0' });
    const frames = cuFrames(3).map((f) => frameFromInput(f).frame);
    const initIds = await store.addFrames(ds, [{ frame: frames[0], provenance: { source: 'init:test' } }]);
    const ids = await store.addFrames(ds, frames.slice(1).map((frame) => ({ frame, provenance: { source: 'loop', iterationId: it0.id, maxDeviF: 0.2 } })));
    let states = await store.frameStates(ds);
    expect(states).toEqual([
      { id: initIds[0], iterationId: null, source: 'init:test', label: null },
      ...ids.map((id) => ({ id, iterationId: it0.id, source: 'loop', label: null })),
    ]);
    // stored frames include the unlabeled ones, with their structures
    const stored = await store.storedFrames(ds);
    expect(stored.map((f) => Array.from(f.positions))).toEqual(frames.map((f) => Array.from(f.positions)));
    expect(stored.map((f) => f.symbols)).toEqual(frames.map((f) => f.symbols));
    await store.waitForLabelJobs(ds, () => {});
    await store.label(ds, [...initIds, ...ids], { kind: 'eam', file: 'Cu_mishin1.eam.alloy' }, () => {});
    states = await store.frameStates(ds);
    expect(states.map((s) => s.label)).toEqual(['ok', 'ok', 'ok']);
    const labeled = await store.labeledFrames(ds);
    expect(labeled.map((l) => l.id)).toEqual([...initIds, ...ids]);
    expect(labeled[0].forces).toHaveLength(39);
    expect(labeled[0].energy).toBeLessThan(-30); // Cu13 with Mishin's EAM: about −3.3 eV/atom
    await store.postExploration(it0.id, { system: 'clusters', kind: 'cluster', frames: 5, accurate: 2, candidate: 2, failed: 1, trustLo: 0.1, trustHi: 0.6 });
    const ens = await store.attachEnsemble(it0.id, { name: 'e', settings: { steps: 1 }, trainingFrames: [...initIds, ...ids],
      models: [1, 2].map((seed) => ({ seed, content: new Uint8Array([seed, 2, 3]), metrics: { rmseEnergyPerAtomTrain: 0.01 * seed, rmseForceTrain: 0.1 * seed }, learningCurve: [{ step: 1, loss: 2 }] })) });
    const done = await store.patchIteration(it0.id, { status: 'done', stageSeconds: { train: 2 } });
    expect(done).toMatchObject({ status: 'done', ensembleId: ens, framesSelected: 2, framesLabeled: 2, datasetSize: 3, stageSeconds: { train: 2 },
      exploration: [{ system: 'clusters', accurate: 2 }] });
    expect(done.rmse.train!.energyPerAtom).toBeCloseTo(0.015, 12);
    expect((await store.iterations(ds)).map((i) => i.status)).toEqual(['done']);
  });
});
