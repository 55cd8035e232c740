/** Colour legend of the per-atom force deviation, with the trust levels marked. */
import { DEVIATION_STOPS } from '../colors.ts';

export function DeviationLegend({ lo, hi }: { lo: number; hi: number }) {
  const gradient = DEVIATION_STOPS.map(([t, [r, g, b]]) => `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)}) ${t * 100}%`).join(', ');
  return (
    <figure className="legend" data-testid="legend" aria-label="per-atom force deviation colour scale">
      <div className="bar" style={{ background: `linear-gradient(to right, ${gradient})` }} />
      <div className="ticks">
        <span style={{ left: '0%' }}>0</span>
        <span style={{ left: '50%' }}>lo {lo}</span>
        <span style={{ left: '100%' }}>≥ hi {hi}</span>
      </div>
      <figcaption>per-atom force deviation ε<sub>f,i</sub> (eV/Å): good &lt; lo ≤ decent &lt; hi ≤ poor</figcaption>
    </figure>
  );
}
