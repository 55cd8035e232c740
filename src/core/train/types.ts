/**
 * Public types of the built-in DP-SE trainer. Units: lengths Å, energies eV, forces eV/Å,
 * learning rates in the units of the parameters per unit loss (dimensionless for Adam).
 */
import type { Frame } from '../atoms.ts';
import type { DpModel, JsonObject } from '../potentials/dp/model.ts';
import type { RngState } from '../random.ts';

/** One labeled training frame: a configuration with its reference energy and forces. */
export interface LabeledFrame {
  frame: Frame;
  /** Total potential energy, eV. */
  energy: number;
  /** Forces, eV/Å, length 3N (xyz interleaved). */
  forces: Float64Array;
  /**
   * Virial, eV, row-major 3×3 (W = −Σ r_ij ⊗ F_ij, DeePMD's sign: stress = −W/V), of a periodic
   * frame; absent/null = no virial label (the frame adds nothing to the virial loss).
   */
  virial?: Float64Array | null;
}

/** DeePMD's automatic sel: "auto" (ratio 1.1) or "auto:<ratio>". */
export type AutoSel = 'auto' | `auto:${number}`;

/** se_e2_a + ener architecture (DeePMD-kit input keys in the comments). */
export interface DpArchitecture {
  /** Element symbol per type (`type_map`). */
  typeMap: string[];
  /** Cutoff radius, Å (`descriptor.rcut`). */
  rcut: number;
  /** Start of the smooth switch, Å (`descriptor.rcut_smth`, DeePMD default 0.5). */
  rcutSmth: number;
  /**
   * Maximum neighbours per neighbour type (`descriptor.sel`), or DeePMD's "auto" / "auto:ratio":
   * 4·ceil(int(max neighbours in the training frames × ratio)/4) per type, ratio 1.1 (resolved by
   * trainModel / resolveAutoSel; initDpModel needs numbers).
   */
  sel: number[] | AutoSel;
  /** Embedding widths (`descriptor.neuron`, DeePMD default [10, 20, 40]). */
  embedding: number[];
  /** `descriptor.axis_neuron` (DeePMD default 4). */
  axisNeuron: number;
  /** Fitting hidden widths (`fitting_net.neuron`, DeePMD default [120, 120, 120]). */
  fitting: number[];
  /** `descriptor.resnet_dt` (timestep idt on embedding skips; DeePMD default false). */
  embeddingResnetDt?: boolean;
  /** `fitting_net.resnet_dt` (DeePMD default true). */
  fittingResnetDt?: boolean;
  /** `descriptor.type_one_side` (DeePMD input default false). */
  typeOneSide?: boolean;
  /** Activation of every hidden layer; only 'tanh' (the DeePMD default) is supported. */
  activation?: 'tanh';
}

/** Training settings (defaults follow DeePMD-kit and the paper's settings). */
export interface TrainSettings {
  arch: DpArchitecture;
  /** Number of optimiser steps (`training.numb_steps`). */
  numSteps: number;
  /** Frames per step (default 1). The loss is the mean of the per-frame losses. */
  batchSize?: number;
  /** Learning rate at step 0 (default 1e-3). */
  startLr?: number;
  /** Learning rate at the last step (default 3.5e-8, the paper). */
  stopLr?: number;
  /** Steps between learning-rate decays (default 2000; DeePMD replaces it when ≥ numSteps). */
  decaySteps?: number;
  /** Energy-loss prefactor at the start / limit (defaults 0.02 → 1). */
  startPrefE?: number;
  limitPrefE?: number;
  /** Force-loss prefactor at the start / limit (defaults 1000 → 1). */
  startPrefF?: number;
  limitPrefF?: number;
  /**
   * Virial-loss prefactor at the start / limit (DeePMD's start_pref_v / limit_pref_v, defaults 0 → 0:
   * no virial term). Only frames that carry a virial contribute to it.
   */
  startPrefV?: number;
  limitPrefV?: number;
  /** Fraction of frames held out for validation (default 0.1; at least one frame when there are ≥ 2). */
  validationFraction?: number;
  /** Seed of the train/validation split (default 0: the same split for every ensemble member). */
  splitSeed?: number;
  /** A curve point and an onProgress call every this many steps (default 100, and at the last step). */
  progressEvery?: number;
  /** Validation frames evaluated at each curve point (default 8; 0 = none). */
  curveValidationFrames?: number;
  /** Use at most this many training frames for davg/dstd and the energy bias (default: all). */
  statFrames?: number;
  /** Adam β1, β2, ε (defaults 0.9, 0.999, 1e-8 as torch.optim.Adam). */
  adamBeta1?: number;
  adamBeta2?: number;
  adamEps?: number;
}

/** One point of the learning curve. */
export interface CurvePoint {
  step: number;
  /** Learning rate at this step. */
  lr: number;
  /** Mean training loss over the steps since the previous point (DeePMD loss units, eV²/Å² for forces). */
  loss: number;
  /** RMS energy error per atom over the frames since the previous point, eV/atom. */
  rmseE_per_atom: number;
  /** RMS force-component error over the frames since the previous point, eV/Å. */
  rmseF: number;
  /** Validation RMS energy error per atom on up to curveValidationFrames frames, eV/atom. */
  valRmseE_per_atom?: number;
  /** Validation RMS force-component error, eV/Å. */
  valRmseF?: number;
  /** RMS virial error per atom over the virial-labeled frames since the previous point, eV/atom (absent without any). */
  rmseV_per_atom?: number;
  valRmseV_per_atom?: number;
}

/** RMS errors of a model on a set of frames. */
export interface RmseSummary {
  /** sqrt(mean over frames of ((E − E_ref)/N)²), eV/atom (NaN for an empty set). */
  rmseE: number;
  /** sqrt(mean over all force components of (F − F_ref)²), eV/Å (NaN for an empty set). */
  rmseF: number;
  /** Number of frames. */
  frames: number;
  /** sqrt(mean over virial-labeled frames of mean_kc (W − W_ref)²/N²), eV/atom (DeePMD's rmse_v); absent without such frames. */
  rmseV?: number;
  /** Frames with a virial label. */
  virialFrames?: number;
}

export interface TrainResult {
  model: DpModel;
  curve: CurvePoint[];
  train: RmseSummary;
  validation: RmseSummary;
  seed: number;
  /** Wall time, s, and optimiser steps per second. */
  seconds: number;
  stepsPerSecond: number;
  /** Indices (into the input data) of the validation frames. */
  validationIndices: number[];
}

/** What onProgress receives. */
export interface TrainProgress extends CurvePoint {
  numSteps: number;
  seed: number;
  /** Elapsed wall time, s. */
  seconds: number;
}

export interface TrainOptions {
  /** Seed of the initial weights and of the frame shuffling. */
  seed: number;
  onProgress?: (p: TrainProgress) => void;
  /** Cancels training: trainModel rejects with the signal's reason (an AbortError). */
  signal?: AbortSignal;
  /** Non-fatal remarks (neighbour lists truncated to sel, …). Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Yield to the event loop at least this often, ms (default 50; needed for cancellation messages). */
  yieldEveryMs?: number;
  /**
   * Start from this model's weights and statistics (davg/dstd, biases) instead of a new random
   * model (DeePMD's --init-model); settings.arch is then ignored. Needs uniform davg/dstd per type.
   */
  initModel?: DpModel;
  /** Continue a run from this checkpoint (same data, settings and seed); initModel is then ignored. */
  resume?: TrainCheckpoint;
  /** Call onCheckpoint after every this many steps (counted from step 0). */
  checkpointEvery?: number;
  /** Call onCheckpoint when this many seconds of wall time have passed since the last one (or the start). */
  checkpointSeconds?: number;
  /** Receives each checkpoint (awaited when it returns a promise); with checkpointEvery/Seconds. */
  onCheckpoint?: (cp: TrainCheckpoint) => void | Promise<void>;
}

/**
 * A resumable snapshot of one training run after `step` optimiser steps: plain JSON-serialisable
 * data (numbers, strings, arrays; JSON.stringify → JSON.parse gives it back exactly). Resuming
 * from it (TrainOptions.resume) continues bit-identically to an uninterrupted run.
 */
export interface TrainCheckpoint {
  kind: 'nanostudio-train-checkpoint';
  version: 1;
  /** TrainOptions.seed of the run. */
  seed: number;
  /** Optimiser steps completed (0 … numSteps). */
  step: number;
  numSteps: number;
  /** Number of labeled frames given to trainModel (a guard against resuming on other data). */
  frames: number;
  /** The settings that determine the parameters (arch, schedules, prefactors, split, Adam), as resolved at the start. */
  settings: Record<string, unknown>;
  /** The model with the current parameters and its statistics: `serializeDpModel` output (DeePMD-kit v3 dict). */
  model: JsonObject;
  /** Adam state: step count t and the first/second moments (layout of the flat parameter vector). */
  adam: { t: number; m: number[]; v: number[] };
  /** Batch shuffling: generator state, the current epoch's permutation and the position in it. */
  shuffle: { rng: RngState; order: number[]; cursor: number };
  /** Schedule position for the next step: learning rate and loss prefactors (informational; derived from step). */
  schedule: { lr: number; prefE: number; prefF: number; prefV: number };
  /** Learning curve so far and the running sums of the window since its last point. */
  curve: CurvePoint[];
  window: { loss: number; se: number; sf: number; nf: number; sv: number; nv: number; frames: number; steps: number };
  /** The curve point with the lowest validation force RMSE (training force RMSE without validation), or null. */
  best: CurvePoint | null;
  /** Training wall time so far, s. */
  seconds: number;
}
