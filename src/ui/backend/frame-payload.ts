/**
 * Studio frames → backend payloads: a stored frame becomes an API frame with its provenance (run,
 * step, temperature, ensemble, max_devi_f, iteration), and a run's frames become one exploration
 * entry of an iteration (good/decent/poor = accurate/candidate/failed). Pure functions.
 * Units: positions and cell Å, max_devi_f and trust levels eV/Å, temperature K, time fs.
 */
import type { RunInfo } from '../../worker/frames.ts';
import type { ExplorationEntry, FrameInput } from './client.ts';
import type { StoredFrameLike } from './frame-source.ts';

/** Where a frame came from, as the backend records it. */
export interface FrameOrigin {
  run: RunInfo | undefined;
  /** Backend iteration the frame is selected in. */
  iterationId: number;
  /** Number of that iteration (1-based), recorded in the frame's info. */
  iterationNumber: number;
}

/** Provenance label of a run ("md langevin 600 K on Cu55 icosahedron", "… with ensemble 3" when it explored with backend ensemble 3). */
export function runLabel(run: RunInfo): string {
  const base = run.kind === 'bhmc'
    ? `bhmc ${run.temperatureK} K on ${run.structure}`
    : `md ${run.ensemble} ${run.temperatureK} K on ${run.structure}`;
  // Which models explored: a backend ensemble by id (the iteration it came from is on the service).
  return run.ensembleId === null || run.ensembleId === undefined ? base : `${base} with ensemble ${run.ensembleId}`;
}

/** One stored frame as an API frame with provenance; the run's ensemble id only if it came from the backend. */
export function frameInput(f: StoredFrameLike, o: FrameOrigin): FrameInput {
  const run = o.run;
  const info: Record<string, string | number | boolean> = {
    run: f.runId,
    step: f.step,
    time_fs: f.timeFs,
    temperature_K: f.temperatureK,
    energy_model_eV: f.potentialEnergy,
    max_devi_f: f.maxDeviF,
    avg_devi_f: f.avgDeviF,
    frame_class: f.frameClass,
    iteration: o.iterationNumber,
  };
  if (run) {
    info.run_kind = run.kind;
    info.ensemble = run.ensemble;
    info.structure = run.structure;
    info.engine = run.engine;
    info.models = run.models.join(',');
    info.seed = run.seed;
  }
  return {
    symbols: [...f.symbols],
    positions: Array.from(f.positions),
    cell: f.cell ? Array.from(f.cell) : null,
    pbc: f.pbc ?? (f.cell ? [true, true, true] : [false, false, false]),
    info,
    provenance: {
      source: 'nanostudio studio',
      exploration: run ? `${runLabel(run)} (${run.id})` : f.runId,
      ensembleId: run?.ensembleId ?? null,
      iterationId: o.iterationId,
      maxDeviF: Number.isFinite(f.maxDeviF) ? f.maxDeviF : null,
      exploredAt: run?.startedAt ?? null,
    },
  };
}

/** The exploration entry of one run: its frames counted per class at the run's trust levels. */
export function explorationEntry(run: RunInfo, frames: ReadonlyArray<Pick<StoredFrameLike, 'frameClass'>>): ExplorationEntry {
  let accurate = 0;
  let candidate = 0;
  let failed = 0;
  for (const f of frames) {
    if (f.frameClass === 'good') accurate++;
    else if (f.frameClass === 'decent') candidate++;
    else failed++;
  }
  return {
    system: `${runLabel(run)} (${run.id})`, kind: 'studio', frames: frames.length,
    accurate, candidate, failed, trustLo: run.trustLo, trustHi: Math.max(run.trustLo, run.trustHi),
  };
}
