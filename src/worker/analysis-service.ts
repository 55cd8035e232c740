/**
 * The studio's analyses, run off the UI thread (analysis.worker.ts exposes this with comlink;
 * tests call it directly in Node). Plain data in and out. Each long computation reports its
 * progress (0..1) through a callback so the page can show a progress bar and stay responsive.
 * Units: Å, eV, eV/atom, eV/Å, K.
 */
import { makeFrame, type Frame } from '../core/atoms.ts';
import { loadDpModel } from '../core/potentials/dp/load.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { DpCalculator } from '../core/potentials/dp/evaluator.ts';
import { Eam } from '../core/potentials/eam.ts';
import { LennardJones } from '../core/potentials/lj.ts';
import type { Calculator } from '../core/potentials/calculator.ts';
import { cnDistribution } from '../core/analysis/coordination.ts';
import { descriptorMap, dpDescriptorRows, type DescriptorRows } from '../core/analysis/descriptor-map.ts';
import { forceMetricsOf, parityData, type ParityData } from '../core/analysis/parity.ts';
import { errorMetrics, type ErrorMetrics } from '../core/analysis/errors.ts';
import type { MeltingPoint } from '../core/analysis/melting.ts';
import { Simulation } from './simulation.ts';
import { MeltingRun, meltingSimParams, type MeltingResult, type MeltingRunParams } from './melting-run.ts';

/** A structure as plain data. */
export interface FrameInput {
  symbols: string[];
  positions: Float64Array | number[];
  cell?: Float64Array | number[] | null;
  pbc?: [boolean, boolean, boolean];
}

/** A named group of frames (a data set, a run, a reference structure). */
export interface FrameGroup {
  label: string;
  frames: FrameInput[];
}

export interface PcnResult {
  label: string;
  /** P(CN) for CN = 0 … cn.length−1 (fractions summing to 1). */
  cn: number[];
  p: number[];
  atoms: number;
}

export interface DescriptorMapOutput {
  /** Which descriptor: the DP descriptor of the named model (we do not compute SOAP). */
  descriptor: string;
  /** Descriptor length per atom. */
  length: number;
  /** n × 2 (PC1, PC2) per atom of every group, in input order. */
  xy: Float64Array;
  /** Per row: group index, frame index within the group, atom index. */
  group: Int32Array;
  frame: Int32Array;
  atom: Int32Array;
  /** Fraction of the total variance along PC1 and PC2. */
  explained: [number, number];
}

/** A labeled frame (reference energy eV, forces eV/Å) with an id to open it again. */
export interface LabeledInput extends FrameInput {
  id: number | string;
  /** Optional grouping for per-group metrics (e.g. "iteration 2"). */
  group?: string;
  energy: number;
  forces: Float64Array | number[];
}

/** Which potential drives a melting run. */
export type PotentialChoice =
  | { kind: 'dp' }
  | { kind: 'eam'; name: string; text: string }
  | { kind: 'lj'; epsilon: number; sigma: number; rc?: number };

export function toFrame(f: FrameInput): Frame {
  return makeFrame(f.symbols, Float64Array.from(f.positions), f.cell ? Float64Array.from(f.cell) : null, f.pbc ?? [false, false, false]);
}

export class AnalysisService {
  private model: DpModel | null = null;
  private modelName = '';
  private run: MeltingRun | undefined;

  /** Load the DP model whose descriptor and energies the analyses use (model 0 of an ensemble). */
  async setModel(file: { name: string; bytes: Uint8Array }): Promise<{ name: string; typeMap: string[] }> {
    this.model = await loadDpModel(file.bytes, file.name, { onWarning: () => {} });
    this.modelName = file.name;
    return { name: file.name, typeMap: [...this.model.typeMap] };
  }

  /** Stop a running melting ladder after the chunk of steps in flight (its points so far are returned). */
  cancel(): void {
    this.run?.stop();
  }

  private requireModel(what: string): DpModel {
    if (!this.model) throw new Error(`${what} needs a DP model: load an ensemble first`);
    return this.model;
  }

  /** P(CN) of each group with one cutoff (Å). */
  coordination(groups: FrameGroup[], cutoffA: number): PcnResult[] {
    return groups.filter((g) => g.frames.length > 0).map((g) => ({ label: g.label, ...cnDistribution(g.frames.map(toFrame), cutoffA) }));
  }

  /** Per-atom DP descriptors of all groups, PCA to 2-D. */
  descriptorMap(groups: FrameGroup[], onProgress?: (fraction: number) => void): DescriptorMapOutput {
    const model = this.requireModel('the descriptor map');
    const all = groups.flatMap((g, gi) => g.frames.map((f, fi) => ({ gi, fi, frame: toFrame(f) })));
    if (all.length === 0) throw new Error('the descriptor map needs at least one frame');
    const rows: DescriptorRows = dpDescriptorRows(model, all.map((a) => a.frame), (x) => onProgress?.(0.5 * x));
    if (rows.n < 2) throw new Error('the descriptor map needs at least 2 atoms');
    const map = descriptorMap(rows, { onProgress: (x) => onProgress?.(0.5 + 0.5 * x) });
    const group = new Int32Array(rows.n), frame = new Int32Array(rows.n);
    for (let r = 0; r < rows.n; r++) { group[r] = all[rows.frame[r]].gi; frame[r] = all[rows.frame[r]].fi; }
    const tv = map.pca.totalVariance || 1;
    return {
      descriptor: `DP se_e2_a descriptor of ${this.modelName}`,
      length: rows.d, xy: map.xy, group, frame, atom: rows.atom,
      explained: [map.pca.variances[0] / tv, (map.pca.variances[1] ?? 0) / tv],
    };
  }

  /** The loaded model (model 0) against labeled frames. */
  parity(frames: LabeledInput[], onProgress?: (fraction: number) => void): ParityData & { ids: (number | string)[]; model: string; groups: { group: string; frames: number; energyPerAtom: ErrorMetrics; force: ErrorMetrics }[] } {
    const model = this.requireModel('the parity plot');
    const calc = new DpCalculator(model, { onWarning: () => {} });
    const p = parityData(calc, frames.map((f) => ({ frame: toFrame(f), energy: f.energy, forces: f.forces })), { onProgress });
    // Per-group metrics (e.g. per iteration) aggregated from the per-frame sums.
    const names = [...new Set(frames.map((f) => f.group ?? 'all'))];
    const groups = names.length < 2 ? [] : names.map((g) => {
      const idx = frames.map((f, k) => ((f.group ?? 'all') === g ? k : -1)).filter((k) => k >= 0);
      return { group: g, frames: idx.length, energyPerAtom: errorMetrics(idx.map((k) => p.energyPerAtom.pred[k]), idx.map((k) => p.energyPerAtom.ref[k])), force: forceMetricsOf(p, idx) };
    });
    return { ...p, ids: frames.map((f) => f.id), model: this.modelName, groups };
  }

  private calculator(p: PotentialChoice): Calculator {
    if (p.kind === 'dp') return new DpCalculator(this.requireModel('a DP melting run'), { onWarning: () => {} });
    if (p.kind === 'eam') return Eam.fromText(p.text, p.name);
    return new LennardJones({ epsilon: p.epsilon, sigma: p.sigma, rc: p.rc });
  }

  /**
   * A heating ladder on the CPU (float64 Langevin NVT per rung, velocities drawn at the first
   * rung's T with the seed); reports each rung as it finishes. Asynchronous in chunks of steps,
   * so cancel() acts after the chunk in flight; the points so far are returned.
   */
  async melting(
    structure: FrameInput,
    potential: PotentialChoice,
    params: MeltingRunParams,
    onRung?: (point: MeltingPoint, progress: number) => void,
    onProgress?: (progress: number) => void,
  ): Promise<MeltingResult> {
    this.run?.stop();
    const frame = toFrame(structure);
    const sim = new Simulation(frame, this.calculator(potential), meltingSimParams(params));
    const run = new MeltingRun(sim, { natoms: frame.symbols.length, pbc: frame.pbc }, params, { onRung, onProgress });
    this.run = run;
    try {
      return await run.loop();
    } finally {
      if (this.run === run) this.run = undefined;
      sim.destroy();
    }
  }
}
