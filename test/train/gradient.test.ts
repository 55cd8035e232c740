/**
 * The trainer's exact gradients against central finite differences in parameter space:
 * ∂E/∂θ, and ∂L/∂θ of the full DeePMD ener loss (energy + force terms; the force term needs
 * ∂²E/∂R∂θ; with a virial label on periodic cells also the virial term, which needs the strain
 * derivative ∂²E/∂ε∂θ). Also: the trainer's forward pass equals DpEvaluator (energies, forces, virial).
 */
import { describe, expect, it } from 'vitest';
import { initDpModel } from '../../src/core/train/init.ts';
import { DpTrainEngine } from '../../src/core/train/engine.ts';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import type { DpArchitecture, LabeledFrame } from '../../src/core/train/types.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import { Rng } from '../../src/core/random.ts';

function cluster(n: number, seed: number, symbols: string[]): LabeledFrame {
  const rng = new Rng(seed);
  const pos: number[] = [];
  while (pos.length < 3 * n) {
    const p = [rng.uniform() * 5, rng.uniform() * 5, rng.uniform() * 5];
    let ok = true;
    for (let j = 0; j < pos.length; j += 3) if (Math.hypot(p[0] - pos[j], p[1] - pos[j + 1], p[2] - pos[j + 2]) < 2.0) ok = false;
    if (ok) pos.push(...p);
  }
  const frame = makeFrame(Array.from({ length: n }, (_, i) => symbols[i % symbols.length]), pos);
  const forces = new Float64Array(3 * n);
  for (let i = 0; i < forces.length; i++) forces[i] = rng.normal();
  return { frame, energy: -3.5 * n + rng.normal(), forces };
}

/** A periodic triclinic cell smaller than 2·rc: images of other atoms and of the centre itself are neighbours. */
function periodic(seed: number): LabeledFrame {
  const rng = new Rng(seed);
  const cell = [4.3, 0, 0, 0.7, 4.1, 0, 0.4, -0.5, 4.0];
  const frac = [[0.1, 0.1, 0.1], [0.6, 0.55, 0.15], [0.15, 0.6, 0.55], [0.6, 0.1, 0.6], [0.4, 0.4, 0.85]];
  const pos: number[] = [];
  for (const f of frac) {
    for (let c = 0; c < 3; c++) pos.push(f[0] * cell[c] + f[1] * cell[3 + c] + f[2] * cell[6 + c] + 0.1 * rng.normal());
  }
  const frame = makeFrame(['Cu', 'Ag', 'Cu', 'Ag', 'Cu'], pos, cell, [true, true, true]);
  const forces = new Float64Array(15);
  for (let i = 0; i < 15; i++) forces[i] = rng.normal();
  const virial = new Float64Array(9);
  for (let c = 0; c < 9; c++) virial[c] = 3 * rng.normal();
  return { frame, energy: -15 + rng.normal(), forces, virial };
}

/** Non-trivial statistics (constant over slots) and biases, so every term is exercised. */
function withStats(m: DpModel, seed: number): DpModel {
  const rng = new Rng(seed);
  const d = m.descriptor;
  for (let t = 0; t < m.ntypes; t++) {
    const av = 0.1 + 0.1 * rng.uniform(), sr = 0.2 + 0.1 * rng.uniform(), sa = 0.1 + 0.1 * rng.uniform();
    for (let j = 0; j < d.nnei; j++) {
      const b = (t * d.nnei + j) * 4;
      d.davg[b] = av;
      d.dstd[b] = sr;
      d.dstd[b + 1] = d.dstd[b + 2] = d.dstd[b + 3] = sa;
    }
    m.outBias[t] = -3 + rng.normal();
  }
  return m;
}

const archs: [string, DpArchitecture][] = [
  ['Cu, type_one_side false, resnet_dt everywhere', {
    typeMap: ['Cu'], rcut: 4.5, rcutSmth: 1.0, sel: [12], embedding: [2, 4, 8], axisNeuron: 3, fitting: [8, 8],
    embeddingResnetDt: true, fittingResnetDt: true, typeOneSide: false,
  }],
  ['Cu/Ag, type_one_side true', {
    typeMap: ['Cu', 'Ag'], rcut: 4.5, rcutSmth: 0.5, sel: [8, 8], embedding: [4, 8], axisNeuron: 2, fitting: [6, 6],
    typeOneSide: true,
  }],
  ['Cu/Ag, type_one_side false, fitting widths 16 → 8', {
    typeMap: ['Cu', 'Ag'], rcut: 4.0, rcutSmth: 2.0, sel: [10, 6], embedding: [3, 6], axisNeuron: 2, fitting: [16, 8],
    typeOneSide: false, fittingResnetDt: false,
  }],
  ['Cu/Ag periodic cell < 2·rc (self images), type_one_side false', {
    typeMap: ['Cu', 'Ag'], rcut: 4.5, rcutSmth: 1.0, sel: [40, 30], embedding: [4, 8], axisNeuron: 4, fitting: [8, 8],
    typeOneSide: false, embeddingResnetDt: true,
  }],
];

/** Parameter indices to probe: a spread over the whole vector (embeddings and fitting). */
function probes(n: number, k: number, seed: number): number[] {
  const rng = new Rng(seed);
  const s = new Set<number>([0, n - 1, n - 2, Math.floor(n / 2)]);
  while (s.size < k) s.add(rng.int(n));
  return [...s];
}

describe('trainer gradients', () => {
  for (const [name, arch] of archs) {
    describe(name, () => {
      const model = withStats(initDpModel(arch, 7), 3);
      const data = name.includes('periodic') ? periodic(4) : cluster(9, 11, arch.typeMap);

      it('forward pass equals DpEvaluator (energy, forces, virial) and the tangent χ equals −(b·v)·F − U:W', () => {
        const eng = new DpTrainEngine(model);
        const pf = eng.prepare(data);
        const { energy, forces, virial } = eng.forward(pf, true);
        const ref = new DpEvaluator(eng.toModel()).evaluate(data.frame);
        expect(Math.abs(energy - ref.energy)).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref.energy)));
        for (let c = 0; c < forces.length; c++) expect(Math.abs(forces[c] - ref.forces[c])).toBeLessThan(1e-11);
        for (let c = 0; c < 9; c++) expect(Math.abs(virial[c] - ref.virial[c])).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref.virial[c])));
        const l = eng.lossAndGradient(pf, 0.5, 10, 1, 3);
        expect(Math.abs(l.tangentFromForces)).toBeGreaterThan(0);
        expect(Math.abs(l.tangent - l.tangentFromForces)).toBeLessThan(1e-10 * Math.max(1, Math.abs(l.tangentFromForces)));
      });

      it('∂E/∂θ equals central finite differences', () => {
        const eng = new DpTrainEngine(model);
        const pf = eng.prepare(data);
        eng.grad.fill(0);
        eng.energyGradient(pf);
        const g = eng.grad.slice();
        const h = 1e-5;
        let worst = 0;
        for (const k of probes(eng.size, 60, 5)) {
          const t0 = eng.theta[k];
          eng.theta[k] = t0 + h;
          const ep = eng.forward(pf, false).energy;
          eng.theta[k] = t0 - h;
          const em = eng.forward(pf, false).energy;
          eng.theta[k] = t0;
          const fd = (ep - em) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - g[k]) / Math.max(1, Math.abs(fd)));
        }
        console.log(`${name}: dE/dθ worst rel err ${worst.toExponential(2)}`);
        expect(worst).toBeLessThan(1e-7);
      });

      const withVirial = data.virial ? [false, true] : [false];
      for (const virialTerm of withVirial) it(`∂L/∂θ of the full ener loss (energy + forces${virialTerm ? ' + virial' : ''}) equals central finite differences of L`, () => {
        const eng = new DpTrainEngine(model);
        const pf = eng.prepare(virialTerm ? data : { ...data, virial: null });
        const pe = 0.3, pfr = 20, pv = virialTerm ? 5 : 0;
        eng.grad.fill(0);
        eng.lossAndGradient(pf, pe, pfr, 1, pv);
        const g = eng.grad.slice();
        const loss = (): number => {
          const { energy, forces, virial } = eng.forward(pf, true);
          let sq = 0, sv = 0;
          for (let c = 0; c < forces.length; c++) sq += (forces[c] - pf.forces[c]) ** 2;
          if (pf.virial) for (let c = 0; c < 9; c++) sv += (virial[c] - pf.virial[c]) ** 2;
          return (pe * (energy - pf.energy) ** 2) / pf.natoms + (pfr * sq) / (3 * pf.natoms) + (pv * sv) / (9 * pf.natoms);
        };
        const h = 1e-4;
        let worst = 0;
        let scale = 0;
        const ks = probes(eng.size, 60, 9);
        const fds: number[] = [];
        for (const k of ks) {
          // Five-point central stencil (error O(h⁴)).
          const t0 = eng.theta[k];
          const at = (x: number): number => {
            eng.theta[k] = x;
            return loss();
          };
          const fd = (-at(t0 + 2 * h) + 8 * at(t0 + h) - 8 * at(t0 - h) + at(t0 - 2 * h)) / (12 * h);
          eng.theta[k] = t0;
          fds.push(fd);
        }
        for (const f of fds) scale = Math.max(scale, Math.abs(f));
        ks.forEach((k, j) => {
          worst = Math.max(worst, Math.abs(fds[j] - g[k]) / Math.max(1e-3 * scale, Math.abs(fds[j])));
        });
        expect(scale).toBeGreaterThan(0);
        console.log(`${name}: dL/dθ worst rel err ${worst.toExponential(2)} (max |dL/dθ| ${scale.toExponential(2)})`);
        expect(worst).toBeLessThan(1e-6);
      });

      if (data.virial) {
        it('the virial term alone: gradient = finite differences; a frame without a virial label adds nothing (find_virial = 0)', () => {
          const eng = new DpTrainEngine(model);
          const pf = eng.prepare(data);
          eng.grad.fill(0);
          const l = eng.lossAndGradient(pf, 0, 0, 1, 7);
          const g = eng.grad.slice();
          expect(l.sumSqV).toBeGreaterThan(0);
          const lossV = (): number => {
            const { virial } = eng.forward(pf, true);
            let sv = 0;
            for (let c = 0; c < 9; c++) sv += (virial[c] - pf.virial![c]) ** 2;
            return (7 * sv) / (9 * pf.natoms);
          };
          expect(lossV()).toBeCloseTo(l.loss, 12);
          const h = 1e-4;
          const ks = probes(eng.size, 40, 13);
          const fds = ks.map((k) => {
            const t0 = eng.theta[k];
            const at = (x: number): number => {
              eng.theta[k] = x;
              return lossV();
            };
            const fd = (-at(t0 + 2 * h) + 8 * at(t0 + h) - 8 * at(t0 - h) + at(t0 - 2 * h)) / (12 * h);
            eng.theta[k] = t0;
            return fd;
          });
          const scale = Math.max(...fds.map(Math.abs));
          expect(scale).toBeGreaterThan(0);
          let worst = 0;
          ks.forEach((k, j) => { worst = Math.max(worst, Math.abs(fds[j] - g[k]) / Math.max(1e-3 * scale, Math.abs(fds[j]))); });
          console.log(`${name}: virial-loss dL/dθ worst rel err ${worst.toExponential(2)} (max ${scale.toExponential(2)})`);
          expect(worst).toBeLessThan(1e-6);

          // the same frame without its virial label: with p_v > 0 the gradient is that of p_v = 0
          const bare = eng.prepare({ ...data, virial: null });
          eng.grad.fill(0);
          const lv = eng.lossAndGradient(bare, 0.3, 20, 1, 7);
          const gv = eng.grad.slice();
          eng.grad.fill(0);
          const l0 = eng.lossAndGradient(bare, 0.3, 20, 1, 0);
          expect(lv.sumSqV).toBeNull();
          expect(lv.loss).toBe(l0.loss);
          expect(Array.from(gv)).toEqual(Array.from(eng.grad));
        });
      }
    });
  }
});
