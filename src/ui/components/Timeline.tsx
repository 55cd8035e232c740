/**
 * The timeline of the run on screen: one bar per saved frame, coloured good/decent/poor with the
 * current trust levels, its height the frame's max force deviation relative to hi. Click or drag
 * to replay a frame in the viewer, arrow keys step (Home/End jump), "live" returns to the
 * running simulation. `frame-class` names the class of the frame on screen.
 */
import { useEffect, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { FrameClass } from '../../worker/frames.ts';
import { useStudio } from '../store.ts';
import { showFrame, useFrames } from '../frames/use-frames.ts';
import { classCounts, classifyMaxDevi } from '../frames/trust.ts';

import { CLASS_COLOURS } from '../colors.ts';

export { CLASS_COLOURS };

/** Class of what the viewer shows: the replayed frame's, else the live snapshot's under the current levels. */
function useClassOnScreen(): FrameClass | null {
  const { replay, snapshot, frame, trustLo, trustHi } = useStudio();
  if (replay) return replay.frameClass;
  if (snapshot && frame && snapshot.positions.length === frame.positions.length) return classifyMaxDevi(snapshot.maxDeviF, trustLo, trustHi);
  return null;
}

export function FrameClassBadge() {
  const cls = useClassOnScreen();
  return <span data-testid="frame-class" className={`frame-class class-${cls ?? 'none'}`}>{cls ?? '—'}</span>;
}

export function Timeline() {
  const { runs, byRun, runId, cursor } = useFrames();
  const hi = useStudio((s) => s.trustHi);
  const canvas = useRef<HTMLCanvasElement>(null);
  const frames = runId ? byRun[runId] ?? [] : [];
  const counts = classCounts(frames);
  const run = runs.find((r) => r.id === runId);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const w = (c.width = c.clientWidth || 600), h = (c.height = c.clientHeight || 40);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#121720';
    ctx.fillRect(0, 0, w, h);
    const n = frames.length;
    const bw = w / Math.max(n, 1);
    frames.forEach((f, k) => {
      const frac = Math.min(1, Math.max(0.15, f.maxDeviF / (1.25 * hi)));
      ctx.fillStyle = CLASS_COLOURS[f.frameClass];
      ctx.fillRect(k * bw, h * (1 - frac), Math.max(1, bw - (bw > 3 ? 1 : 0)), h * frac);
    });
    if (cursor !== null && n) {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(Math.min(w - 2, (cursor + 0.5) * bw - 1), 0, 2, h);
    }
  }, [frames, cursor, hi]);

  const pick = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!runId || !frames.length) return;
    const r = e.currentTarget.getBoundingClientRect();
    showFrame(runId, Math.floor(((e.clientX - r.left) / r.width) * frames.length));
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!runId || !frames.length) return;
    const at = cursor ?? frames.length - 1;
    const to = e.key === 'ArrowLeft' ? at - 1 : e.key === 'ArrowRight' ? at + 1 : e.key === 'Home' ? 0 : e.key === 'End' ? frames.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    showFrame(runId, to);
  };
  const on = cursor !== null ? frames[cursor] : undefined;
  return (
    <div
      className="timeline" data-testid="timeline" tabIndex={0} onKeyDown={onKey}
      data-frames={frames.length} data-good={counts.good} data-decent={counts.decent} data-poor={counts.poor} data-cursor={cursor ?? -1}
      aria-label="frames of the run: click, drag or use the arrow keys to replay"
    >
      <div className="timeline-head">
        <select data-testid="timeline-run" value={runId ?? ''} onChange={(e) => showFrame(e.target.value, null)} disabled={!runs.length}>
          {!runs.length && <option value="">no runs yet</option>}
          {runs.map((r) => (
            <option key={r.id} value={r.id}>{r.kind.toUpperCase()} · {r.structure} · {r.ensemble} {r.temperatureK} K · {(byRun[r.id] ?? []).length} frames</option>
          ))}
        </select>
        <span data-testid="timeline-counts" className="counts">
          {frames.length} frames: <span className="class-good">{counts.good} good</span> · <span className="class-decent">{counts.decent} decent</span> · <span className="class-poor">{counts.poor} poor</span>
        </span>
        <span className="on-screen">
          {on ? `frame ${cursor! + 1}/${frames.length} · step ${on.step} · max ε_f ${on.maxDeviF.toFixed(4)} eV/Å` : 'live view'} · <FrameClassBadge />
        </span>
        <button data-testid="timeline-live" onClick={() => runId && showFrame(runId, null)} disabled={cursor === null}>live</button>
      </div>
      <canvas
        ref={canvas} className="timeline-strip" data-testid="timeline-strip"
        title={run ? `${run.id}: trust levels applied now; started ${run.startedAt}` : 'no frames'}
        onPointerDown={(e) => { e.currentTarget.setPointerCapture(e.pointerId); pick(e); }}
        onPointerMove={(e) => { if (e.buttons & 1) pick(e); }}
      />
    </div>
  );
}
