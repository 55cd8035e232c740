/**
 * P(CN): the coordination-number distribution of several sources (the training set, the
 * current trajectory, a reference structure) with one editable cutoff, as the paper compares
 * its training set with nanoparticle MD. One line with markers per source; PNG/CSV export.
 */
import { useMemo, useState } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { analysisWorker } from './analysis-client.ts';
import type { PcnResult } from '../../worker/analysis-service.ts';
import { defaultChoice, type FrameSource } from './sources.ts';
import { SourcePicker } from './SourcePicker.tsx';

const COLOURS = ['#e8a15a', '#5ab0e8', '#8fd18f', '#c38fe8', '#e85a7a'];

export function PcnView({ sources }: { sources: FrameSource[] }) {
  // Until the user ticks a box, the default follows the sources as they appear (runs, data sets).
  const [picked, setChosen] = useState<string[] | null>(null);
  const chosen = picked ?? defaultChoice(sources, true);
  const [cutoff, setCutoff] = useState(3.0);
  const [result, setResult] = useState<PcnResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const compute = async () => {
    setError(null);
    if (!(cutoff > 0)) { setError(`the cutoff must be a positive distance in Å, got ${cutoff}`); return; }
    setBusy(true);
    try {
      const picked = sources.filter((s) => chosen.includes(s.id));
      if (picked.length === 0) throw new Error('choose at least one source');
      const groups = await Promise.all(picked.map(async (s) => ({ label: s.label, frames: await s.load() })));
      const empty = groups.filter((g) => g.frames.length === 0).map((g) => g.label);
      if (empty.length === groups.length) throw new Error(`no frames in ${empty.join(', ')}`);
      setResult(await analysisWorker().coordination(groups, cutoff));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const maxCn = result ? Math.max(...result.map((r) => r.cn.length - 1)) : 0;
  const data = useMemo<uPlot.AlignedData>(() => {
    if (!result) return [[]];
    const xs = Array.from({ length: maxCn + 1 }, (_, k) => k);
    return [xs, ...result.map((r) => xs.map((k) => r.p[k] ?? 0))];
  }, [result, maxCn]);

  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 260,
    title: `P(CN), cutoff ${cutoff} Å`,
    scales: { x: { time: false, range: [-0.5, maxCn + 0.5] }, y: { range: [0, 1] } },
    axes: [{ label: 'coordination number', stroke: '#aab2bf' }, { label: 'P(CN)', stroke: '#aab2bf' }],
    series: [
      { label: 'CN' },
      ...(result ?? []).map((r, k) => ({
        label: `${r.label} (${r.atoms} atoms)`, stroke: COLOURS[k % COLOURS.length], width: 2,
        points: { show: true, size: 7, fill: COLOURS[k % COLOURS.length] },
      })),
    ],
  }), [result, maxCn, cutoff]);

  return (
    <section className="analysis-view" data-testid="pcn-view">
      <SourcePicker sources={sources} chosen={chosen} onChange={setChosen} />
      <div className="row">
        <label>cutoff (Å) <input type="number" step="0.05" min="0.5" value={cutoff} data-testid="pcn-cutoff" onChange={(e) => setCutoff(Number(e.target.value))} /></label>
        <button type="button" onClick={compute} disabled={busy} data-testid="pcn-compute">{busy ? 'computing…' : 'Compute P(CN)'}</button>
      </div>
      {error && <p className="error" role="alert" data-testid="pcn-error">{error}</p>}
      {result && (
        <>
          <UPlotChart options={options} data={data} testId="pcn-plot" exportName="pcn" />
          <table className="small-table" data-testid="pcn-table">
            <thead><tr><th>source</th><th>atoms</th><th>most common CN</th><th>P(CN=12)</th></tr></thead>
            <tbody>
              {result.map((r) => {
                const mode = r.p.indexOf(Math.max(...r.p));
                return <tr key={r.label}><td>{r.label}</td><td>{r.atoms}</td><td>{mode}</td><td>{(r.p[12] ?? 0).toFixed(3)}</td></tr>;
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
