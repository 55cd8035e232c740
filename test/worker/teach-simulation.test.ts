import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TeachSimulation } from '../../src/worker/teach-simulation.ts';
import { SteeredCalculator } from '../../src/core/md/steering.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { Eam } from '../../src/core/potentials/eam.ts';
import { refPath } from '../helpers/refdata.ts';

const eam = () => Eam.fromText(readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8'), 'Cu_mishin1.eam.alloy');

describe('teaching mode: steering and heating', () => {
  it('the spring adds exactly −k(x − target) to one atom and reports ½k|Δx|²', () => {
    const f = icosahedron('Cu', 2);
    const base = eam();
    const s = new SteeredCalculator(base);
    const plain = base.compute(f);
    s.steer = { atom: 3, target: [f.positions[9] + 1, f.positions[10], f.positions[11] - 2], k: 1.5 };
    const r = s.compute(f);
    expect(r.forces[9] - plain.forces[9]).toBeCloseTo(1.5, 12);
    expect(r.forces[11] - plain.forces[11]).toBeCloseTo(-3, 12);
    expect(r.forces[0]).toBe(plain.forces[0]);
    expect(s.springEnergy).toBeCloseTo(0.5 * 1.5 * 5, 12);
    s.steer = { atom: 13, target: [0, 0, 0], k: 1 };
    expect(() => s.compute(f)).toThrow(/atom 13 does not exist \(the structure has 13 atoms\)/);
  });

  it('dragging pulls the atom toward the target; releasing stops; heating raises T', () => {
    const f = icosahedron('Cu', 2);
    const sim = new TeachSimulation(f, eam(), { temperatureK: 50, seed: 4 });
    const a = 5;
    const x0 = [f.positions[3 * a], f.positions[3 * a + 1], f.positions[3 * a + 2]];
    const norm = Math.hypot(x0[0], x0[1], x0[2]);
    const target: [number, number, number] = [x0[0] * (1 + 3 / norm), x0[1] * (1 + 3 / norm), x0[2] * (1 + 3 / norm)]; // 3 Å outward
    sim.steer({ atom: a, target, k: 2 });
    const s1 = sim.advance(300);
    const d = (p: Float64Array, i: number, t: number[]) => Math.hypot(p[3 * i] - t[0], p[3 * i + 1] - t[1], p[3 * i + 2] - t[2]);
    expect(d(s1.positions, a, target)).toBeLessThan(2); // started 3 Å away
    expect(s1.steeredAtom).toBe(a);
    sim.steer(null);
    const s2 = sim.advance(10);
    expect(s2.springEnergy).toBe(0);
    expect(s2.steeredAtom).toBeNull();
    sim.setTemperature(1200);
    let tSum = 0;
    for (let k = 0; k < 20; k++) tSum += sim.advance(100).temperatureK;
    expect(tSum / 20).toBeGreaterThan(700);
    expect(() => sim.setTemperature(-1)).toThrow(/≥ 0 K/);
  });
});
