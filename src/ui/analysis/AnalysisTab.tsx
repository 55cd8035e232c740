/**
 * The studio's Analysis tab: the AnalysisPanel fed with the frames the page has produced — the
 * structure on screen (the live snapshot when a run is going), every stored run of the frame
 * store (its frames thinned to at most RUN_FRAMES, with their per-atom force deviations), and
 * the data set chosen in the Backend tab (frames and labeled frames). References are added by
 * the panel itself.
 */
import { useMemo } from 'react';
import { useStudio } from '../store.ts';
import { useFrames } from '../frames/use-frames.ts';
import { useBackend } from '../backend/backend-store.ts';
import { backendSources } from './backend-sources.ts';
import { AnalysisPanel } from './AnalysisPanel.tsx';
import type { FrameSource, SourceFrame } from './sources.ts';
import type { RunInfo } from '../../worker/frames.ts';
import type { StoredFrame } from '../frames/frame-store.ts';
import { thinIndices } from './thin.ts';

/** At most this many frames of a run go into an analysis (evenly spaced, the last one included). */
export const RUN_FRAMES = 25;

function runSource(run: RunInfo, frames: StoredFrame[]): FrameSource {
  const n = frames.length;
  const used = Math.min(n, RUN_FRAMES);
  const what = `${run.kind === 'bhmc' ? 'BHMC' : run.ensemble.toUpperCase()} ${run.temperatureK} K`;
  return {
    id: `run:${run.id}`,
    label: `run ${run.structure}, ${what} (${used === n ? n : `${used} of ${n}`} frames)`,
    load: async () => thinIndices(n, RUN_FRAMES).map((k): SourceFrame => {
      const f = frames[k];
      return { symbols: f.symbols, positions: f.positions, cell: f.cell ?? null, pbc: f.pbc ?? [false, false, false], deviation: f.atomicDeviF };
    }),
  };
}

export function AnalysisTab() {
  const frame = useStudio((s) => s.frame);
  const title = useStudio((s) => s.title);
  const runs = useFrames((s) => s.runs);
  const byRun = useFrames((s) => s.byRun);
  const datasetId = useBackend((s) => s.datasetId);
  const status = useBackend((s) => s.status);
  const datasets = useBackend((s) => s.datasets);
  const iterations = useBackend((s) => s.iterations);

  const backend = useMemo(() => backendSources(), [datasetId, status, datasets, iterations]);

  /** The structure on screen; its load() takes the live snapshot's positions when a run is going. */
  const onScreen = useMemo(() => {
    if (!frame) return null;
    const now = (): SourceFrame => {
      const snap = useStudio.getState().snapshot;
      const live = snap && snap.positions.length === frame.positions.length ? snap : null;
      return {
        symbols: frame.symbols, positions: live ? Float64Array.from(live.positions) : frame.positions,
        cell: frame.cell, pbc: frame.pbc, ...(live?.atomicDeviF ? { deviation: Float64Array.from(live.atomicDeviF) } : {}),
      };
    };
    return { label: title || `${frame.symbols.length} atoms`, now };
  }, [frame, title]);

  const sources = useMemo<FrameSource[]>(() => {
    const out: FrameSource[] = [];
    if (onScreen) out.push({ id: 'screen', label: `on screen: ${onScreen.label}`, load: async () => [onScreen.now()] });
    // Newest run first: it is the "current trajectory".
    for (const r of [...runs].reverse()) {
      const fs = byRun[r.id] ?? [];
      if (fs.length) out.push(runSource(r, fs));
    }
    out.push(...backend.frames);
    return out;
  }, [onScreen, runs, byRun, backend]);

  // The frame on screen is copied only when a view reads it (not on every render during a run).
  const current = useMemo(() => (onScreen ? { label: onScreen.label, get frame() { return onScreen.now(); } } : null), [onScreen]);
  return <AnalysisPanel sources={sources} labeled={backend.labeled} current={current} />;
}
