/**
 * An ensemble of DP models as one Calculator: every model evaluates the frame (neighbour slots
 * shared between models with the same rcut/sel/exclusions), the returned energy/forces/virials
 * are those of model 0 by default — as LAMMPS `pair_style deepmd m0 m1 …` and DP-GEN exploration
 * do (the trajectory follows model 0, the others only measure the deviation) — or the mean over
 * models with `reduce: 'mean'`. Per-model results and the model deviation (docs/dp-se.md §8) come along.
 */
import type { Frame } from '../../atoms.ts';
import { reduceModels, type CalcResult, type Calculator } from '../calculator.ts';
import type { DpModel } from './model.ts';
import { DpEvaluator, embeddingNote, truncationWarning, type DpResult } from './evaluator.ts';
import type { TabulateOptions } from './tabulate.ts';
import { classifyDeviation, modelDeviation, type DeviationClass, type DeviationOptions, type ModelDeviation, type TrustLevels } from './deviation.ts';
import type { SeASlots } from './nlist-slots.ts';

export interface EnsembleResult extends CalcResult {
  energy: number;
  forces: Float64Array;
  virial: Float64Array;
  atomicEnergies: Float64Array;
  atomicVirials: Float64Array;
  /** Per-model results, in the order of the models. */
  models: DpResult[];
  /** Model deviation of this frame (with its class when trust levels were given). */
  deviation: ModelDeviation & { class?: DeviationClass };
}

export interface DpEnsembleOptions {
  /** Which result the ensemble returns as its own: model 0 (default, as LAMMPS) or the mean. */
  reduce?: 'model0' | 'mean';
  /** Relative deviation levels. */
  deviation?: DeviationOptions;
  /** Trust levels for the good/decent/poor classification. */
  trust?: TrustLevels;
  name?: string;
  /** Called when a neighbour list was truncated to sel. Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Tabulated embedding nets per model (as DpCalculatorOptions.tabulate; default exact). */
  tabulate?: TabulateOptions | false;
}

export class DpEnsembleCalculator implements Calculator {
  readonly name: string;
  readonly implementedProperties = ['virial', 'atomicEnergies', 'atomicVirials', 'models', 'deviation'] as const;
  readonly evaluators: DpEvaluator[];
  readonly reduce: 'model0' | 'mean';
  private readonly opts: DpEnsembleOptions;
  private readonly onWarning: (message: string) => void;

  constructor(readonly modelList: DpModel[], opts: DpEnsembleOptions = {}) {
    if (modelList.length === 0) throw new Error('an ensemble needs at least one model');
    this.evaluators = modelList.map((m) => new DpEvaluator(m, { tabulate: opts.tabulate || undefined }));
    this.reduce = opts.reduce ?? 'model0';
    this.opts = opts;
    this.onWarning = opts.onWarning ?? ((m) => console.warn(`warning: ${m}`));
    this.name = (opts.name ?? `DP ensemble of ${modelList.length} (${this.reduce === 'mean' ? 'mean' : 'model 0'} forces)`) + embeddingNote(this.evaluators, opts.tabulate);
  }

  /** True when every model's embedding nets come from tables. */
  get tabulated(): boolean {
    return this.evaluators.every((e) => e.tabulated);
  }

  /** Evaluate every model and the deviation; energies eV, forces eV/Å, virials eV. */
  compute(frame: Frame): EnsembleResult {
    const shared = new Map<string, SeASlots>();
    const models = this.evaluators.map((ev) => {
      const key = ev.slotKey();
      let slots = shared.get(key);
      if (!slots) {
        slots = ev.slots(frame);
        shared.set(key, slots);
      }
      return ev.evaluate(frame, { slots });
    });
    const t = models.findIndex((r) => r.neighbors.truncatedAtoms > 0);
    if (t >= 0) this.onWarning(`model ${t}: ${truncationWarning(this.evaluators[t].model, models[t])}`);
    const deviation: ModelDeviation & { class?: DeviationClass } = modelDeviation(models, this.opts.deviation);
    if (this.opts.trust) deviation.class = classifyDeviation(deviation, this.opts.trust);
    const base = reduceModels(models, this.reduce);
    return { ...base, models, deviation };
  }
}
