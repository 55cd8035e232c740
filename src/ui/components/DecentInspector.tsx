/**
 * The decent-frame inspector (the "Frames" tab): the decent frames of the run on the timeline,
 * largest max force deviation first, each with a per-atom heat-map thumbnail (click it to see the
 * frame in the 3-D viewer), its step, energy and deviation, and a select box. A cap per run and
 * optional diversity thinning (farthest point on the CN histogram) choose the rest; the count of
 * frames selected for labeling (over all runs) is what the Backend tab sends.
 */
import { memo, useEffect, useRef } from 'react';
import { useStudio } from '../store.ts';
import type { StoredFrame } from '../frames/frame-store.ts';
import { forgetAllFrames, setPolicy, setSelected, showFrame, useFrames } from '../frames/use-frames.ts';
import { decentByDeviation, isSendable } from '../frames/selection.ts';
import { drawDiscs, thumbnailDiscs } from '../frames/thumbnail.ts';

const THUMB = 84;
const MAX_LISTED = 200;

const Thumbnail = memo(function Thumbnail({ frame, lo, hi }: { frame: StoredFrame; lo: number; hi: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) drawDiscs(ctx, thumbnailDiscs(frame.symbols, frame.positions, frame.atomicDeviF, lo, hi, THUMB), THUMB);
  }, [frame, lo, hi]);
  return <canvas ref={ref} width={THUMB} height={THUMB} className="thumb" data-testid="decent-thumb" />;
});

export function DecentInspector() {
  const { runs, byRun, runId, cursor, policy, error } = useFrames();
  const { trustLo, trustHi, replay } = useStudio();
  const frames = runId ? byRun[runId] ?? [] : [];
  const decent = decentByDeviation(frames);
  const selectedHere = decent.filter((f) => f.selected).length;
  let selectedAll = 0, sent = 0;
  for (const fs of Object.values(byRun)) for (const f of fs) {
    if (isSendable(f)) selectedAll++;
    if (f.sentDatasetId !== undefined) sent++;
  }
  return (
    <section className="inspector">
      <h3>Decent frames</h3>
      <div className="row wrap">
        <select value={runId ?? ''} onChange={(e) => showFrame(e.target.value, null)} disabled={!runs.length} aria-label="run">
          {!runs.length && <option value="">no runs yet</option>}
          {runs.map((r) => <option key={r.id} value={r.id}>{r.kind.toUpperCase()} · {r.structure} · {r.temperatureK} K</option>)}
        </select>
        <label className="row">cap per run
          <input data-testid="decent-cap" type="number" min={0} step={1} value={policy.capPerRun} style={{ width: '4.5rem' }}
            onChange={(e) => { const v = Number(e.target.value); if (Number.isInteger(v) && v >= 0) setPolicy({ capPerRun: v }); }} />
        </label>
        <label className="row" title="farthest-point sampling on the sorted coordination-number histogram">
          <input data-testid="decent-thinning" type="checkbox" checked={policy.thinning} onChange={(e) => setPolicy({ thinning: e.target.checked })} />
          diversity thinning
        </label>
      </div>
      <p data-testid="decent-selected" data-selected={selectedAll} data-run-selected={selectedHere} data-run-decent={decent.length}>
        <strong>{selectedHere}</strong> of {decent.length} decent frames of this run selected · <strong>{selectedAll}</strong> selected for labeling in all runs{sent ? ` · ${sent} sent` : ''}
      </p>
      {error && <p className="error" role="alert" data-testid="frames-error">{error}</p>}
      <ol className="decent-list" data-testid="decent-list" data-count={decent.length}>
        {decent.slice(0, MAX_LISTED).map((f) => {
          const k = frames.indexOf(f);
          const shown = replay?.id === f.id || (cursor === k && runId === f.runId);
          return (
            <li key={f.id} data-testid="decent-item" data-frame-id={f.id} data-max-devi={f.maxDeviF} className={shown ? 'shown' : ''}>
              <button className="thumb-button" onClick={() => showFrame(f.runId, k)} title="show in the 3-D viewer">
                <Thumbnail frame={f} lo={trustLo} hi={trustHi} />
              </button>
              <div className="meta">
                <div>step {f.step} · {(f.timeFs / 1000).toFixed(3)} ps</div>
                <div>max ε<sub>f</sub> <b>{f.maxDeviF.toFixed(4)}</b> eV/Å</div>
                <div className="muted">E<sub>pot</sub> {f.potentialEnergy.toFixed(3)} eV · T {f.temperatureK.toFixed(0)} K</div>
                {f.sentDatasetId !== undefined && <div className="muted">sent to data set {f.sentDatasetId}{f.labeledJobId !== undefined ? `, job ${f.labeledJobId}` : ''}</div>}
              </div>
              <label className="pick">
                <input type="checkbox" data-testid="decent-select" checked={f.selected} disabled={f.sentDatasetId !== undefined}
                  onChange={(e) => setSelected(f.id, e.target.checked)} />
                {f.manual ? 'by hand' : 'auto'}
              </label>
            </li>
          );
        })}
      </ol>
      {decent.length > MAX_LISTED && <p className="muted">the {MAX_LISTED} with the largest deviation are listed of {decent.length}</p>}
      {!decent.length && <p className="muted">{frames.length ? 'no decent frames in this run with the current trust levels' : 'run MD or BHMC: its saved frames appear on the timeline and here'}</p>}
      <p><button onClick={() => { if (window.confirm('Forget every stored run and frame in this browser?')) forgetAllFrames(); }}>Forget all stored frames</button></p>
    </section>
  );
}
