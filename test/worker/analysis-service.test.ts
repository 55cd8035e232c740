import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../src/worker/analysis-service.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { bulk } from '../../src/core/build/bulk.ts';
import { ROOT, refPath } from '../helpers/refdata.ts';
import { Eam } from '../../src/core/potentials/eam.ts';

const demo = () => ({ name: 'cu_eam_demo_0.dp', bytes: new Uint8Array(readFileSync(resolve(ROOT, 'public/models/cu_eam_demo_0.dp'))) });
const plain = (f: ReturnType<typeof icosahedron>) => ({ symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc });

describe('analysis service (the analysis worker in Node)', () => {
  it('names the missing model instead of failing obscurely', () => {
    const s = new AnalysisService();
    expect(() => s.descriptorMap([{ label: 'x', frames: [plain(icosahedron('Cu', 2))] }])).toThrow(/descriptor map needs a DP model/);
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
    await s.setModel(demo());
    const seen: number[] = [];
    const out = s.descriptorMap([
      { label: 'Cu13', frames: [plain(icosahedron('Cu', 2))] },
      { label: 'Cu55', frames: [plain(icosahedron('Cu', 3))] },
    ], (x) => seen.push(x));
    expect(out.xy.length).toBe(2 * 68);
    expect(out.group[12]).toBe(0);
    expect(out.group[13]).toBe(1);
    expect(out.atom[13]).toBe(0);
    expect(out.explained[0]).toBeGreaterThan(out.explained[1]);
    expect(out.descriptor).toMatch(/DP se_e2_a descriptor of cu_eam_demo_0.dp/);
    expect(seen.at(-1)).toBe(1);
  });

  it('parity of the demo model against EAM labels, and a melting ladder with EAM', async () => {
    const s = new AnalysisService();
    await s.setModel(demo());
    const eam = Eam.fromText(readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8'), 'Cu_mishin1.eam.alloy');
    const f = icosahedron('Cu', 3);
    const r = eam.compute(f);
    const p = s.parity([{ ...plain(f), id: 7, energy: r.energy, forces: r.forces }]);
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
