/**
 * Accuracy of a trained ensemble on frames that were never in its data: EAM-driven Langevin MD of
 * Cu147 at 300 K and 900 K, a periodic fcc cell (108 atoms) at 600 K and a fcc(111) slab at 600 K;
 * every saved frame (after equilibration) is evaluated by the reference EAM and by every model.
 * Reports model 0 and ensemble-mean errors (energy per atom and force components: RMSE, MSE) and
 * the ensemble's force deviation max_devi_f (mean and 95th percentile). Units: eV/atom, eV/Å.
 *
 *   npx tsx src/loop/accuracy.ts MODELDIR [N_MODELS=4] [EAM=Cu_mishin1.eam.alloy] > accuracy.json
 */
import type { Frame } from '../core/atoms.ts';
import { errorMetrics } from '../core/analysis/errors.ts';
import { bulk, repeatFrame } from '../core/build/bulk.ts';
import { icosahedron } from '../core/build/icosahedron.ts';
import { surface } from '../core/build/surface.ts';
import { initLangevin, langevin } from '../core/md/langevin.ts';
import { runMd } from '../core/md/run-md.ts';
import { withMaxwellBoltzmann } from '../core/md/velocities.ts';
import { DpEnsembleCalculator } from '../core/potentials/dp/ensemble.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import type { Calculator } from '../core/potentials/calculator.ts';
import { loadEamFile } from '../node/eam-file.ts';
import { loadEnsemble } from './train.ts';

export interface AccuracyRow {
  system: string;
  frames: number;
  atoms: number;
  model0: { energyPerAtom: { rmse: number; mse: number }; force: { rmse: number; mse: number } };
  mean: { energyPerAtom: { rmse: number; mse: number }; force: { rmse: number; mse: number } };
  maxDeviF: { mean: number; p95: number; max: number };
}

/** Reference frames: EAM Langevin MD (dt 1 fs), `frames` saved every `every` steps after `equil` steps. */
export function referenceFrames(eam: Calculator, start: Frame, temperatureK: number, seed: number, equil = 500, frames = 20, every = 50): Frame[] {
  const s0 = initLangevin(withMaxwellBoltzmann(start, temperatureK, seed, { zeroAngularMomentum: false }), eam, { dt: 1, temperatureK, seed: seed + 1 });
  const eq = runMd(langevin, s0, eam, { steps: equil, saveEvery: equil, saveInitial: false });
  return runMd(langevin, eq.state, eam, { steps: frames * every, saveEvery: every, saveInitial: false }).frames
    .map((f) => ({ symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc }));
}

function quantile(a: number[], q: number): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
}

/** Errors of an ensemble against the reference calculator on the given frames. */
export function ensembleAccuracy(system: string, frames: Frame[], ref: Calculator, models: DpModel[]): AccuracyRow {
  const ens = new DpEnsembleCalculator(models, { onWarning: () => {} });
  const e0: number[] = [], em: number[] = [], er: number[] = [], f0: number[] = [], fm: number[] = [], fr: number[] = [], dev: number[] = [];
  for (const f of frames) {
    const n = f.symbols.length;
    const r = ref.compute(f);
    const p = ens.compute(f);
    er.push(r.energy / n);
    e0.push(p.models[0].energy / n);
    em.push(p.models.reduce((s, m) => s + m.energy, 0) / p.models.length / n);
    for (let k = 0; k < r.forces.length; k++) {
      fr.push(r.forces[k]);
      f0.push(p.models[0].forces[k]);
      fm.push(p.models.reduce((s, m) => s + m.forces[k], 0) / p.models.length);
    }
    dev.push(p.deviation.max_devi_f);
  }
  const pick = (pred: number[], refv: number[]) => { const m = errorMetrics(pred, refv); return { rmse: m.rmse, mse: m.mse }; };
  return {
    system, frames: frames.length, atoms: frames[0].symbols.length,
    model0: { energyPerAtom: pick(e0, er), force: pick(f0, fr) },
    mean: { energyPerAtom: pick(em, er), force: pick(fm, fr) },
    maxDeviF: { mean: dev.reduce((a, b) => a + b, 0) / dev.length, p95: quantile(dev, 0.95), max: Math.max(...dev) },
  };
}

/** The four unseen test systems. */
export async function measure(models: DpModel[], eamFile: string): Promise<AccuracyRow[]> {
  const eam = await loadEamFile(eamFile);
  const cu147 = icosahedron('Cu', 4);
  return [
    ensembleAccuracy('Cu147 icosahedron, 300 K', referenceFrames(eam, cu147, 300, 11), eam, models),
    ensembleAccuracy('Cu147 icosahedron, 900 K', referenceFrames(eam, cu147, 900, 12), eam, models),
    ensembleAccuracy('fcc bulk 3×3×3 (108 atoms), 600 K', referenceFrames(eam, repeatFrame(bulk('Cu', 'fcc', { cubic: true }), [3, 3, 3]), 600, 13), eam, models),
    ensembleAccuracy('fcc(111) slab 3×3×5 (45 atoms), 600 K', referenceFrames(eam, surface('Cu', 'fcc111', [3, 3, 5], { vacuum: 8 }), 600, 14), eam, models),
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/src\//, '/src/'))) {
  const [dir, n = '4', eamFile = 'Cu_mishin1.eam.alloy'] = process.argv.slice(2);
  if (!dir) throw new Error('usage: npx tsx src/loop/accuracy.ts MODELDIR [N_MODELS] [EAM_FILE]');
  const rows = await measure(await loadEnsemble(dir, Number(n)), eamFile);
  console.log(JSON.stringify(rows, null, 1));
}
