/**
 * The float64 CPU reference evaluator of a DP-SE model (docs/dp-se.md §3–4): energy, atomic energies,
 * forces (analytic reverse pass), virial and per-atom virial, for open clusters and periodic
 * cells of any shape and size (images of other atoms and of the atom itself are neighbours).
 * Cost is linear in the number of atoms.
 *
 * Units: positions Å; energy eV; forces eV/Å (3N, xyz interleaved); virial eV (row-major 3×3,
 * W = −Σ r_ij ⊗ F_ij, stress = −W/V); per-atom virial eV (9 per atom, [k*3+c], assigned to the
 * neighbour atom as DeePMD-kit does).
 */
import type { Frame } from '../../atoms.ts';
import type { CalcResult, Calculator } from '../calculator.ts';
import type { DpModel } from './model.ts';
import { mapSpeciesToTypes } from './model.ts';
import { SeADescriptor } from './descriptor-se-a.ts';
import { EnerFitting } from './fitting-ener.ts';
import { buildSeASlots, type SeASlots } from './nlist-slots.ts';
import { TABLE_MAX_ERROR, type TabulateOptions } from './tabulate.ts';

export interface DpEvalOptions {
  /** Also return per-atom descriptors (N × M·M<) and last-hidden fitting outputs. */
  descriptors?: boolean;
  /** Skip forces and virials (energies only). */
  energyOnly?: boolean;
  /** Precomputed slots (shared between ensemble members with the same rcut/sel/exclusions). */
  slots?: SeASlots;
}

/** Result of one DP evaluation (all CalcResult fields present). */
export interface DpResult extends CalcResult {
  energy: number;
  forces: Float64Array;
  virial: Float64Array;
  atomicEnergies: Float64Array;
  atomicVirials: Float64Array;
  /** Per-atom descriptor, N × (M·M<), when requested. */
  descriptors?: Float64Array;
  /** Per-atom output of the last hidden fitting layer, N × neuron[-1], when requested. */
  fittingLastHidden?: Float64Array;
  /** Neighbour statistics: atoms whose list was truncated to sel, largest per-type count. */
  neighbors: { truncatedAtoms: number; maxPerType: number[]; maxTotal: number };
}

/** Prepared evaluator of one model (networks and padding tables built once). Not re-entrant. */
export class DpEvaluator {
  readonly model: DpModel;
  private readonly descriptor: SeADescriptor;
  private readonly fitting: EnerFitting;

  /**
   * `opts.tabulate`: tabulated embedding nets (SeADescriptor; opt-in, default exact nets — the
   * reference). The product's CPU paths ask for them (CLI, studio); `tabulated` says whether they are used.
   */
  constructor(model: DpModel, opts: { tabulate?: TabulateOptions } = {}) {
    this.model = model;
    this.descriptor = new SeADescriptor(model, opts.tabulate);
    this.fitting = new EnerFitting(model);
  }

  /** Largest interpolation error of the embedding tables built (0 when none were asked for). */
  get tableError(): number {
    return this.descriptor.tableError;
  }

  /** True when the embedding nets are evaluated from tables (asked for, and within their error bound). */
  get tabulated(): boolean {
    return this.descriptor.tabulated;
  }

  /** Key under which neighbour slots can be shared with another model. */
  slotKey(): string {
    const m = this.model, d = m.descriptor;
    return JSON.stringify([m.typeMap, d.rcut, d.sel, d.excludeTypes, m.pairExcludeTypes]);
  }

  /** Model type index per atom of a frame (throws for species missing from type_map). */
  types(frame: Frame): Int32Array {
    return mapSpeciesToTypes(this.model, frame.symbols);
  }

  /** Neighbour slots of a frame for this model. */
  slots(frame: Frame, types: Int32Array = this.types(frame)): SeASlots {
    return buildSeASlots(frame, types, this.model);
  }

  /** Evaluate a frame. */
  evaluate(frame: Frame, opts: DpEvalOptions = {}): DpResult {
    const n = frame.symbols.length;
    if (frame.positions.length !== 3 * n) throw new Error(`positions has ${frame.positions.length} numbers, expected 3×${n}`);
    if (frame.pbc.some(Boolean) && !frame.cell) throw new Error('pbc is set but the frame has no cell');
    const types = this.types(frame);
    const s = opts.slots ?? this.slots(frame, types);
    const desc = this.descriptor;
    let maxEntries = 0;
    for (let i = 0; i < n; i++) maxEntries = Math.max(maxEntries, s.offsets[i + 1] - s.offsets[i]);
    const w = desc.makeWork(maxEntries);
    const atomicEnergies = new Float64Array(n);
    const forces = new Float64Array(3 * n);
    const atomicVirials = new Float64Array(9 * n);
    const descriptors = opts.descriptors ? new Float64Array(n * desc.dim) : undefined;
    const hiddenWidth = this.model.fitting.nets.networks[0]!.layers.at(-1)!.nIn;
    const fittingLastHidden = opts.descriptors ? new Float64Array(n * hiddenWidth) : undefined;
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const ti = types[i];
      if (this.fitting.isExcluded(ti) && !opts.descriptors) continue; // E_i = 0 and no gradient
      desc.forward(i, ti, types, s, w);
      if (descriptors) descriptors.set(w.D, i * desc.dim);
      const ei = this.fitting.energy(ti, w.D);
      if (fittingLastHidden && !this.fitting.isExcluded(ti)) fittingLastHidden.set(this.fitting.lastHidden(ti), i * hiddenWidth);
      atomicEnergies[i] = ei;
      energy += ei;
      if (opts.energyOnly || this.fitting.isExcluded(ti)) continue;
      const dD = this.fitting.gradient(ti);
      desc.backward(i, ti, s, w, dD, forces, atomicVirials);
    }
    const virial = new Float64Array(9);
    for (let i = 0; i < n; i++) for (let c = 0; c < 9; c++) virial[c] += atomicVirials[9 * i + c];
    const result: DpResult = {
      energy, forces, virial, atomicEnergies, atomicVirials,
      neighbors: { truncatedAtoms: s.truncatedAtoms, maxPerType: s.maxPerType, maxTotal: s.maxTotal },
    };
    if (descriptors) result.descriptors = descriptors;
    if (fittingLastHidden) result.fittingLastHidden = fittingLastHidden;
    return result;
  }
}

/**
 * What the CPU calculators' names say about the embedding: '' when tabulation was not asked
 * about (the reference), " · exact embedding nets" when turned off (false), else whether the
 * tables are used (and why not: their error above the bound).
 */
export function embeddingNote(evaluators: readonly DpEvaluator[], tabulate: TabulateOptions | false | undefined): string {
  if (tabulate === undefined) return '';
  if (tabulate === false) return ' · exact embedding nets';
  const n = evaluators.length, k = evaluators.filter((e) => e.tabulated).length;
  const worst = Math.max(...evaluators.filter((e) => !e.tabulated).map((e) => e.tableError), 0).toExponential(1);
  const bound = tabulate.maxError ?? TABLE_MAX_ERROR;
  if (k === n) return ' · tabulated embedding';
  if (k === 0) return ` · exact embedding nets (table error ${worst} > ${bound})`;
  return ` · tabulated embedding (${k} of ${n} models; the others' table error ${worst} > ${bound})`;
}

export interface DpCalculatorOptions {
  /**
   * Embedding nets from tables (DpEvaluator, default exact); `false` says "exact" in the name,
   * an object asks for tables (the name says whether they are used).
   */
  tabulate?: TabulateOptions | false;
  /** Name shown in summaries (default "DP <types>"). */
  name?: string;
  /** Called once per frame in which a neighbour list had to be truncated to sel. Default: console.warn. */
  onWarning?: (message: string) => void;
}

/** Warning text for a truncated neighbour list (v3 semantics applied). */
export function truncationWarning(model: DpModel, r: DpResult): string {
  return (
    `${r.neighbors.truncatedAtoms} atom(s) have more neighbours within rcut = ${model.descriptor.rcut} Å than sel allows ` +
    `(max per type [${r.neighbors.maxPerType.join(', ')}] vs sel [${model.descriptor.sel.join(', ')}], max total ${r.neighbors.maxTotal} vs ${model.descriptor.nnei}); ` +
    `kept the nearest as DeePMD-kit v3 does — the energy surface is discontinuous there`
  );
}

/** A single DP model as a nanostudio Calculator (float64 CPU reference). */
export class DpCalculator implements Calculator {
  readonly name: string;
  readonly implementedProperties = ['virial', 'atomicEnergies', 'atomicVirials'] as const;
  readonly evaluator: DpEvaluator;
  private readonly onWarning: (message: string) => void;

  constructor(readonly model: DpModel, opts: DpCalculatorOptions = {}) {
    this.evaluator = new DpEvaluator(model, { tabulate: opts.tabulate || undefined });
    this.name = (opts.name ?? `DP se_e2_a [${model.typeMap.join(' ')}] rc=${model.descriptor.rcut}`) + embeddingNote([this.evaluator], opts.tabulate);
    this.onWarning = opts.onWarning ?? ((m) => console.warn(`warning: ${m}`));
  }

  /** True when the embedding nets come from tables. */
  get tabulated(): boolean {
    return this.evaluator.tabulated;
  }

  /** Energy (eV), forces (eV/Å), virial (eV), atomic energies and virials of a frame. */
  compute(frame: Frame, opts: DpEvalOptions = {}): DpResult {
    const r = this.evaluator.evaluate(frame, opts);
    if (r.neighbors.truncatedAtoms > 0) this.onWarning(truncationWarning(this.model, r));
    return r;
  }
}
