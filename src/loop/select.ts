/**
 * Selection of the frames to label in an iteration (DP-GEN's rule with the house cap and
 * diversity thinning): candidates are frames with lo ≤ max_devi_f < hi; per system type they are
 * thinned by farthest-point sampling of their coordination-number histograms (starting from the
 * candidate with the largest deviation) to the per-type cap, then taken round-robin over the types
 * in that order up to the per-iteration cap. A structure is labeled once: candidates identical to a
 * frame already in the data set or to an earlier candidate (e.g. step 0 of two runs from the same
 * start, or the perfect crystal every iteration's bulk run starts from) are dropped. Deterministic.
 * Deviations eV/Å, cutoff Å.
 */
import type { Frame } from '../core/atoms.ts';
import { cnHistogramDescriptor, farthestPointSelect } from '../core/analysis/farthest-point.ts';
import type { Plan, SystemKind } from './plan.ts';
import type { TaskResult } from './explore.ts';

export const KINDS: SystemKind[] = ['cluster', 'bulk', 'surface'];

/** Counts of one system (or system type) in one iteration. */
export interface ClassCounts { frames: number; accurate: number; candidate: number; failed: number }

/** Sum the classes of the frames of some task results. */
export function countClasses(results: TaskResult[]): ClassCounts {
  const c: ClassCounts = { frames: 0, accurate: 0, candidate: 0, failed: 0 };
  for (const r of results) {
    for (const f of r.frames) {
      c.frames++;
      if (f.cls === 'good') c.accurate++;
      else if (f.cls === 'decent') c.candidate++;
      else c.failed++;
    }
  }
  return c;
}

export interface Selected {
  taskId: string;
  system: string;
  kind: SystemKind;
  /** Index of the frame in the task's trajectory and its MD step. */
  index: number;
  step: number;
  maxDeviF: number;
  frame: Frame;
}

/** A key of a structure (species, positions and cell to 1e-6 Å): equal keys = the same structure. */
export function structureKey(f: Frame): string {
  const r = (x: number): string => (Math.round(x * 1e6) / 1e6).toString();
  return `${f.symbols.join(',')}|${Array.from(f.positions, r).join(',')}|${f.cell ? Array.from(f.cell, r).join(',') : '-'}|${f.pbc.join(',')}`;
}

/**
 * The frames to label. `framesOf(taskId)` loads a task's saved frames (same order as its
 * result). `known` holds the structureKey of every frame already in the data set. Returns them
 * ordered by type, then diversity rank.
 */
export function selectFrames(plan: Plan, results: TaskResult[], framesOf: (taskId: string) => Frame[], known: ReadonlySet<string> = new Set()): Selected[] {
  const perKind = new Map<SystemKind, Selected[]>();
  const seen = new Set(known);
  for (const kind of KINDS) {
    const cands: Selected[] = [];
    for (const r of results.filter((x) => x.kind === kind)) {
      const idx = r.frames.map((f, i) => (f.cls === 'decent' ? i : -1)).filter((i) => i >= 0);
      if (!idx.length) continue;
      const frames = framesOf(r.id);
      if (frames.length !== r.frames.length) throw new Error(`task ${r.id}: ${frames.length} frames in the trajectory but ${r.frames.length} in its result`);
      for (const i of idx) {
        const key = structureKey(frames[i]);
        if (seen.has(key)) continue;
        seen.add(key);
        cands.push({ taskId: r.id, system: r.system, kind, index: i, step: r.frames[i].step, maxDeviF: r.frames[i].maxDeviF, frame: frames[i] });
      }
    }
    if (!cands.length) continue;
    const cap = Math.min(plan.selection.maxPerKind[kind] ?? plan.selection.maxPerIteration, plan.selection.maxPerIteration);
    let first = 0;
    cands.forEach((c, i) => { if (c.maxDeviF > cands[first].maxDeviF) first = i; });
    const desc = cands.map((c) => cnHistogramDescriptor(c.frame, plan.selection.cnCutoff));
    perKind.set(kind, farthestPointSelect(desc, cap, first).map((i) => cands[i]));
  }
  const out: Selected[] = [];
  for (let rank = 0; out.length < plan.selection.maxPerIteration; rank++) {
    let any = false;
    for (const kind of KINDS) {
      const list = perKind.get(kind);
      if (list && rank < list.length && out.length < plan.selection.maxPerIteration) {
        out.push(list[rank]);
        any = true;
      }
    }
    if (!any) break;
  }
  return KINDS.flatMap((k) => out.filter((s) => s.kind === k));
}
