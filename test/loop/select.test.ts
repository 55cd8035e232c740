// Selection of the frames to label: candidates only (lo ≤ max_devi_f < hi), caps, and every structure once.
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/core/atoms.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { readPlan } from '../../src/loop/plan.ts';
import { selectFrames, structureKey } from '../../src/loop/select.ts';
import type { TaskResult } from '../../src/loop/explore.ts';
import { classifyDeviation } from '../../src/core/potentials/dp/deviation.ts';

const base = icosahedron('Cu', 2);
/** Cu13 with atom 0 moved by d Å along x. */
const moved = (d: number): Frame => ({ ...base, positions: base.positions.map((x, i) => (i === 0 ? x + d : x)) });

const plan = readPlan('plans/demo-cu.yaml');
const { lo, hi } = plan.trust.cluster;
/** A deviation (eV/Å) at fraction x of the way from the plan's lo to its hi trust level (0 ≤ x < 1: a candidate). */
const between = (x: number): number => lo + x * (hi - lo);

/** A task's result, each frame classified with the plan's cluster trust levels as exploration does. */
function task(id: string, devi: number[]): TaskResult {
  return { id, system: 'clusters', kind: 'cluster', engine: 'cpu', stopped: null, seconds: 0,
    frames: devi.map((maxDeviF, k) => ({ step: 10 * k, maxDeviF, cls: classifyDeviation({ max_devi_f: maxDeviF, max_devi_v: 0 }, plan.trust.cluster) })) };
}

describe('selectFrames', () => {
  it('takes candidates only, never the same structure twice (step 0 of two runs from one start, or one already in the data set)', () => {
    // two runs from the same start: frame 0 identical; run b's frame 1 is a structure already labeled
    const frames: Record<string, Frame[]> = { a: [moved(0), moved(0.1), moved(0.2), moved(0.3)], b: [moved(0), moved(0.5), moved(0.6)] };
    const results = [task('a', [between(0.3), lo / 2, between(0.5), 1.8 * hi]), task('b', [between(0.4), between(0.7), between(0.5)])];
    expect(results.map((r) => r.frames.map((f) => f.cls).join())).toEqual(['decent,good,decent,poor', 'decent,decent,decent']);
    const sel = selectFrames(plan, results, (id) => frames[id], new Set([structureKey(moved(0.5))]));
    expect(sel.map((s) => `${s.taskId}#${s.index}`).sort()).toEqual(['a#0', 'a#2', 'b#2']);
    expect(new Set(sel.map((s) => structureKey(s.frame))).size).toBe(sel.length);
    // without the known set, b#1 is a candidate too; the identical step-0 frame still counts once
    expect(selectFrames(plan, results, (id) => frames[id]).map((s) => `${s.taskId}#${s.index}`).sort()).toEqual(['a#0', 'a#2', 'b#1', 'b#2']);
    expect(structureKey(moved(1e-9))).toBe(structureKey(moved(0)));
    expect(structureKey(moved(1e-4))).not.toBe(structureKey(moved(0)));
  });
});
