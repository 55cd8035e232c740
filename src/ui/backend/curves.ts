/** Learning curves (per model, per step) → uPlot's aligned columns: x = every step seen, one column per model and quantity. */
import type { CurvePoint } from './backend-store.ts';

/** Columns [steps, E train model 0..n-1, E validation model 0..n-1]; a missing point is null. Energies eV/atom. */
export function curveColumns(curves: ReadonlyArray<ReadonlyArray<CurvePoint> | undefined>): (number | null)[][] {
  const steps = [...new Set(curves.flatMap((c) => (c ?? []).map((p) => p.step)))].sort((a, b) => a - b);
  const at = new Map(steps.map((s, i) => [s, i]));
  const col = (): (number | null)[] => steps.map(() => null);
  const train = curves.map(col);
  const val = curves.map(col);
  curves.forEach((c, m) => {
    for (const p of c ?? []) {
      const i = at.get(p.step)!;
      train[m][i] = Number.isFinite(p.rmseETrain) && p.rmseETrain > 0 ? p.rmseETrain : null;
      val[m][i] = p.rmseEVal !== null && Number.isFinite(p.rmseEVal) && p.rmseEVal > 0 ? p.rmseEVal : null;
    }
  });
  return [steps, ...train, ...val];
}
