/**
 * The contract between the simulation worker and the UI for frames that runs produce.
 * Every saved MD frame and every BHMC relaxation frame becomes one `SavedFrame`, which the UI
 * keeps (IndexedDB), shows on the timeline and may send to the backend for labeling.
 * Plain data only (structured-clone safe). Units: Å, eV, eV/Å, fs, K.
 */
import type { MdEnsemble } from './md-ensembles.ts';

/** Which driver produced a run. */
export type RunKind = 'md' | 'bhmc';

/** Thermodynamic ensemble of an MD run (BHMC runs use 'bhmc'). */
export type RunEnsemble = MdEnsemble | 'bhmc';

/** One run (an MD trajectory or a BHMC chain), as the UI stores it. */
export interface RunInfo {
  /** Unique id (the UI makes it: e.g. `md-<time>-<n>`). */
  id: string;
  kind: RunKind;
  ensemble: RunEnsemble;
  /** Title of the starting structure (e.g. "Cu55 icosahedron"). */
  structure: string;
  /** Target temperature, K (BHMC: the Metropolis temperature). */
  temperatureK: number;
  /** MD time step, fs (BHMC: 0). */
  dtFs: number;
  /** Pressure for NPT, bar (otherwise absent). */
  pressureBar?: number;
  /** Engine that ran it: "webgpu" or "cpu", with a label (adapter or "float64"). */
  engine: string;
  /** Names of the ensemble's model files used for exploration. */
  models: string[];
  /** Id of the backend ensemble the models came from, if any. */
  ensembleId?: number | null;
  /** Trust levels used when the run was classified, eV/Å: [lo, hi). */
  trustLo: number;
  trustHi: number;
  seed: number;
  /** ISO time the run started. */
  startedAt: string;
}

/** Good (accurate) / decent (candidate) / poor (failed), DP-GEN's classes on max_devi_f. */
export type FrameClass = 'good' | 'decent' | 'poor';

/** One saved frame of a run. */
export interface SavedFrame {
  runId: string;
  /** MD step, or BHMC trial index × 10000 + relaxation step (monotone within a run). */
  step: number;
  /** Simulation time, fs (BHMC: 0). */
  timeFs: number;
  symbols: string[];
  /** Positions, Å, length 3N. */
  positions: Float64Array;
  /** Cell vectors as rows, Å, length 9; absent for open clusters. */
  cell?: Float64Array;
  pbc?: [boolean, boolean, boolean];
  /** Instantaneous temperature, K (BHMC: the Metropolis temperature). */
  temperatureK: number;
  /** Potential energy of model 0 (or the ensemble mean, as `energyKind` says), eV. */
  potentialEnergy: number;
  /** Kinetic energy, eV (BHMC: 0). */
  kineticEnergy: number;
  /** max_i ε_f,i, eV/Å (DeePMD model_devi.out max_devi_f). */
  maxDeviF: number;
  avgDeviF: number;
  /** Per-atom force deviation ε_f,i, eV/Å, length N. */
  atomicDeviF: Float64Array;
  /** Class with the run's trust levels; the UI may re-classify when the user changes them. */
  frameClass: FrameClass;
}
