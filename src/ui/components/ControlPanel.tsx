/** The model-ensemble panel (left column) and the live readouts of a running simulation (Run tab). */
import type { ChangeEvent } from 'react';
import { useStudio } from '../store.ts';
import { classifyMaxDevi } from '../frames/trust.ts';

export interface ControlActions {
  loadModelFiles(files: File[]): void;
  loadDemo(): void;
}

function fmt(x: number | undefined, digits = 3): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

export function ControlPanel({ actions }: { actions: ControlActions }) {
  const st = useStudio();
  const onFiles = (e: ChangeEvent<HTMLInputElement>) => actions.loadModelFiles([...(e.target.files ?? [])]);
  return (
    <>
      <section>
        <h3>Model ensemble</h3>
        {st.models.length ? (
          <ul className="models" data-testid="models">
            {st.models.map((m) => (
              <li key={m.name} title={`type_map [${m.typeMap.join(', ')}], rcut ${m.rcut} Å, sel [${m.sel.join(', ')}], embedding [${m.embedding.join(', ')}], fitting [${m.fitting.join(', ')}]`}>
                {m.name}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">no models loaded</p>
        )}
        {st.modelError && <p className="error" role="alert">{st.modelError}</p>}
        <div className="row">
          <button onClick={actions.loadDemo}>Cu demo ensemble</button>
          <label className="file">
            Load .dp/.yaml/.json…
            <input type="file" multiple accept=".dp,.yaml,.yml,.json" onChange={onFiles} />
          </label>
        </div>
      </section>
    </>
  );
}

/** Live readouts of the running simulation (the Run tab). */
export function LiveReadouts() {
  const { snapshot: snap, trustLo, trustHi } = useStudio();
  const cls = snap ? classifyMaxDevi(snap.maxDeviF, trustLo, trustHi) : null;
  return (
    <section className="readouts" data-testid="readouts">
      <h3>Live</h3>
      <dl>
        <dt>step</dt><dd data-testid="step">{snap?.step ?? 0}</dd>
        <dt>time</dt><dd>{fmt(snap ? snap.timeFs / 1000 : undefined, 3)} ps</dd>
        <dt>T</dt><dd data-testid="live-temperature">{fmt(snap?.temperatureK, 0)} K</dd>
        <dt>E<sub>pot</sub></dt><dd>{fmt(snap?.potentialEnergy, 3)} eV</dd>
        <dt>E<sub>tot</sub></dt><dd>{fmt(snap ? snap.potentialEnergy + snap.kineticEnergy : undefined, 3)} eV</dd>
        {snap?.volumeA3 !== undefined && <><dt>V</dt><dd data-testid="live-volume">{fmt(snap.volumeA3, 2)} Å³</dd></>}
        <dt>max ε<sub>f</sub></dt><dd data-testid="max-devi">{fmt(snap?.maxDeviF, 4)} eV/Å</dd>
        <dt>engine</dt><dd data-testid="md-engine">{snap?.engine ?? '—'}</dd>
        <dt>frame</dt><dd className={`class-${cls ?? 'none'}`}>{cls ?? '—'}</dd>
      </dl>
    </section>
  );
}
