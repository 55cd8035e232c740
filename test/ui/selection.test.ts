import { describe, expect, it } from 'vitest';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import type { StoredFrame } from '../../src/ui/frames/frame-store.ts';
import { isSendable, selectionFor } from '../../src/ui/frames/selection.ts';
import { classifyMaxDevi } from '../../src/ui/frames/trust.ts';

const base = icosahedron('Cu', 2);

/** Frames of one run with the given max deviations (eV/Å), classified with lo/hi; positions rattled per frame. */
function run(devis: number[], lo: number, hi: number): StoredFrame[] {
  return devis.map((d, k) => {
    const positions = Float64Array.from(base.positions, (x, i) => x + 0.3 * Math.sin(7.1 * k + 1.3 * i) * (k % 3));
    return {
      id: k + 1, runId: 'r', step: 10 * k, timeFs: 20 * k, symbols: [...base.symbols], positions,
      temperatureK: 900, potentialEnergy: -40, kineticEnergy: 1, maxDeviF: d, avgDeviF: d / 2, atomicDeviF: new Float64Array(13).fill(d),
      frameClass: classifyMaxDevi(d, lo, hi), selected: false,
    };
  });
}

const chosen = (frames: StoredFrame[], sel: Map<number, boolean>) => frames.filter((f) => sel.get(f.id)).map((f) => f.maxDeviF);

/** Apply a selection to the frames (as use-frames.ts stores it). */
const apply = (frames: StoredFrame[], sel: Map<number, boolean>) => frames.map((f) => ({ ...f, selected: sel.get(f.id) ?? false }));

describe('selectionFor: which decent frames go to labeling', () => {
  const devis = [0.01, 0.08, 0.12, 0.06, 0.2, 0.09, 0.07, 0.11];
  it('caps per run, largest deviation first; never a good or poor frame', () => {
    const fr = run(devis, 0.05, 0.15);
    expect(chosen(fr, selectionFor(fr, { capPerRun: 3, thinning: false }))).toEqual([0.12, 0.09, 0.11]);
    expect(chosen(fr, selectionFor(fr, { capPerRun: 20, thinning: false })).sort()).toEqual([0.06, 0.07, 0.08, 0.09, 0.11, 0.12]);
    expect(chosen(fr, selectionFor(fr, { capPerRun: 0, thinning: false }))).toEqual([]);
  });
  it('hand choices: a deselected frame stays out, a selected one takes a slot', () => {
    const fr = run(devis, 0.05, 0.15);
    fr[2] = { ...fr[2], manual: true, selected: false }; // 0.12 out by hand
    fr[3] = { ...fr[3], manual: true, selected: true }; // 0.06 in by hand
    expect(chosen(fr, selectionFor(fr, { capPerRun: 3, thinning: false })).sort()).toEqual([0.06, 0.09, 0.11]);
  });
  it('a hand-selected frame keeps its choice while trust levels make it good for a while', () => {
    let fr = run(devis, 0.05, 0.15);
    fr[3] = { ...fr[3], manual: true, selected: true }; // 0.06 chosen by hand
    fr = apply(fr, selectionFor(fr, { capPerRun: 2, thinning: false }));
    expect(fr[3].selected).toBe(true);
    // Trust levels raised: 0.06 is good now (not sent, not counted) …
    fr = fr.map((f) => ({ ...f, frameClass: classifyMaxDevi(f.maxDeviF, 0.065, 0.15) }));
    fr = apply(fr, selectionFor(fr, { capPerRun: 2, thinning: false }));
    expect(fr.filter((f) => f.selected && f.frameClass === 'decent').map((f) => f.maxDeviF)).toEqual([0.12, 0.11]);
    expect(fr[3].selected).toBe(true); // still chosen by hand while it is good
    // … and back: the user's choice is still there and takes its slot again.
    fr = fr.map((f) => ({ ...f, frameClass: classifyMaxDevi(f.maxDeviF, 0.05, 0.15) }));
    fr = apply(fr, selectionFor(fr, { capPerRun: 2, thinning: false }));
    expect(fr.filter((f) => f.selected).map((f) => f.maxDeviF).sort()).toEqual([0.06, 0.12]);
  });
  it('thinning keeps the cap and starts from the largest deviation', () => {
    const fr = run(devis, 0.05, 0.15);
    const sel = chosen(fr, selectionFor(fr, { capPerRun: 3, thinning: true }));
    expect(sel).toHaveLength(3);
    expect(sel).toContain(0.12);
    for (const d of sel) expect(d >= 0.05 && d < 0.15).toBe(true);
  });
});

describe('isSendable: the one rule for what the next send takes', () => {
  const f = run([0.1], 0.05, 0.15)[0];
  it('selected, decent and not sent yet', () => {
    expect(isSendable({ ...f, selected: true })).toBe(true);
    expect(isSendable({ ...f, selected: false })).toBe(false);
    expect(isSendable({ ...f, selected: true, frameClass: 'good' })).toBe(false);
    expect(isSendable({ ...f, selected: true, frameClass: 'poor' })).toBe(false);
    expect(isSendable({ ...f, selected: true, sentDatasetId: 4 })).toBe(false);
    expect(isSendable({ ...f, selected: true, labeledJobId: 9 })).toBe(false);
  });
  it('a frame kept selected after it was sent is not sent twice (selectionFor keeps its flag)', () => {
    const fr = apply(run([0.08, 0.12], 0.05, 0.15), new Map([[1, true], [2, true]])).map((x, k) => (k === 0 ? { ...x, sentDatasetId: 3 } : x));
    const sel = apply(fr, selectionFor(fr, { capPerRun: 5, thinning: false }));
    expect(sel.map((x) => x.selected)).toEqual([true, true]);
    expect(sel.filter(isSendable).map((x) => x.id)).toEqual([2]);
  });
});
