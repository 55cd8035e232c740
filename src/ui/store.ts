/** UI state (zustand): the structure on screen, the engine, the models and the live run. */
import { create } from 'zustand';
import type { Frame } from '../core/atoms.ts';
import type { EngineStatus, ModelSummary } from '../worker/api.ts';
import type { SimSnapshot } from '../worker/simulation.ts';
import type { StoredFrame } from './frames/frame-store.ts';
import type { ColourMode } from './colors.ts';
import type { EnsembleInUse } from './engine/ensemble-in-use.ts';
import { DEFAULT_TRUST, saveTrustLevels, savedTrustLevels } from './frames/trust.ts';

export type { ColourMode };
export type RunState = 'idle' | 'running' | 'paused' | 'error';

export interface StudioState {
  frame: Frame | null;
  title: string;
  engine: EngineStatus | { kind: 'probing' };
  models: ModelSummary[];
  /** The ensemble those models come from (named, with its files): the runs and the analyses use it. */
  ensemble: EnsembleInUse | null;
  modelError: string | null;
  run: RunState;
  runError: string | null;
  snapshot: SimSnapshot | null;
  colourMode: ColourMode;
  temperatureK: number;
  /** Trust levels in use (always valid: 0 < lo < hi), eV/Å. */
  trustLo: number;
  trustHi: number;
  /** A stored frame replayed in the viewer (timeline, inspector), or null for the live view. */
  replay: StoredFrame | null;
  /** The last structure build/import error, named. */
  structureError: string | null;
  setFrame(frame: Frame, title: string): void;
  setEngine(engine: EngineStatus): void;
  set(p: Partial<StudioState>): void;
}

export const useStudio = create<StudioState>((set) => ({
  frame: null,
  title: '',
  engine: { kind: 'probing' },
  models: [],
  ensemble: null,
  modelError: null,
  run: 'idle',
  runError: null,
  snapshot: null,
  colourMode: 'deviation',
  temperatureK: 600,
  // The levels of the last session in this browser (a reload keeps them), else the defaults.
  ...(savedTrustLevels() ?? DEFAULT_TRUST),
  replay: null,
  structureError: null,
  setFrame: (frame, title) => set({ frame, title, snapshot: null, replay: null, run: 'idle', runError: null }),
  setEngine: (engine) => set({ engine }),
  set: (p) => set(p),
}));

// Every change of the levels in use (the inputs, a shared link, a session file) is kept for the next load.
useStudio.subscribe((s, prev) => {
  if (s.trustLo !== prev.trustLo || s.trustHi !== prev.trustHi) {
    try {
      saveTrustLevels(s);
    } catch (e) {
      console.warn(`could not keep the trust levels in this browser: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
});
