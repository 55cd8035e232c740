/** Colour legend of the per-atom force deviation, with the trust levels marked. */
import { DEVIATION_STOPS } from '../colors.ts';

/** A trust level as a tick label: three significant digits (levels set from data can be long). */
const tick = (x: number): string => String(Number(x.toPrecision(3)));

export function DeviationLegend({ lo, hi }: { lo: number; hi: number }) {
  const gradient = DEVIATION_STOPS.map(([t, [r, g, b]]) => `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)}) ${t * 100}%`).join(', ');
  return (
    <figure className="legend" data-testid="legend" aria-label="per-atom force deviation colour scale">
      <div className="bar" style={{ background: `linear-gradient(to right, ${gradient})` }} />
      <div className="ticks">
        <span style={{ left: '0%' }}>0</span>
        <span style={{ left: '50%' }}>lo {tick(lo)}</span>
        <span style={{ left: '100%' }}>≥ hi {tick(hi)}</span>
      </div>
      <figcaption>per-atom force deviation ε<sub>f,i</sub> (eV/Å): good &lt; lo ≤ decent &lt; hi ≤ poor</figcaption>
    </figure>
  );
}
