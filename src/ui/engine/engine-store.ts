/**
 * UI state of the engine side (zustand): the engine status (adapter, kernel checks), the
 * engine a run uses and why, the MD run (parameters, live history for the plots, steps/s) and
 * the BHMC run (chain, minima). Filled by run-actions.ts from the worker's callbacks.
 */
import { create } from 'zustand';
import type { BhmcMinimumInfo, BhmcTrialInfo, EngineChoice, EnginePreference, EngineStatus, MdEnsemble, SimSnapshot } from '../../worker/api.ts';

export type RunPhase = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'stopped' | 'error';

/** Time series of the live plots (one entry per saved frame). */
export interface MdHistory {
  timeFs: number[];
  potential: number[];
  total: number[];
  temperature: number[];
  maxDeviF: number[];
}

export const emptyHistory = (): MdHistory => ({ timeFs: [], potential: [], total: [], temperature: [], maxDeviF: [] });

export interface MdForm {
  ensemble: MdEnsemble;
  temperatureK: number;
  dtFs: number;
  steps: number;
  saveEvery: number;
  frictionPerFs: number;
  tauTFs: number;
  pressureBar: number;
  seed: number;
}

export interface BhmcForm {
  natoms: number;
  element: string;
  temperatureK: number;
  stepSize: number;
  fmax: number;
  trials: number;
  seed: number;
}

export interface EngineState {
  status: EngineStatus | null;
  preference: EnginePreference;
  /** CPU engine: tabulated embedding nets (as `dp compress`; default) or the exact nets. */
  cpuTabulate: boolean;
  /** The engine of the current (or last) run and why. (md.held: the worker confirmed a pause — its state is on screen.) */
  choice: EngineChoice | null;
  /** Which run kind the choice belongs to. */
  choiceFor: 'md' | 'bhmc' | null;
  stepsPerSecond: number;
  md: { phase: RunPhase; error: string | null; runId: string | null; frames: number; history: MdHistory; last: SimSnapshot | null; held?: boolean };
  mdForm: MdForm;
  bhmc: { phase: RunPhase; error: string | null; runId: string | null; frames: number; trials: BhmcTrialInfo[];
    /** The lowest distinct minima (at most MINIMA_LISTED) and how many distinct minima there are. */
    minima: BhmcMinimumInfo[]; distinctMinima: number; shown: number | null };
  bhmcForm: BhmcForm;
  set(p: Partial<EngineState>): void;
}

export const useEngine = create<EngineState>((set) => ({
  status: null,
  preference: 'auto',
  cpuTabulate: true,
  choice: null,
  choiceFor: null,
  stepsPerSecond: 0,
  md: { phase: 'idle', error: null, runId: null, frames: 0, history: emptyHistory(), last: null },
  mdForm: { ensemble: 'langevin', temperatureK: 600, dtFs: 2, steps: 2000, saveEvery: 10, frictionPerFs: 0.01, tauTFs: 100, pressureBar: 1, seed: 1 },
  bhmc: { phase: 'idle', error: null, runId: null, frames: 0, trials: [], minima: [], distinctMinima: 0, shown: null },
  bhmcForm: { natoms: 13, element: 'Cu', temperatureK: 1500, stepSize: 0.8, fmax: 0.05, trials: 20, seed: 1 },
  set: (p) => set(p),
}));
