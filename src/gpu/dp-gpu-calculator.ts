/**
 * A DP model or a DP ensemble on WebGPU as a nanostudio AsyncCalculator — the GPU counterpart
 * of DpCalculator / DpEnsembleCalculator (src/core/potentials/dp/), for the CLI
 * (`--engine webgpu`) and the browser worker.
 *
 *   const calc = await DpGpuCalculator.create(device, [m0, m1, m2, m3]);
 *   const r = await calc.compute(frame);   // r.energy (eV), r.forces (eV/Å), r.virial (eV), r.deviation
 *   calc.destroy();
 *
 * All models are evaluated in the same dispatches (they must share one architecture). The
 * returned energy/forces/virials are those of model 0 (as LAMMPS `pair_style deepmd`) or the
 * mean over models (`reduce: 'mean'`); per-model results and the model deviation (docs/dp-se.md §8,
 * same formulas as `modelDeviation`) come along. Float32 on the device, biases and energy sums
 * in float64. Buffers are reused between calls with the same number of atoms; the neighbour
 * list is rebuilt only when an atom moved more than skin/2 since the last call.
 */
/// <reference types="@webgpu/types" />
import type { Frame } from '../core/atoms.ts';
import { reduceModels, type AsyncCalculator, type CalcProperty, type CalcResult } from '../core/potentials/calculator.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { classifyDeviation, modelDeviation, type DeviationClass, type DeviationOptions, type ModelDeviation, type TrustLevels } from '../core/potentials/dp/deviation.ts';
import { DpGpuEngine, type DpGpuEngineOptions } from './dp-engine.ts';

export interface DpGpuCalculatorOptions extends DpGpuEngineOptions {
  /** Name shown in summaries. */
  name?: string;
  /** Which result the calculator returns as its own: model 0 (default) or the mean. */
  reduce?: 'model0' | 'mean';
  /** Relative deviation levels. */
  deviation?: DeviationOptions;
  /** Trust levels for the good/decent/poor classification. */
  trust?: TrustLevels;
  /** Called when a neighbour list was truncated to sel. Default: console.warn. */
  onWarning?: (message: string) => void;
}

/** Result of one evaluation (all CalcResult fields present). */
export interface DpGpuCalcResult extends CalcResult {
  energy: number;
  forces: Float64Array;
  virial: Float64Array;
  atomicEnergies: Float64Array;
  atomicVirials: Float64Array;
  /** Per-model results (one entry for a single model). */
  models: Required<Pick<CalcResult, 'energy' | 'forces' | 'virial' | 'atomicEnergies' | 'atomicVirials'>>[];
  /** Model deviation (present with two or more models). */
  deviation?: ModelDeviation & { class?: DeviationClass };
  /** Atoms whose neighbour list was truncated to sel. */
  truncatedAtoms: number;
}

export class DpGpuCalculator implements AsyncCalculator {
  readonly name: string;
  readonly implementedProperties: readonly CalcProperty[];
  readonly reduce: 'model0' | 'mean';
  private readonly onWarning: (message: string) => void;

  private constructor(readonly engine: DpGpuEngine, private readonly opts: DpGpuCalculatorOptions) {
    const nm = engine.nmodels;
    this.reduce = opts.reduce ?? 'model0';
    this.implementedProperties = nm > 1 ? ['virial', 'atomicEnergies', 'atomicVirials', 'models', 'deviation'] : ['virial', 'atomicEnergies', 'atomicVirials', 'models'];
    this.name = opts.name ?? (nm === 1 ? `DP se_e2_a [${engine.models[0].typeMap.join(' ')}] (WebGPU)` : `DP ensemble of ${nm} (WebGPU, ${this.reduce === 'mean' ? 'mean' : 'model 0'} forces)`);
    this.onWarning = opts.onWarning ?? ((m) => console.warn(`warning: ${m}`));
  }

  /** Compile the kernels and upload the models (one architecture) once. Throws for unsupported models. */
  static async create(device: GPUDevice, models: DpModel[], opts: DpGpuCalculatorOptions = {}): Promise<DpGpuCalculator> {
    return new DpGpuCalculator(await DpGpuEngine.create(device, models, opts), opts);
  }

  /** Energy (eV), forces (eV/Å), virial and per-atom virials (eV), per-model results and deviation of a frame. */
  async compute(frame: Frame): Promise<DpGpuCalcResult> {
    const r = await this.engine.evaluate(frame, { virials: true });
    if (r.truncatedAtoms > 0) {
      const d = this.engine.models[0].descriptor;
      this.onWarning(`${r.truncatedAtoms} atom(s) have more neighbours within rcut = ${d.rcut} Å than sel [${d.sel.join(', ')}] allows; kept the nearest as DeePMD-kit v3 does — the energy surface is discontinuous there`);
    }
    const models = r.models.map((m) => ({ energy: m.energy, forces: m.forces, virial: m.virial!, atomicEnergies: m.atomicEnergies, atomicVirials: m.atomicVirials! }));
    const base = reduceModels(models, this.reduce);
    const out: DpGpuCalcResult = { ...base, models, truncatedAtoms: r.truncatedAtoms };
    if (models.length > 1) {
      const dev: ModelDeviation & { class?: DeviationClass } = modelDeviation(models, this.opts.deviation);
      if (this.opts.trust) dev.class = classifyDeviation(dev, this.opts.trust);
      out.deviation = dev;
    }
    return out;
  }

  /** Release the GPU buffers (the device stays with its owner). */
  destroy(): void {
    this.engine.destroy();
  }
}
