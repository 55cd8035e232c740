/**
 * The one calculator protocol of nanostudio (after ASE's Calculator): every potential — LJ,
 * EAM, a DP model, a DP ensemble, a GPU engine, a reference labeler (EAM, CP2K) — turns a Frame
 * into energy and forces. It comes in two flavours of the same shape: `Calculator` (synchronous,
 * the float64 CPU path) and `AsyncCalculator` (GPU engines, external programs). Each says which
 * properties it implements (`implementedProperties`, as ASE's `implemented_properties`), so a
 * driver can ask for what it needs up front (`requireProperties`) instead of finding an
 * `undefined` later. Drivers (MD, optimizers, BHMC, the CLI, the worker, the labeling jobs) take
 * a calculator and never know which one it is.
 *
 * A calculation that cannot give a result throws (`CalculationError` or a subclass naming the
 * reason); callers that must keep going (a labeling job) turn the error into a failed record.
 *
 * Units: energy eV, forces eV/Å (3N, xyz interleaved), virial eV (row-major 3×3,
 * W = −Σ r_ij ⊗ F_ij convention of DeePMD/LAMMPS: stress = −virial / V).
 */
import type { Frame } from '../atoms.ts';
import type { DeviationClass, ModelDeviation } from './dp/deviation.ts';

/** The properties a calculator may implement (energy and forces always). */
export type CalcProperty = 'energy' | 'forces' | 'virial' | 'atomicEnergies' | 'atomicVirials' | 'models' | 'deviation';

/** Properties of one model's result. */
export interface ModelResult {
  /** Total potential energy, eV. */
  energy: number;
  /** Forces, eV/Å, length 3N. */
  forces: Float64Array;
  /** Virial, eV, row-major 3×3 (length 9). */
  virial?: Float64Array;
  /** Per-atom energies, eV, length N. */
  atomicEnergies?: Float64Array;
  /** Per-atom virials, eV, length 9N. */
  atomicVirials?: Float64Array;
}

export interface CalcResult extends ModelResult {
  /** Ensembles: the result of each model, in the order of the models. */
  models?: ModelResult[];
  /** Ensembles: the model deviation of this frame (with its class when trust levels were given). */
  deviation?: ModelDeviation & { class?: DeviationClass };
}

interface CalculatorInfo {
  /** A short human-readable name (e.g. "EAM Cu_u3.eam", "LJ eps=1 sigma=1"). */
  readonly name: string;
  /** What `compute` returns besides energy and forces (ASE's implemented_properties). */
  readonly implementedProperties: readonly CalcProperty[];
  /** Release resources (GPU buffers, child processes); the calculator is unusable afterwards. */
  destroy?(): void;
}

/** A synchronous calculator (the float64 CPU path). */
export interface Calculator extends CalculatorInfo {
  /** Compute energy, forces and the implemented properties of a frame. Throws on failure. */
  compute(frame: Frame): CalcResult;
}

/** The same protocol, asynchronous (GPU engines, external programs); `signal` aborts a running calculation. */
export interface AsyncCalculator extends CalculatorInfo {
  compute(frame: Frame, signal?: AbortSignal): Promise<CalcResult>;
}

/** Either flavour: what a driver that awaits its forces accepts. */
export type AnyCalculator = Calculator | AsyncCalculator;

/** A calculation that gave no result; `message` says why. */
export class CalculationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CalculationError';
  }
}

/** A driver asked for a property the calculator does not implement. */
export class MissingPropertyError extends CalculationError {
  constructor(readonly calculator: string, readonly missing: CalcProperty[], purpose: string) {
    super(`${calculator} does not compute ${missing.join(', ')} (needed for ${purpose})`);
    this.name = 'MissingPropertyError';
  }
}

/** Whether `calc` computes property `p` (energy and forces always). */
export function implementsProperty(calc: Pick<CalculatorInfo, 'implementedProperties'>, p: CalcProperty): boolean {
  return p === 'energy' || p === 'forces' || calc.implementedProperties.includes(p);
}

/** Throw a MissingPropertyError unless `calc` implements every property in `props`. */
export function requireProperties(calc: Pick<CalculatorInfo, 'name' | 'implementedProperties'>, props: readonly CalcProperty[], purpose: string): void {
  const missing = props.filter((p) => !implementsProperty(calc, p));
  if (missing.length > 0) throw new MissingPropertyError(calc.name, missing, purpose);
}

/** Mean of equally long arrays (ensemble 'mean' reduction). */
function meanOf(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays[0].length);
  for (const a of arrays) for (let i = 0; i < out.length; i++) out[i] += a[i];
  for (let i = 0; i < out.length; i++) out[i] /= arrays.length;
  return out;
}

/**
 * An ensemble's own result from its models' results: model 0 (as LAMMPS `pair_style deepmd`
 * and DP-GEN exploration) or the mean over models. Every model must carry every field.
 */
export function reduceModels<R extends Required<ModelResult>>(models: R[], reduce: 'model0' | 'mean'): Required<ModelResult> {
  if (reduce === 'model0' || models.length === 1) {
    const m = models[0];
    return { energy: m.energy, forces: m.forces, virial: m.virial, atomicEnergies: m.atomicEnergies, atomicVirials: m.atomicVirials };
  }
  return {
    energy: models.reduce((s, r) => s + r.energy, 0) / models.length,
    forces: meanOf(models.map((r) => r.forces)),
    virial: meanOf(models.map((r) => r.virial)),
    atomicEnergies: meanOf(models.map((r) => r.atomicEnergies)),
    atomicVirials: meanOf(models.map((r) => r.atomicVirials)),
  };
}

/** The asynchronous flavour of a synchronous calculator (same name, properties and results). */
export function asAsync(calc: Calculator): AsyncCalculator {
  return {
    name: calc.name,
    implementedProperties: calc.implementedProperties,
    compute: async (frame) => calc.compute(frame),
    destroy: calc.destroy ? () => calc.destroy!() : undefined,
  };
}
