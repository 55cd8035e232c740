/**
 * Parity-plot error metrics of predictions against references (the paper's energy and force
 * validation): RMSE, mean signed error MSE = <pred − ref> (the constant offset) and mean
 * unsigned error MUE = <|pred − ref|>, plus the largest absolute error. Units are those of the
 * inputs (eV, eV/atom, eV/Å …); for forces pass all Cartesian components flattened.
 */

export interface ErrorMetrics {
  /** Root-mean-square error sqrt(<(pred − ref)²>). */
  rmse: number;
  /** Mean signed error <pred − ref> (positive: predictions too high). */
  mse: number;
  /** Mean unsigned (absolute) error <|pred − ref|>. */
  mue: number;
  /** Largest |pred − ref|. */
  maxAbs: number;
  /** Number of values compared. */
  n: number;
}

function check(pred: ArrayLike<number>, ref: ArrayLike<number>): void {
  if (pred.length !== ref.length) throw new Error(`predictions (${pred.length}) and references (${ref.length}) differ in length`);
  if (pred.length === 0) throw new Error('no values to compare');
  for (let i = 0; i < pred.length; i++) {
    if (!Number.isFinite(pred[i])) throw new Error(`prediction ${i} is not finite (${pred[i]})`);
    if (!Number.isFinite(ref[i])) throw new Error(`reference ${i} is not finite (${ref[i]})`);
  }
}

/** All error metrics of `pred` against `ref` (same length, finite), in the inputs' unit. */
export function errorMetrics(pred: ArrayLike<number>, ref: ArrayLike<number>): ErrorMetrics {
  check(pred, ref);
  let s = 0, s2 = 0, sa = 0, maxAbs = 0;
  for (let i = 0; i < pred.length; i++) {
    const d = pred[i] - ref[i];
    s += d;
    s2 += d * d;
    sa += Math.abs(d);
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  const n = pred.length;
  return { rmse: Math.sqrt(s2 / n), mse: s / n, mue: sa / n, maxAbs, n };
}

/** Root-mean-square error, in the inputs' unit. */
export function rmse(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  return errorMetrics(pred, ref).rmse;
}

/** Mean signed error <pred − ref>, in the inputs' unit. */
export function meanSignedError(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  return errorMetrics(pred, ref).mse;
}

/** Mean unsigned error <|pred − ref|>, in the inputs' unit. */
export function meanUnsignedError(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  return errorMetrics(pred, ref).mue;
}

/** Divide per-frame totals (e.g. energies, eV) by their atom counts (→ eV/atom). */
export function perAtom(totals: ArrayLike<number>, natoms: ArrayLike<number>): Float64Array {
  if (totals.length !== natoms.length) throw new Error(`totals (${totals.length}) and atom counts (${natoms.length}) differ in length`);
  return Float64Array.from({ length: totals.length }, (_, i) => {
    if (!(natoms[i] > 0)) throw new Error(`frame ${i} has ${natoms[i]} atoms`);
    return totals[i] / natoms[i];
  });
}
