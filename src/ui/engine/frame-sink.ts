/**
 * Where the engine side puts the runs and frames the worker produces: the studio's frame store
 * (IndexedDB, src/ui/frames/frame-store.ts) once it is available; until then they are kept in
 * memory for this page. Storage errors are reported, never swallowed.
 */
import type { RunInfo, SavedFrame } from '../../worker/api.ts';
import { recordFrames, recordRun } from '../frames/frame-store.ts';

const runs: RunInfo[] = [];
const frames: SavedFrame[] = [];

export async function storeRun(run: RunInfo): Promise<void> {
  runs.push(run);
  await recordRun(run); // hook-up (studio-frames): the IndexedDB frame store
}

export async function storeFrames(batch: SavedFrame[]): Promise<void> {
  frames.push(...batch);
  await recordFrames(batch); // hook-up (studio-frames): the IndexedDB frame store
}

/** Frames of a run kept in this page (diagnostics). */
export function framesInMemory(runId: string): SavedFrame[] {
  return frames.filter((f) => f.runId === runId);
}
