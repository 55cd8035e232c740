/** UI state (zustand): the structure on screen and the engine status. */
import { create } from 'zustand';
import type { Frame } from '../core/atoms.ts';
import type { EngineStatus } from '../worker/api.ts';

export interface StudioState {
  frame: Frame | null;
  title: string;
  engine: EngineStatus | { kind: 'probing' };
  setFrame(frame: Frame, title: string): void;
  setEngine(engine: EngineStatus): void;
}

export const useStudio = create<StudioState>((set) => ({
  frame: null,
  title: '',
  engine: { kind: 'probing' },
  setFrame: (frame, title) => set({ frame, title }),
  setEngine: (engine) => set({ engine }),
}));
