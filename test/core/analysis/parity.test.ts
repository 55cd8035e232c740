import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parityData } from '../../../src/core/analysis/parity.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { Eam } from '../../../src/core/potentials/eam.ts';
import { LennardJones } from '../../../src/core/potentials/lj.ts';
import { refPath } from '../../helpers/refdata.ts';
import { makeFrame } from '../../../src/core/atoms.ts';

describe('parity data', () => {
  const eam = Eam.fromText(readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8'), 'Cu_mishin1.eam.alloy');
  const frames = [2, 3].map((shells) => icosahedron('Cu', shells)).map((f, k) => makeFrame(f.symbols, f.positions.map((v, i) => v + 0.05 * Math.sin(7 * i + k))));
  const labeled = frames.map((frame) => { const r = eam.compute(frame); return { frame, energy: r.energy, forces: r.forces }; });

  it('a model equal to the labels has zero error; the points are the labels', () => {
    const p = parityData(eam, labeled);
    expect(p.metrics.energyPerAtom.rmse).toBe(0);
    expect(p.metrics.force.rmse).toBe(0);
    expect(p.metrics.force.n).toBe(3 * (13 + 55));
    expect(p.energyPerAtom.ref[1]).toBeCloseTo(labeled[1].energy / 55, 12);
    expect(p.force.frame[3 * 13]).toBe(1);
    expect(p.force.atom[3 * 13 + 4]).toBe(1);
  });

  it('another potential: the metrics are those of the stated differences, and thinning keeps every component in the metrics', () => {
    const lj = new LennardJones({ epsilon: 0.4, sigma: 2.3 });
    const p = parityData(lj, labeled, { maxForcePoints: 50 });
    const e = labeled.map((l) => lj.compute(l.frame).energy / l.frame.symbols.length - l.energy / l.frame.symbols.length);
    expect(p.metrics.energyPerAtom.mse).toBeCloseTo((e[0] + e[1]) / 2, 12);
    expect(p.metrics.force.n).toBe(204);
    expect(p.force.stride).toBe(5);
    expect(p.force.pred.length).toBe(Math.ceil(204 / 5));
    expect(() => parityData(lj, [{ ...labeled[0], forces: new Float64Array(3) }])).toThrow(/frame 0 has 3 force components for 13 atoms/);
  });
});

describe('parity per subset', () => {
  it('forceMetricsOf over all frames equals the whole-set force metrics', async () => {
    const { readFileSync: rf } = await import('node:fs');
    const { forceMetricsOf } = await import('../../../src/core/analysis/parity.ts');
    const eam = Eam.fromText(rf(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8'), 'm');
    const lj = new LennardJones({ epsilon: 0.4, sigma: 2.3 });
    const frames = [2, 3].map((s) => icosahedron('Cu', s)).map((frame) => { const r = eam.compute(frame); return { frame, energy: r.energy, forces: r.forces }; });
    const p = parityData(lj, frames);
    const all = forceMetricsOf(p, [0, 1]);
    expect(all.n).toBe(p.metrics.force.n);
    expect(all.rmse).toBeCloseTo(p.metrics.force.rmse, 12);
    expect(all.mse).toBeCloseTo(p.metrics.force.mse, 12);
    expect(all.maxAbs).toBe(p.metrics.force.maxAbs);
    expect(forceMetricsOf(p, [0]).n).toBe(39);
  });
});
