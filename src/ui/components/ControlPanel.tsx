/** Left panel: structure, ensemble, thermostat, trust levels, run controls and live readouts. */
import type { ChangeEvent } from 'react';
import { useStudio } from '../store.ts';
import { STRUCTURES } from '../structures.ts';
import { DeviationLegend } from './DeviationLegend.tsx';

export interface ControlActions {
  chooseStructure(id: string): void;
  loadModelFiles(files: File[]): void;
  loadDemo(): void;
  startOrToggle(): void;
  stop(): void;
  setTemperature(t: number): void;
}

function fmt(x: number | undefined, digits = 3): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

export function ControlPanel({ actions }: { actions: ControlActions }) {
  const st = useStudio();
  const snap = st.snapshot;
  const label = st.run === 'running' ? 'Pause' : st.run === 'paused' ? 'Resume' : 'Run NVT MD';
  const onFiles = (e: ChangeEvent<HTMLInputElement>) => actions.loadModelFiles([...(e.target.files ?? [])]);
  return (
    <aside className="panel">
      <section>
        <h3>Structure</h3>
        <select data-testid="structure" value={st.title} onChange={(e) => actions.chooseStructure(e.target.value)}>
          {STRUCTURES.map((s) => (
            <option key={s.id} value={s.id}>{s.id}</option>
          ))}
        </select>
      </section>
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
      <section>
        <h3>NVT (Langevin)</h3>
        <label>
          T (K)
          <input
            data-testid="temperature"
            type="number" min={1} max={3000} step={50} value={st.temperatureK}
            onChange={(e) => actions.setTemperature(Number(e.target.value))}
          />
        </label>
        <label>
          trust lo / hi (eV/Å)
          <span className="row">
            <input type="number" step={0.01} min={0} value={st.trustLo} onChange={(e) => st.set({ trustLo: Number(e.target.value) })} />
            <input type="number" step={0.01} min={0} value={st.trustHi} onChange={(e) => st.set({ trustHi: Number(e.target.value) })} />
          </span>
        </label>
        <div className="row">
          <button data-testid="run" onClick={actions.startOrToggle} disabled={!st.models.length}>{label}</button>
          <button onClick={actions.stop} disabled={st.run === 'idle'}>Stop</button>
        </div>
        {st.runError && <p className="error" role="alert" data-testid="run-error">{st.runError}</p>}
      </section>
      <section className="readouts" data-testid="readouts">
        <h3>Live</h3>
        <dl>
          <dt>step</dt><dd data-testid="step">{snap?.step ?? 0}</dd>
          <dt>time</dt><dd>{fmt(snap ? snap.timeFs / 1000 : undefined, 3)} ps</dd>
          <dt>T</dt><dd data-testid="live-temperature">{fmt(snap?.temperatureK, 0)} K</dd>
          <dt>E<sub>pot</sub></dt><dd>{fmt(snap?.potentialEnergy, 3)} eV</dd>
          <dt>E<sub>tot</sub></dt><dd>{fmt(snap ? snap.potentialEnergy + snap.kineticEnergy : undefined, 3)} eV</dd>
          <dt>max ε<sub>f</sub></dt><dd data-testid="max-devi">{fmt(snap?.maxDeviF, 4)} eV/Å</dd>
          <dt>engine</dt><dd data-testid="md-engine">{snap?.engine ?? '—'}</dd>
          <dt>frame</dt><dd className={`class-${snap?.deviationClass ?? 'none'}`}>{snap?.deviationClass ?? '—'}</dd>
        </dl>
        <label className="row">
          <input type="checkbox" checked={st.colourMode === 'deviation'} onChange={(e) => st.set({ colourMode: e.target.checked ? 'deviation' : 'element' })} />
          colour atoms by force deviation
        </label>
        {st.colourMode === 'deviation' && <DeviationLegend lo={st.trustLo} hi={st.trustHi} />}
      </section>
    </aside>
  );
}
