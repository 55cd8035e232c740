/**
 * The ensemble deviation of an MD run (`nanostudio md --potential dp:A,B,…`, CPU and WebGPU):
 * per saved frame one model_devi.out row (DeePMD's layout, src/core/io/model-devi.ts) and
 * `max_devi_f` (eV/Å) / `devi_e` (eV/atom) in the frame's extxyz info line.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame } from '../core/atoms.ts';
import { writeExtxyz } from '../core/io/extxyz.ts';
import { formatModelDevi, type ModelDeviRow } from '../core/io/model-devi.ts';
import type { CalcResult, Calculator } from '../core/potentials/calculator.ts';
import type { ModelDeviation } from '../core/potentials/dp/deviation.ts';

/** The deviation numbers of one frame (as model_devi.out names them). */
export type FrameDeviation = Omit<ModelDeviation, 'atomic_devi_f'>;

/** A saved MD frame: velocities/forces as extxyz columns, step etc. in info. */
export type TrajectoryFrame = Frame & { arrays?: Record<string, Float64Array> };

/** Copy a frame's deviation into its info line (max_devi_f eV/Å, devi_e eV/atom). */
export function annotate(frame: TrajectoryFrame, d: FrameDeviation): void {
  frame.info = { ...(frame.info ?? {}), max_devi_f: d.max_devi_f, devi_e: d.devi_e };
}

/** The model_devi.out row of a frame at `step`. */
export function deviRow(step: number, d: FrameDeviation): ModelDeviRow {
  return { step, max_devi_v: d.max_devi_v, min_devi_v: d.min_devi_v, avg_devi_v: d.avg_devi_v, max_devi_f: d.max_devi_f, min_devi_f: d.min_devi_f, avg_devi_f: d.avg_devi_f };
}

function hasDeviation(r: CalcResult): r is CalcResult & { deviation: ModelDeviation } {
  return typeof (r as { deviation?: unknown }).deviation === 'object';
}

/**
 * Wraps an ensemble calculator and keeps the deviation of its last evaluation with the positions
 * it was computed at, so a driver can read the deviation of a saved state without evaluating again.
 */
export class DeviationTap implements Calculator {
  readonly name: string;
  readonly implementedProperties: Calculator['implementedProperties'];
  private last?: { positions: Float64Array; deviation: ModelDeviation };

  constructor(private readonly inner: Calculator) {
    this.name = inner.name;
    this.implementedProperties = inner.implementedProperties;
  }

  compute(frame: Frame): CalcResult {
    const r = this.inner.compute(frame);
    if (hasDeviation(r)) this.last = { positions: new Float64Array(frame.positions), deviation: r.deviation };
    return r;
  }

  /** True once an evaluation reported a deviation (the potential is an ensemble of ≥ 2 DP models). */
  get reports(): boolean {
    return this.last !== undefined;
  }

  /** The deviation at `frame`'s positions (the last evaluation's when it was there, otherwise evaluated now). */
  deviationAt(frame: Frame): ModelDeviation {
    const l = this.last;
    if (l && l.positions.length === frame.positions.length && l.positions.every((x, i) => x === frame.positions[i])) return l.deviation;
    const r = this.inner.compute(frame);
    if (!hasDeviation(r)) throw new Error(`${this.inner.name} does not report a model deviation`);
    return r.deviation;
  }
}

/** model_devi.out path: --model-devi-out, else next to the trajectory. */
export function modelDeviPath(trajectory: string, explicit?: string): string {
  return explicit ?? join(dirname(trajectory), 'model_devi.out');
}

/**
 * Write the trajectory and, when there are deviation rows, model_devi.out; returns the lines to print.
 * Rows are written in step order.
 */
export function writeRunFiles(out: string, frames: TrajectoryFrame[], rows: ModelDeviRow[], deviOut: string): string[] {
  writeFileSync(out, writeExtxyz(frames));
  const lines = [`md: wrote ${frames.length} frames to ${out}`];
  if (rows.length > 0) {
    writeFileSync(deviOut, formatModelDevi([...rows].sort((a, b) => a.step - b.step)));
    lines.push(`md: wrote the model deviation of ${rows.length} frames to ${deviOut} (max_devi_f ${Math.max(...rows.map((r) => r.max_devi_f)).toExponential(3)} eV/Å at most)`);
  }
  return lines;
}
