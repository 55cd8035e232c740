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
import { DpEnsembleCalculator } from '../core/potentials/dp/ensemble.ts';
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
  /** The backend iteration the frame was explored in (its id), when known. */
  iterationId?: number | null;
  energy: number;
  forces: Float64Array | number[];
}

/** Which potential drives a melting run. */
export type PotentialChoice =
  | { kind: 'dp'; model: ModelChoice }
  | { kind: 'eam'; name: string; text: string }
  | { kind: 'lj'; epsilon: number; sigma: number; rc?: number };

export function toFrame(f: FrameInput): Frame {
  return makeFrame(f.symbols, Float64Array.from(f.positions), f.cell ? Float64Array.from(f.cell) : null, f.pbc ?? [false, false, false]);
}

/** Which model of a loaded ensemble an analysis uses: one model by index, or the ensemble mean (energies, forces). */
export interface ModelChoice {
  /** Key the ensemble was loaded under (loadEnsemble). */
  ensemble: string;
  model: number | 'mean';
}

/** A loaded ensemble, as the page lists it. */
export interface EnsembleInfo { key: string; name: string; models: string[]; typeMap: string[] }

interface LoadedEnsemble { info: EnsembleInfo; models: DpModel[] }

/** At most this many ensembles stay loaded (the one in use and those of a few iterations). */
const MAX_ENSEMBLES = 6;

export class AnalysisService {
  private ensembles = new Map<string, LoadedEnsemble>();
  private run: MeltingRun | undefined;

  /** Load the DP models of an ensemble under `key` (replacing what was under it); every analysis names the key it uses. */
  async loadEnsemble(key: string, name: string, files: { name: string; bytes: Uint8Array }[]): Promise<EnsembleInfo> {
    if (files.length === 0) throw new Error(`ensemble ${name}: no model files`);
    const models = await Promise.all(files.map((f) => loadDpModel(f.bytes, f.name, { onWarning: () => {} })));
    const tm = models[0].typeMap.join(',');
    models.forEach((m, k) => {
      if (m.typeMap.join(',') !== tm) throw new Error(`ensemble ${name}: ${files[k].name} has type_map [${m.typeMap}], ${files[0].name} [${tm}]`);
    });
    const info: EnsembleInfo = { key, name, models: files.map((f) => f.name), typeMap: [...models[0].typeMap] };
    this.ensembles.delete(key);
    this.ensembles.set(key, { info, models });
    while (this.ensembles.size > MAX_ENSEMBLES) this.ensembles.delete(this.ensembles.keys().next().value!);
    return info;
  }

  /** The ensemble loaded under `key`, or null (the page then loads it). */
  ensembleInfo(key: string): EnsembleInfo | null {
    return this.ensembles.get(key)?.info ?? null;
  }

  private require(what: string, choice: ModelChoice | undefined): LoadedEnsemble {
    const e = choice ? this.ensembles.get(choice.ensemble) : undefined;
    if (!e) throw new Error(`${what} needs a DP model: load an ensemble first`);
    if (choice!.model !== 'mean' && !(Number.isInteger(choice!.model) && choice!.model >= 0 && choice!.model < e.models.length)) {
      throw new Error(`${what}: ${e.info.name} has models 0–${e.models.length - 1}, not ${String(choice!.model)}`);
    }
    return e;
  }

  /** "model 1 (name.dp) of <ensemble>" or "mean of the 4 models of <ensemble>". */
  private static describe(e: LoadedEnsemble, model: number | 'mean'): string {
    return model === 'mean' ? `mean of the ${e.models.length} models of ${e.info.name}` : `model ${model} (${e.info.models[model]}) of ${e.info.name}`;
  }

  private model(what: string, choice: ModelChoice | undefined): { model: DpModel; name: string } {
    const e = this.require(what, choice);
    if (choice!.model === 'mean') throw new Error(`${what} uses one model of the ensemble, not the mean`);
    return { model: e.models[choice!.model], name: AnalysisService.describe(e, choice!.model) };
  }

  /** The calculator of one model, or of the ensemble mean (energy and forces averaged over its models). */
  private dpCalculator(what: string, choice: ModelChoice | undefined): { calc: Calculator; name: string } {
    const e = this.require(what, choice);
    const m = choice!.model;
    const calc = m === 'mean' ? new DpEnsembleCalculator(e.models, { reduce: 'mean', onWarning: () => {} }) : new DpCalculator(e.models[m], { onWarning: () => {} });
    return { calc, name: AnalysisService.describe(e, m) };
  }

  /** Stop a running melting ladder after the chunk of steps in flight (its points so far are returned). */
  cancel(): void {
    this.run?.stop();
  }

  /** P(CN) of each group with one cutoff (Å). */
  coordination(groups: FrameGroup[], cutoffA: number): PcnResult[] {
    return groups.filter((g) => g.frames.length > 0).map((g) => ({ label: g.label, ...cnDistribution(g.frames.map(toFrame), cutoffA) }));
  }

  /** Per-atom DP descriptors (of one model of an ensemble) of all groups, PCA to 2-D. */
  descriptorMap(groups: FrameGroup[], choice: ModelChoice | undefined, onProgress?: (fraction: number) => void): DescriptorMapOutput {
    const { model, name } = this.model('the descriptor map', choice);
    const all = groups.flatMap((g, gi) => g.frames.map((f, fi) => ({ gi, fi, frame: toFrame(f) })));
    if (all.length === 0) throw new Error('the descriptor map needs at least one frame');
    const rows: DescriptorRows = dpDescriptorRows(model, all.map((a) => a.frame), (x) => onProgress?.(0.5 * x));
    if (rows.n < 2) throw new Error('the descriptor map needs at least 2 atoms');
    const map = descriptorMap(rows, { onProgress: (x) => onProgress?.(0.5 + 0.5 * x) });
    const group = new Int32Array(rows.n), frame = new Int32Array(rows.n);
    for (let r = 0; r < rows.n; r++) { group[r] = all[rows.frame[r]].gi; frame[r] = all[rows.frame[r]].fi; }
    const tv = map.pca.totalVariance || 1;
    return {
      descriptor: `DP se_e2_a descriptor of ${name}`,
      length: rows.d, xy: map.xy, group, frame, atom: rows.atom,
      explained: [map.pca.variances[0] / tv, (map.pca.variances[1] ?? 0) / tv],
    };
  }

  /** One model of an ensemble, or its mean, against labeled frames (energy per atom eV/atom, force components eV/Å). */
  parity(frames: LabeledInput[], choice: ModelChoice | undefined, onProgress?: (fraction: number) => void): ParityData & { ids: (number | string)[]; model: string; groups: { group: string; frames: number; energyPerAtom: ErrorMetrics; force: ErrorMetrics }[] } {
    const { calc, name } = this.dpCalculator('the parity plot', choice);
    const p = parityData(calc, frames.map((f) => ({ frame: toFrame(f), energy: f.energy, forces: f.forces })), { onProgress });
    // Per-group metrics (e.g. per iteration) aggregated from the per-frame sums.
    const names = [...new Set(frames.map((f) => f.group ?? 'all'))];
    const groups = names.length < 2 ? [] : names.map((g) => {
      const idx = frames.map((f, k) => ((f.group ?? 'all') === g ? k : -1)).filter((k) => k >= 0);
      return { group: g, frames: idx.length, energyPerAtom: errorMetrics(idx.map((k) => p.energyPerAtom.pred[k]), idx.map((k) => p.energyPerAtom.ref[k])), force: forceMetricsOf(p, idx) };
    });
    return { ...p, ids: frames.map((f) => f.id), model: name, groups };
  }

  private calculator(p: PotentialChoice): Calculator {
    if (p.kind === 'dp') return this.dpCalculator('a DP melting run', p.model).calc;
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
