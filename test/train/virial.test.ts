/**
 * The virial loss in training (DeePMD's pref_v term): on EAM-labeled periodic fcc Cu cells with
 * virials, training with pref_v lowers the virial RMSE well below the same training without it;
 * frames without a virial label are left out of that term (find_virial = 0) and reported as such.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eamBulkFrames } from './data.ts';
import { trainModel, modelRmse, initModelWithStats } from '../../src/core/train/index.ts';
import type { LabeledFrame, TrainResult, TrainSettings } from '../../src/core/train/types.ts';

const base: TrainSettings = {
  arch: { typeMap: ['Cu'], rcut: 4.5, rcutSmth: 1.0, sel: 'auto', embedding: [4, 8], axisNeuron: 2, fitting: [8, 8] },
  numSteps: 600, startLr: 3e-3, stopLr: 1e-4, decaySteps: 50, progressEvery: 100, validationFraction: 0,
};
const quiet = { onWarning: () => {} };

describe('virial loss', () => {
  let data: LabeledFrame[];
  let withV: TrainResult;
  let withoutV: TrainResult;
  beforeAll(async () => {
    data = await eamBulkFrames(16, 2);
    withV = await trainModel(data, { ...base, startPrefV: 10, limitPrefV: 10 }, { ...quiet, seed: 3 });
    withoutV = await trainModel(data, base, { ...quiet, seed: 3 });
  });

  it('training with pref_v lowers the virial RMSE (vs the same run without it, and vs its start)', () => {
    const initial = modelRmse(initModelWithStats(base.arch, data, 3), data).rmseV!;
    console.log(`virial RMSE/atom: initial model ${initial.toExponential(3)}, final with pref_v ${withV.train.rmseV!.toExponential(3)} eV, without ${withoutV.train.rmseV!.toExponential(3)} eV; force RMSE ${withV.train.rmseF.toFixed(4)} vs ${withoutV.train.rmseF.toFixed(4)} eV/Å`);
    expect(withV.train.virialFrames).toBe(16);
    expect(withV.train.rmseV!).toBeLessThan(0.5 * withoutV.train.rmseV!);
    expect(withV.train.rmseV!).toBeLessThan(0.5 * initial);
    expect(withV.curve.every((p) => p.rmseV_per_atom !== undefined)).toBe(true);
    // the reported RMSE is DeePMD's rmse_v: sqrt(mean of the 9 squared component errors)/N, over the frames
    expect(modelRmse(withV.model, data).rmseV).toBeCloseTo(withV.train.rmseV!, 12);
  });

  it('frames without a virial label contribute nothing: the run equals one with pref_v = 0', async () => {
    const bare = data.map((d) => ({ ...d, virial: null }));
    const a = await trainModel(bare, { ...base, numSteps: 60, startPrefV: 0.1, limitPrefV: 1 }, { ...quiet, seed: 3 });
    const b = await trainModel(bare, { ...base, numSteps: 60 }, { ...quiet, seed: 3 });
    expect(a.curve).toEqual(b.curve);
    expect(a.train.rmseV).toBeUndefined();
    // a mixed set: only the labeled half counts in the virial RMSE
    const mixed = data.map((d, k) => (k % 2 ? { ...d, virial: null } : d));
    expect(modelRmse(withV.model, mixed).virialFrames).toBe(8);
  });

  it('a virial on a non-periodic frame or of the wrong length is a named error', async () => {
    const open = { ...data[0], frame: { ...data[0].frame, cell: null, pbc: [false, false, false] as [boolean, boolean, boolean] } };
    await expect(trainModel([open, data[1]], { ...base, numSteps: 2 }, { ...quiet, seed: 1 })).rejects.toThrow(/virial label needs a periodic cell/);
    await expect(trainModel([{ ...data[0], virial: new Float64Array(6) }, data[1]], { ...base, numSteps: 2 }, { ...quiet, seed: 1 })).rejects.toThrow(/virial must be 9 finite numbers/);
  });
});
