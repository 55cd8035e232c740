import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../src/worker/analysis-service.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { bulk } from '../../src/core/build/bulk.ts';
import { ROOT, refPath } from '../helpers/refdata.ts';
import { Eam } from '../../src/core/potentials/eam.ts';

const demoFile = (k: number) => ({ name: `cu_eam_demo_${k}.dp`, bytes: new Uint8Array(readFileSync(resolve(ROOT, `public/models/cu_eam_demo_${k}.dp`))) });
const demo = () => [0, 1, 2, 3].map(demoFile);
const M0 = { ensemble: 'demo', model: 0 } as const;
const plain = (f: ReturnType<typeof icosahedron>) => ({ symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc });

describe('analysis service (the analysis worker in Node)', () => {
  it('names the missing model instead of failing obscurely', () => {
    const s = new AnalysisService();
    expect(() => s.descriptorMap([{ label: 'x', frames: [plain(icosahedron('Cu', 2))] }], M0)).toThrow(/descriptor map needs a DP model/);
  });

  it('P(CN): Cu55 vs bulk fcc with one cutoff', () => {
    const s = new AnalysisService();
    const [ico, fcc] = s.coordination([
      { label: 'Cu55', frames: [plain(icosahedron('Cu', 3))] },
      { label: 'fcc', frames: [plain(bulk('Cu', 'fcc', { a: 3.61, cubic: true, repeat: [3, 3, 3] }))] },
    ], 3.0);
    expect(ico.atoms).toBe(55);
    expect(fcc.p[12]).toBe(1);
    expect(ico.p[12]).toBeCloseTo(13 / 55, 12); // centre + 12 inner-shell atoms
  });

  it('descriptor map of two groups keeps back-references and reports progress', async () => {
    const s = new AnalysisService();
    await s.loadEnsemble('demo', 'Cu demo ensemble', demo());
    const seen: number[] = [];
    const out = s.descriptorMap([
      { label: 'Cu13', frames: [plain(icosahedron('Cu', 2))] },
      { label: 'Cu55', frames: [plain(icosahedron('Cu', 3))] },
    ], { ensemble: 'demo', model: 1 }, (x) => seen.push(x));
    expect(out.xy.length).toBe(2 * 68);
    expect(out.group[12]).toBe(0);
    expect(out.group[13]).toBe(1);
    expect(out.atom[13]).toBe(0);
    expect(out.explained[0]).toBeGreaterThan(out.explained[1]);
    expect(out.descriptor).toBe('DP se_e2_a descriptor of model 1 (cu_eam_demo_1.dp) of Cu demo ensemble');
    expect(() => s.descriptorMap([{ label: 'Cu13', frames: [plain(icosahedron('Cu', 2))] }], { ensemble: 'demo', model: 'mean' })).toThrow(/one model of the ensemble, not the mean/);
    expect(() => s.descriptorMap([{ label: 'Cu13', frames: [plain(icosahedron('Cu', 2))] }], { ensemble: 'demo', model: 4 })).toThrow(/has models 0–3, not 4/);
    expect(seen.at(-1)).toBe(1);
  });

  it('parity of the demo model against EAM labels, and a melting ladder with EAM', async () => {
    const s = new AnalysisService();
    await s.loadEnsemble('demo', 'Cu demo ensemble', demo());
    const eam = Eam.fromText(readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8'), 'Cu_mishin1.eam.alloy');
    const f = icosahedron('Cu', 3);
    const r = eam.compute(f);
    const p = s.parity([{ ...plain(f), id: 7, energy: r.energy, forces: r.forces }], M0);
    expect(p.model).toBe('model 0 (cu_eam_demo_0.dp) of Cu demo ensemble');
    expect(p.ids).toEqual([7]);
    expect(p.metrics.force.n).toBe(165);
    // The demo ensemble was trained on EAM labels (Cu_u3 family): errors are finite and small but not zero.
    expect(p.metrics.force.rmse).toBeGreaterThan(0);
    expect(p.metrics.force.rmse).toBeLessThan(1);
    const rungs: number[] = [];
    const m = await s.melting(plain(icosahedron('Cu', 2)), { kind: 'eam', name: 'Cu_mishin1.eam.alloy', text: readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8') },
      { temperaturesK: [200, 400], equilibrationSteps: 100, samplingSteps: 200, sampleEvery: 10, dtFs: 2, seed: 2 }, (pt) => rungs.push(pt.targetK));
    expect(rungs).toEqual([200, 400]);
    expect(m.points).toHaveLength(2);
    expect(m.cancelled).toBe(false);
  });

  it('parity of the ensemble mean: energies and forces averaged over the models, each model evaluated on its own', async () => {
    const s = new AnalysisService();
    const info = await s.loadEnsemble('demo', 'Cu demo ensemble', demo());
    expect(info.models).toEqual(demo().map((f) => f.name));
    expect(s.ensembleInfo('demo')?.name).toBe('Cu demo ensemble');
    expect(s.ensembleInfo('other')).toBeNull();
    const f = icosahedron('Cu', 2);
    const labeled = [{ ...plain(f), id: 1, energy: -40, forces: new Float64Array(39) }];
    const one = [0, 1, 2, 3].map((k) => s.parity(labeled, { ensemble: 'demo', model: k }));
    const mean = s.parity(labeled, { ensemble: 'demo', model: 'mean' });
    expect(mean.model).toBe('mean of the 4 models of Cu demo ensemble');
    const eMean = one.reduce((a, p) => a + p.energyPerAtom.pred[0], 0) / 4;
    expect(mean.energyPerAtom.pred[0]).toBeCloseTo(eMean, 12);
    for (const c of [0, 7, 38]) expect(mean.force.pred[c]).toBeCloseTo(one.reduce((a, p) => a + p.force.pred[c], 0) / 4, 12);
    // The models differ (they measure the deviation), so model 0 is not the mean.
    expect(Math.abs(one[0].energyPerAtom.pred[0] - one[1].energyPerAtom.pred[0])).toBeGreaterThan(1e-6);
  });

  it('keeps ensembles apart by key: model 0 of each is its own first file', async () => {
    const s = new AnalysisService();
    await s.loadEnsemble('a', 'ensemble a', [demoFile(0)]);
    await s.loadEnsemble('b', 'ensemble b', [demoFile(2), demoFile(3)]);
    await s.loadEnsemble('c', 'ensemble c', [demoFile(2)]);
    const labeled = [{ ...plain(icosahedron('Cu', 2)), id: 1, energy: -40, forces: new Float64Array(39) }];
    const e = (key: string) => s.parity(labeled, { ensemble: key, model: 0 }).energyPerAtom.pred[0];
    expect(e('b')).toBe(e('c'));
    expect(Math.abs(e('b') - e('a'))).toBeGreaterThan(1e-6);
    expect(() => s.parity(labeled, { ensemble: 'd', model: 0 })).toThrow(/needs a DP model/);
  });

  it('cancel() from another task stops a CPU melting ladder inside its first rung (the worker loop yields between chunks)', async () => {
    const s = new AnalysisService();
    const text = readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8');
    const params = { temperaturesK: [300, 600, 900], equilibrationSteps: 100_000, samplingSteps: 100_000, sampleEvery: 10, dtFs: 2, seed: 2 };
    const running = s.melting(plain(icosahedron('Cu', 2)), { kind: 'eam', name: 'Cu_mishin1.eam.alloy', text }, params);
    setTimeout(() => s.cancel(), 300);
    const m = await running;
    expect(m.cancelled).toBe(true);
    expect(m.points).toHaveLength(0);
    expect(m.steps).toBeGreaterThan(0);
    expect(m.steps).toBeLessThan(200_000);
  }, 120_000);
});
