/**
 * Trust levels lo/hi (eV/Å) and the colouring switch. A valid pair (0 < lo < hi) is applied at
 * once: atoms are recoloured and every stored frame re-classified (use-frames.ts). An invalid
 * pair is shown as a named error and the last valid levels stay in use.
 */
import { useEffect, useState } from 'react';
import { useStudio } from '../store.ts';
import { trustLevelError } from '../frames/trust.ts';
import { DeviationLegend } from './DeviationLegend.tsx';

export function TrustLevels() {
  const st = useStudio();
  const [draft, setDraft] = useState({ lo: String(st.trustLo), hi: String(st.trustHi) });
  // Levels set elsewhere (a shared link, a session file) show up in the fields.
  useEffect(() => {
    setDraft((d) => (Number(d.lo) === st.trustLo && Number(d.hi) === st.trustHi ? d : { lo: String(st.trustLo), hi: String(st.trustHi) }));
  }, [st.trustLo, st.trustHi]);
  const lo = Number(draft.lo), hi = Number(draft.hi);
  const error = draft.lo.trim() === '' || draft.hi.trim() === '' ? 'trust levels lo and hi are both needed' : trustLevelError(lo, hi);
  const edit = (p: Partial<typeof draft>) => {
    const next = { ...draft, ...p };
    setDraft(next);
    const l = Number(next.lo), h = Number(next.hi);
    if (next.lo.trim() !== '' && next.hi.trim() !== '' && !trustLevelError(l, h)) st.set({ trustLo: l, trustHi: h });
  };
  return (
    <section className="trust">
      <h3>Trust levels</h3>
      <label>
        force deviation lo / hi (eV/Å)
        <span className="row">
          <input data-testid="trust-lo" type="number" step={0.01} value={draft.lo} aria-invalid={!!error} onChange={(e) => edit({ lo: e.target.value })} />
          <input data-testid="trust-hi" type="number" step={0.01} value={draft.hi} aria-invalid={!!error} onChange={(e) => edit({ hi: e.target.value })} />
        </span>
      </label>
      {error && (
        <p className="error" role="alert" data-testid="trust-error">
          {error} — still using lo = {st.trustLo}, hi = {st.trustHi}
        </p>
      )}
      <label className="row">
        <input type="checkbox" data-testid="colour-by-deviation" checked={st.colourMode === 'deviation'} onChange={(e) => st.set({ colourMode: e.target.checked ? 'deviation' : 'element' })} />
        colour atoms by force deviation
      </label>
      {st.colourMode === 'deviation' && <DeviationLegend lo={st.trustLo} hi={st.trustHi} />}
    </section>
  );
}
