/**
 * Local relaxation as an ask–tell state machine around FIRE or L-BFGS, and a `relax()` loop.
 *
 *   let st = relaxInit(frame, opts);
 *   while (!st.done) st = relaxStep(st, calc.compute(relaxPending(st)));
 *
 * Every evaluated structure is recorded as a frame carrying its energy (info.energy, eV),
 * fmax (info.fmax, eV/Å) and forces (arrays.forces, eV/Å): the trajectory is training data.
 * Converged when the largest force on a free atom is below fmax (eV/Å), strictly.
 * The caller owns the calculator, so a UI can pause between evaluations and async (GPU)
 * calculators fit the same machine.
 */
import { cloneFrame, type Frame } from '../atoms.ts';
import type { AsyncCalculator, CalcResult, Calculator } from '../potentials/calculator.ts';
import { fireInit, fireStep, type FireParams, type FireState } from './fire.ts';
import { lbfgsInit, lbfgsStep, type LbfgsParams, type LbfgsState } from './lbfgs.ts';
import { fixedMask, maxAtomForce } from './fmax.ts';

export type OptimizerName = 'fire' | 'lbfgs';

/** A frame with its energy and forces: info.energy (eV), info.fmax (eV/Å), arrays.forces (eV/Å). */
export type EvaluatedFrame = Frame & { arrays: { forces: Float64Array }; info: Record<string, string | number | boolean> };

export interface RelaxOptions {
  /** Optimizer, default 'fire'. */
  optimizer?: OptimizerName;
  /** Convergence threshold on the largest atomic force, eV/Å (default 0.05). */
  fmax?: number;
  /** Largest number of optimizer steps (default 1000). */
  maxSteps?: number;
  /** 0-based indices of atoms held fixed. */
  fixed?: number[];
  /** Optimizer parameters (FIRE or L-BFGS; `fixed` above takes precedence). */
  fire?: Omit<FireParams, 'fixed'>;
  lbfgs?: Omit<LbfgsParams, 'fixed'>;
  /**
   * Record every evaluated frame (default true). false keeps only the latest energy and fmax, and
   * the final frame once done (basin hopping without trajectories: no copy of the path, the same
   * optimizer steps); `frames` is empty while such a relaxation runs.
   */
  record?: boolean;
}

export interface RelaxState {
  opt: FireState | LbfgsState;
  frames: EvaluatedFrame[];
  /** Energy of every recorded frame, eV. */
  energies: number[];
  /** fmax of every recorded frame, eV/Å. */
  fmaxes: number[];
  /** Optimizer steps taken. */
  steps: number;
  done: boolean;
  converged: boolean;
  /** Why the relaxation stopped without converging (non-finite energy or forces), if it did. */
  error?: string;
  fmax: number;
  maxSteps: number;
  mask: Uint8Array;
  record: boolean;
}

export interface RelaxResult {
  /** Every evaluated frame (only the final one when record is false). */
  frames: EvaluatedFrame[];
  energies: number[];
  converged: boolean;
  /** Optimizer steps taken (frames.length − 1 when recording). */
  steps: number;
  /** Final structure, energy (eV) and fmax (eV/Å). */
  final: EvaluatedFrame;
  energy: number;
  fmax: number;
  error?: string;
}

/** Start a relaxation of `frame` (copied). */
export function relaxInit(frame: Frame, opts: RelaxOptions = {}): RelaxState {
  const fmax = opts.fmax ?? 0.05;
  const maxSteps = opts.maxSteps ?? 1000;
  if (!(fmax > 0)) throw new Error(`fmax must be a positive force in eV/Å, got ${fmax}`);
  if (!Number.isInteger(maxSteps) || maxSteps < 0) throw new Error(`maxSteps must be a non-negative integer, got ${maxSteps}`);
  const name = opts.optimizer ?? 'fire';
  let opt: FireState | LbfgsState;
  if (name === 'fire') opt = fireInit(frame, { ...opts.fire, fixed: opts.fixed });
  else if (name === 'lbfgs') opt = lbfgsInit(frame, { ...opts.lbfgs, fixed: opts.fixed });
  else throw new Error(`unknown optimizer '${String(name)}' (fire or lbfgs)`);
  return {
    opt, frames: [], energies: [], fmaxes: [], steps: 0, done: false, converged: false,
    fmax, maxSteps, mask: fixedMask(frame.symbols.length, opts.fixed), record: opts.record ?? true,
  };
}

/** The structure whose energy and forces the next relaxStep needs. */
export function relaxPending(state: RelaxState): Frame {
  return state.opt.frame;
}

/**
 * Take the calculator result for relaxPending(state): record the frame, test convergence,
 * and otherwise move the optimizer. Returns the new state (the old one is not modified).
 */
export function relaxStep(state: RelaxState, result: CalcResult): RelaxState {
  if (state.done) return state;
  const fm = maxAtomForce(result.forces, state.mask);
  const error = !Number.isFinite(result.energy) || !Number.isFinite(fm);
  const converged = !error && fm < state.fmax;
  const last = error || converged || state.steps >= state.maxSteps;
  const label = (): EvaluatedFrame => {
    const frame = cloneFrame(state.opt.frame) as EvaluatedFrame;
    frame.arrays = { forces: Float64Array.from(result.forces) };
    frame.info = { ...(frame.info ?? {}), energy: result.energy, fmax: fm, step: state.steps };
    return frame;
  };
  // Without recording, only the final frame is labeled (no copy of every evaluated structure).
  const next: RelaxState = state.record
    ? { ...state, frames: [...state.frames, label()], energies: [...state.energies, result.energy], fmaxes: [...state.fmaxes, fm] }
    : { ...state, frames: last ? [label()] : [], energies: [result.energy], fmaxes: [fm] };
  if (error) return { ...next, done: true, error: `non-finite energy or forces at step ${state.steps} (E = ${result.energy} eV)` };
  if (converged) return { ...next, done: true, converged: true };
  if (last) return { ...next, done: true };
  const opt = state.opt.kind === 'fire' ? fireStep(state.opt, result.forces) : lbfgsStep(state.opt, result.forces, result.energy);
  return { ...next, opt, steps: state.steps + 1 };
}

/** Summary of a finished (or stopped) relaxation. */
export function relaxResult(state: RelaxState): RelaxResult {
  const last = state.frames.length - 1;
  if (last < 0) throw new Error('relaxResult: no frame evaluated yet');
  return {
    frames: state.frames,
    energies: state.energies,
    converged: state.converged,
    steps: state.steps,
    final: state.frames[last],
    energy: state.energies[last],
    fmax: state.fmaxes[last],
    ...(state.error ? { error: state.error } : {}),
  };
}

/**
 * Relax `frame` with `calc` until the largest free-atom force is below opts.fmax (eV/Å) or
 * opts.maxSteps optimizer steps were taken. `onStep(state)` is called after every evaluation.
 */
export function relax(frame: Frame, calc: Calculator, opts: RelaxOptions & { onStep?: (s: RelaxState) => void } = {}): RelaxResult {
  let st = relaxInit(frame, opts);
  while (!st.done) {
    st = relaxStep(st, calc.compute(relaxPending(st)));
    opts.onStep?.(st);
  }
  return relaxResult(st);
}

/** relax() with an asynchronous (GPU) calculator; same options and result. */
export async function relaxAsync(frame: Frame, calc: AsyncCalculator, opts: RelaxOptions & { onStep?: (s: RelaxState) => void } = {}): Promise<RelaxResult> {
  let st = relaxInit(frame, opts);
  while (!st.done) {
    st = relaxStep(st, await calc.compute(relaxPending(st)));
    opts.onStep?.(st);
  }
  return relaxResult(st);
}
