/** Learning curves (per model, per step) → uPlot's aligned columns: x = every step seen, one column per model and quantity. */
import type { CurvePoint } from './backend-store.ts';

/**
 * Columns [steps, E train model 0..n-1, E validation model 0..n-1] with n = max(`models`, models
 * seen); a missing point is null. Always 1 + 2n columns, one per plotted series, also before the
 * first point and when a later model reports before an earlier one (a sparse `curves`): uPlot
 * needs a column for every series. Energies eV/atom.
 */
export function curveColumns(curves: ReadonlyArray<ReadonlyArray<CurvePoint> | undefined>, models = 0): (number | null)[][] {
  const n = Math.max(models, curves.length);
  const per = Array.from({ length: n }, (_, m) => curves[m] ?? []);
  const steps = [...new Set(per.flatMap((c) => c.map((p) => p.step)))].sort((a, b) => a - b);
  const at = new Map(steps.map((s, i) => [s, i]));
  const col = (): (number | null)[] => steps.map(() => null);
  const train = per.map(col);
  const val = per.map(col);
  per.forEach((c, m) => {
    for (const p of c) {
      const i = at.get(p.step)!;
      train[m][i] = Number.isFinite(p.rmseETrain) && p.rmseETrain > 0 ? p.rmseETrain : null;
      val[m][i] = p.rmseEVal !== null && Number.isFinite(p.rmseEVal) && p.rmseEVal > 0 ? p.rmseEVal : null;
    }
  });
  return [steps, ...train, ...val];
}
