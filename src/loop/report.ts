/**
 * The loop's report, in the style of the paper's Fig. 4–5: DIR/report.json (per iteration the
 * accurate/candidate/failed fractions per system type, frames selected/labeled, data-set size,
 * train/validation RMSE, wall time per stage) and DIR/report.html (one self-contained file with
 * inline SVG: iteration plots, parity plots of model 0 on the last iteration's validation frames,
 * P(CN) of the data set per system type vs a long MD of a nanoparticle at 300 K with model 0).
 * Units: eV/atom, eV/Å, s, K, Å.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from '../core/atoms.ts';
import { cnDistribution } from '../core/analysis/coordination.ts';
import { errorMetrics } from '../core/analysis/errors.ts';
import { icosahedron } from '../core/build/icosahedron.ts';
import { readExtxyz, writeExtxyz } from '../core/io/extxyz.ts';
import { initLangevin, langevin } from '../core/md/langevin.ts';
import { MdExplosionError, runMd } from '../core/md/run-md.ts';
import { withMaxwellBoltzmann } from '../core/md/velocities.ts';
import { DpCalculator } from '../core/potentials/dp/evaluator.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import type { IterationSummary } from '../backend/store/iterations.ts';
import type { Plan, SystemKind } from './plan.ts';
import { builderCluster } from './systems.ts';
import { kindCounts } from './iteration.ts';
import { writeAtomic } from '../node/write-atomic.ts';
import { readMember, type MemberResult, type TrainingFrame } from './train.ts';
import { median, readLaggingRecord, trustWarning, validationRmse, type LaggingRecord, type RmsePair } from './lagging.ts';
import { barChart, lineChart, parityChart, type Series } from './svg.ts';
import { KINDS } from './select.ts';

export interface KindFractions { frames: number; accurate: number; candidate: number; failed: number }

export interface ReportIteration {
  number: number;
  status: string;
  note: string;
  /** Per system type: frame count and fractions (accurate + candidate + failed = 1). */
  fractions: Partial<Record<SystemKind, KindFractions>>;
  exploration: IterationSummary['exploration'];
  framesSelected: number;
  framesLabeled: number;
  framesFailed: number;
  datasetSize: number;
  ensembleId: number | null;
  /** Mean over the ensemble's models (the store's summary). */
  rmse: IterationSummary['rmse'];
  /** Median over the models: one bad model moves the mean, not the median. */
  rmseMedian: { train: RmsePair | null; validation: RmsePair | null };
  /** Per model (after any lagging-seed replacement): seed and RMSEs, energy eV/atom, force eV/Å. */
  models: Array<{ model: number; seed: number; train: RmsePair; validation: RmsePair | null }>;
  /** The lagging-seed rule's record (null: off, or no validation frames). */
  lagging: LaggingRecord | null;
  /** Why "accurate" is out of reach (validation force RMSE above trust lo), or null. */
  trustWarning: string | null;
  /** Wall time per stage, s, runs killed before the stage finished included. */
  stageSeconds: Record<string, number>;
  wallSeconds: number;
}

export interface LoopReport {
  plan: string;
  command: string;
  where: string;
  engine: string;
  labeler: string;
  converged: boolean;
  stopReason: string;
  initSeconds: number;
  iterations: ReportIteration[];
  final: null | {
    iteration: number;
    models: string[];
    /** Model 0 on the last iteration's validation frames (never trained on). */
    validation: { frames: number; energyPerAtom: { rmse: number; mse: number; mue: number }; force: { rmse: number; mse: number; mue: number } } | null;
    cn: { cutoff: number; dataset: Partial<Record<SystemKind, { cn: number[]; p: number[]; atoms: number }>>; md: { atoms: number; temperatureK: number; steps: number; frames: number; stopped: string | null; cn: number[]; p: number[] } | null };
  };
}

const medianPair = (ps: RmsePair[]): RmsePair | null =>
  ps.length ? { energyPerAtom: median(ps.map((p) => p.energyPerAtom)), force: median(ps.map((p) => p.force)) } : null;

/** One iteration of the report: the store's summary plus the per-model metrics kept in its model folder `mdir`. */
export function reportIteration(s: IterationSummary, plan: Plan, mdir: string, nModels: number): ReportIteration {
  const members = Array.from({ length: nModels }, (_, k) => readMember(mdir, k)).flatMap((m, k) => (m ? [{ m, k }] : []));
  const models = members.map(({ m, k }) => ({ model: k, seed: m.seed, train: { energyPerAtom: m.metrics.rmseEnergyPerAtomTrain, force: m.metrics.rmseForceTrain }, validation: validationRmse(m) }));
  const val = models.flatMap((m) => (m.validation ? [m.validation] : []));
  const rmseMedian = { train: medianPair(models.map((m) => m.train)), validation: val.length === models.length ? medianPair(val) : null };
  const explored = [...new Set(s.exploration.flatMap((e) => (e.kind === 'studio' ? [] : [e.kind])))];
  const counts = kindCounts(s);
  const fractions: Partial<Record<SystemKind, KindFractions>> = {};
  for (const [k, c] of Object.entries(counts) as [SystemKind, { frames: number; accurate: number; candidate: number; failed: number }][]) {
    fractions[k] = { frames: c.frames, accurate: c.accurate / c.frames, candidate: c.candidate / c.frames, failed: c.failed / c.frames };
  }
  return {
    number: s.number, status: s.status, note: s.note, fractions, exploration: s.exploration, framesSelected: s.framesSelected, framesLabeled: s.framesLabeled,
    framesFailed: s.framesFailed, datasetSize: s.datasetSize, ensembleId: s.ensembleId, rmse: s.rmse, rmseMedian, models,
    lagging: readLaggingRecord(mdir), trustWarning: rmseMedian.validation ? trustWarning(plan, explored, rmseMedian.validation.force) : null, stageSeconds: s.stageSeconds,
    wallSeconds: Object.values(s.stageSeconds).reduce((a, b) => a + b, 0),
  };
}

/** System type of a data-set frame: cluster (no cell), bulk (periodic in 3D), surface (2D). */
export function frameKind(f: Frame): SystemKind {
  const p = f.pbc.filter(Boolean).length;
  return f.cell === null || p === 0 ? 'cluster' : p === 3 ? 'bulk' : 'surface';
}

/** The reference MD of the report (cached in DIR/report/): a cluster of mdAtoms at mdTemperature with model 0. */
function referenceMd(plan: Plan, dir: string, iteration: number, model0: DpModel, seed: number, log: (m: string) => void): { frames: Frame[]; stopped: string | null } {
  const r = plan.report;
  const file = join(dir, 'report', `md-iter${iteration}-${plan.element}${r.mdAtoms}-${r.mdTemperature}K.extxyz`);
  if (existsSync(file)) {
    const frames = readExtxyz(readFileSync(file, 'utf8'), file);
    return { frames, stopped: frames.length ? (frames[0].info?.stopped as string | undefined) ?? null : null };
  }
  mkdirSync(join(dir, 'report'), { recursive: true });
  const start = builderCluster('icosahedron', plan.element, r.mdAtoms) ?? builderCluster('decahedron', plan.element, r.mdAtoms) ?? builderCluster('octahedron', plan.element, r.mdAtoms) ?? icosahedron(plan.element, 3);
  const calc = new DpCalculator(model0, { onWarning: () => {} });
  log(`report: ${r.mdSteps}-step MD of ${plan.element}${start.symbols.length} at ${r.mdTemperature} K with model 0 (P(CN) reference)`);
  const state = initLangevin(withMaxwellBoltzmann(start, r.mdTemperature, seed, { zeroAngularMomentum: false }), calc, { dt: plan.dt, temperatureK: r.mdTemperature, seed: seed + 1 });
  let frames: Frame[];
  let stopped: string | null = null;
  try {
    frames = runMd(langevin, state, calc, { steps: r.mdSteps, saveEvery: r.mdSaveEvery }).frames;
  } catch (e) {
    if (!(e instanceof MdExplosionError)) throw e;
    frames = e.frames.slice(0, -1);
    stopped = e.message;
  }
  const kept = frames.map((f) => ({ symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc, info: { ...(stopped ? { stopped } : {}) } }));
  writeAtomic(file, writeExtxyz(kept));
  return { frames: kept, stopped };
}

/** Build the final part of the report: parity on validation frames, P(CN). */
export interface Parity { eRef: number[]; ePred: number[]; fRef: number[]; fPred: number[] }

export function finalSection(plan: Plan, dir: string, iteration: number, modelFiles: string[], models: DpModel[], members: MemberResult[], data: TrainingFrame[], seed: number, log: (m: string) => void): { final: NonNullable<LoopReport['final']>; parity: Parity } {
  const byId = new Map(data.map((d) => [d.id, d]));
  const val = (members[0]?.validationIds ?? []).map((id) => byId.get(id)).filter((d): d is TrainingFrame => d !== undefined);
  let validation: NonNullable<LoopReport['final']>['validation'] = null;
  const parity: Parity = { eRef: [], ePred: [], fRef: [], fPred: [] };
  if (val.length && models.length) {
    const calc = new DpCalculator(models[0], { onWarning: () => {} });
    for (const d of val) {
      const r = calc.compute(d.frame);
      const n = d.frame.symbols.length;
      parity.eRef.push(d.energy / n); parity.ePred.push(r.energy / n);
      for (let k = 0; k < d.forces.length; k++) { parity.fRef.push(d.forces[k]); parity.fPred.push(r.forces[k]); }
    }
    const em = errorMetrics(parity.ePred, parity.eRef), fm = errorMetrics(parity.fPred, parity.fRef);
    validation = { frames: val.length, energyPerAtom: { rmse: em.rmse, mse: em.mse, mue: em.mue }, force: { rmse: fm.rmse, mse: fm.mse, mue: fm.mue } };
  }
  const cutoff = plan.selection.cnCutoff;
  const dataset: NonNullable<LoopReport['final']>['cn']['dataset'] = {};
  for (const k of KINDS) {
    const fr = data.filter((d) => frameKind(d.frame) === k).map((d) => d.frame);
    if (fr.length) { const c = cnDistribution(fr, cutoff); dataset[k] = { cn: c.cn, p: c.p, atoms: c.atoms }; }
  }
  let md: NonNullable<LoopReport['final']>['cn']['md'] = null;
  if (models.length) {
    const r = referenceMd(plan, dir, iteration, models[0], seed, log);
    if (r.frames.length) {
      const c = cnDistribution(r.frames, cutoff);
      md = { atoms: r.frames[0].symbols.length, temperatureK: plan.report.mdTemperature, steps: plan.report.mdSteps, frames: r.frames.length, stopped: r.stopped, cn: c.cn, p: c.p };
    }
  }
  return { final: { iteration, models: modelFiles, validation, cn: { cutoff, dataset, md } }, parity };
}

const COLORS: Record<SystemKind, string> = { cluster: '#1f77b4', bulk: '#d62728', surface: '#2ca02c' };
const STAGE_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b'];

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const pair = (p: RmsePair | null): string => (p ? `${(1000 * p.energyPerAtom).toFixed(2)} / ${p.force.toFixed(3)}` : '–');
const replacedCell = (l: LaggingRecord | null): string => (l === null ? 'off' : l.replaced.length === 0 ? 'none'
  : l.replaced.map((x) => `model ${x.model}: seed ${x.oldSeed} (F ${x.old.force.toFixed(3)}) → ${x.newSeed} (F ${x.new ? x.new.force.toFixed(3) : '…'}), kept ${x.kept ?? '…'}`).join('<br>'));

/** The self-contained HTML report. */
export function reportHtml(r: LoopReport, parity: Parity | null): string {
  const xs = r.iterations.map((i) => i.number);
  const frac = (kind: SystemKind, key: 'accurate' | 'candidate' | 'failed') => r.iterations.map((i) => i.fractions[kind]?.[key] ?? NaN);
  const kindsSeen = KINDS.filter((k) => r.iterations.some((i) => i.fractions[k]));
  const accSeries: Series[] = kindsSeen.map((k) => ({ name: `${k} accurate`, x: xs, y: frac(k, 'accurate'), color: COLORS[k] }));
  const candSeries: Series[] = kindsSeen.flatMap((k) => [
    { name: `${k} candidate`, x: xs, y: frac(k, 'candidate'), color: COLORS[k] },
    { name: `${k} failed`, x: xs, y: frac(k, 'failed'), color: COLORS[k], dashed: true },
  ]);
  const stages = [...new Set(r.iterations.flatMap((i) => Object.keys(i.stageSeconds)))];
  const charts = [
    lineChart('Accurate fraction per system type', 'iteration', 'fraction of explored frames', accSeries, { y0: 0, y1: 1 }),
    lineChart('Candidate (solid) and failed (dashed) fractions', 'iteration', 'fraction of explored frames', candSeries, { y0: 0, y1: 1 }),
    lineChart('Data set and labels', 'iteration', 'frames', [
      { name: 'labeled frames in the data set', x: xs, y: r.iterations.map((i) => i.datasetSize), color: '#333' },
      { name: 'labeled this iteration', x: xs, y: r.iterations.map((i) => i.framesLabeled), color: '#ff7f0e' },
    ], { y0: 0 }),
    lineChart('Energy RMSE (mean and median over models)', 'iteration', 'eV/atom', [
      { name: 'train mean', x: xs, y: r.iterations.map((i) => i.rmse.train?.energyPerAtom ?? NaN), color: '#1f77b4' },
      { name: 'validation mean', x: xs, y: r.iterations.map((i) => i.rmse.validation?.energyPerAtom ?? NaN), color: '#d62728' },
      { name: 'validation median', x: xs, y: r.iterations.map((i) => i.rmseMedian.validation?.energyPerAtom ?? NaN), color: '#d62728', dashed: true },
    ], { logY: true }),
    lineChart('Validation force RMSE per model (dashed: median)', 'iteration', 'eV/Å', [
      ...Array.from({ length: Math.max(0, ...r.iterations.map((i) => i.models.length)) }, (_, k) => ({
        name: `model ${k}`, x: xs, y: r.iterations.map((i) => i.models[k]?.validation?.force ?? NaN), color: STAGE_COLORS[k % STAGE_COLORS.length] })),
      { name: 'median', x: xs, y: r.iterations.map((i) => i.rmseMedian.validation?.force ?? NaN), color: '#333', dashed: true },
      { name: 'mean', x: xs, y: r.iterations.map((i) => i.rmse.validation?.force ?? NaN), color: '#999', dashed: true },
    ], { logY: true }),
    lineChart('Wall time per stage', 'iteration', 's', stages.map((s, k) => ({ name: s, x: xs, y: r.iterations.map((i) => i.stageSeconds[s] ?? NaN), color: STAGE_COLORS[k % STAGE_COLORS.length] })), { y0: 0 }),
  ];
  const f = r.final;
  if (f && parity && parity.eRef.length) {
    charts.push(parityChart(`Energy, validation frames of iteration ${f.iteration} (model 0)`, 'eV/atom', parity.eRef, parity.ePred));
    charts.push(parityChart(`Force components, validation frames (model 0)`, 'eV/Å', parity.fRef, parity.fPred, '#d62728'));
  }
  if (f) {
    const maxCn = Math.max(0, ...Object.values(f.cn.dataset).map((d) => d!.cn.length - 1), f.cn.md ? f.cn.md.cn.length - 1 : 0);
    const cats = Array.from({ length: maxCn + 1 }, (_, k) => k);
    const series = [
      ...KINDS.filter((k) => f.cn.dataset[k]).map((k) => ({ name: `data set: ${k} (${f.cn.dataset[k]!.atoms} atoms)`, y: cats.map((c) => f.cn.dataset[k]!.p[c] ?? 0), color: COLORS[k] })),
      ...(f.cn.md ? [{ name: `MD Cu${f.cn.md.atoms} ${f.cn.md.temperatureK} K (model 0)`, y: cats.map((c) => f.cn.md!.p[c] ?? 0), color: '#555' }] : []),
    ];
    charts.push(barChart(`P(CN), cutoff ${f.cn.cutoff} Å`, 'coordination number', 'fraction of atoms', cats, series));
  }
  const rows = r.iterations.map((i) => `<tr><td>${i.number}</td><td>${i.status}</td>${KINDS.map((k) => {
    const x = i.fractions[k];
    return `<td>${x ? `${(100 * x.accurate).toFixed(1)} / ${(100 * x.candidate).toFixed(1)} / ${(100 * x.failed).toFixed(1)} (${x.frames})` : '–'}</td>`;
  }).join('')}<td>${i.framesSelected}</td><td>${i.framesLabeled}</td><td>${i.datasetSize}</td><td>${pair(i.rmse.validation)}</td><td>${pair(i.rmseMedian.validation)}</td>` +
    `<td>${i.models.map((m) => `${m.model}: ${pair(m.validation)}`).join('<br>') || '–'}</td><td>${replacedCell(i.lagging)}</td><td>${i.wallSeconds.toFixed(0)}</td></tr>`).join('\n');
  const warnings = r.iterations.filter((i) => i.trustWarning).map((i) => `<li>iteration ${i.number}: ${esc(i.trustWarning!)}</li>`);
  const v = f?.validation;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nanostudio loop: ${r.plan}</title>
<style>body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
.charts{display:flex;flex-wrap:wrap;gap:10px}.charts svg{border:1px solid #eee;background:#fff}code{background:#f4f4f4;padding:1px 4px}</style></head>
<body>
<h1>Active learning: ${r.plan}</h1>
<p><code>${esc(r.command)}</code></p>
<p>${r.iterations.length} iteration(s); ${r.converged ? '<b>converged</b>: ' : ''}${r.stopReason}. Labeler ${r.labeler}; exploration engine ${r.engine}; ${r.where}. Initial data: ${r.initSeconds.toFixed(0)} s.</p>
<table><tr><th>iteration</th><th>status</th>${KINDS.map((k) => `<th>${k} % accurate / candidate / failed (frames)</th>`).join('')}<th>selected</th><th>labeled</th><th>data set</th><th>validation RMSE, mean over models, meV/atom / eV/Å</th><th>median over models</th><th>per model</th><th>lagging seeds retrained</th><th>wall s (killed runs included)</th></tr>
${rows}</table>
${warnings.length ? `<p><b>Warning</b>: "accurate" out of reach:</p><ul>${warnings.join('')}</ul>` : ''}
${v ? `<p>Model 0 of iteration ${f!.iteration} on its ${v.frames} validation frames: energy RMSE ${(1000 * v.energyPerAtom.rmse).toFixed(2)} meV/atom (MSE ${(1000 * v.energyPerAtom.mse).toFixed(2)}, MUE ${(1000 * v.energyPerAtom.mue).toFixed(2)}), force RMSE ${v.force.rmse.toFixed(4)} eV/Å (MUE ${v.force.mue.toFixed(4)}).</p>` : ''}
${f?.cn.md?.stopped ? `<p>Reference MD stopped early: ${f.cn.md.stopped}</p>` : ''}
<div class="charts">${charts.join('\n')}</div>
</body></html>
`;
}
