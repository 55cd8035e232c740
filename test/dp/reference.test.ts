/**
 * The float64 CPU evaluator against every case of shared/refdata/deepmd (DeePMD-kit's own test
 * case for deeppot_sea in its three encodings, and the synthetic production-size Cu model).
 * Tolerances (spec §9): energies 1e-10 relative, forces 1e-9 eV/Å, virials 1e-9 eV.
 */
import { describe, expect, it } from 'vitest';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import { cuCases, frameOf, maxAbsDiff, refModel, seaCases } from './helpers.ts';
import { finiteDifferenceErrors, randomCluster } from './systems.ts';
import { makeFrame, type Frame } from '../../src/core/atoms.ts';
import { seeded } from './random-model.ts';

const ENERGY_REL = 1e-10;
const FORCE_ABS = 1e-9;
const VIRIAL_ABS = 1e-9;

describe('deeppot_sea (O/H, type_one_side, DeePMD-kit test case)', () => {
  for (const file of ['deeppot_sea.dp', 'deeppot_sea.yaml', 'deeppot_sea.model.json']) {
    describe(file, () => {
      seaCases().forEach((c, k) => {
        it(`block ${k} (${c.box ? `PBC ${c.box[0]}×${c.box[4]}×${c.box[8]}` : 'no PBC'})`, async () => {
          const model = await refModel(`deepmd/${file}`);
          const ev = new DpEvaluator(model);
          const r = ev.evaluate(frameOf(c.coord, c.atype, model.typeMap, c.box), { descriptors: true });
          expect(Math.abs(r.energy - c.energy)).toBeLessThanOrEqual(ENERGY_REL * Math.abs(c.energy));
          for (let i = 0; i < c.atomic_energy.length; i++) {
            expect(Math.abs(r.atomicEnergies[i] - c.atomic_energy[i])).toBeLessThanOrEqual(ENERGY_REL * Math.abs(c.atomic_energy[i]));
          }
          expect(maxAbsDiff(r.forces, c.force)).toBeLessThanOrEqual(FORCE_ABS);
          expect(maxAbsDiff(r.atomicVirials, c.atomic_virial)).toBeLessThanOrEqual(VIRIAL_ABS);
          expect(maxAbsDiff(r.virial, c.virial)).toBeLessThanOrEqual(VIRIAL_ABS);
          if (c.descriptor) expect(maxAbsDiff(r.descriptors!, c.descriptor)).toBeLessThanOrEqual(1e-12);
          if (c.fit_ll) expect(maxAbsDiff(r.fittingLastHidden!, c.fit_ll)).toBeLessThanOrEqual(1e-12);
          expect(r.neighbors.truncatedAtoms).toBe(0);
        });
      });
    });
  }
});

describe('cu_synthetic_se_e2_a (production layout 25-50-100 / 240×3)', () => {
  for (const c of cuCases()) {
    it(c.name, async () => {
      const model = await refModel('deepmd/cu_synthetic_se_e2_a.dp');
      const ev = new DpEvaluator(model);
      const r = ev.evaluate(frameOf(c.coord, c.atype, model.typeMap, c.box), { descriptors: true });
      expect(Math.abs(r.energy - c.energy)).toBeLessThanOrEqual(ENERGY_REL * Math.abs(c.energy));
      for (let i = 0; i < c.natoms; i++) {
        expect(Math.abs(r.atomicEnergies[i] - c.atom_energy[i])).toBeLessThanOrEqual(ENERGY_REL * Math.abs(c.atom_energy[i]));
      }
      expect(maxAbsDiff(r.forces, c.force)).toBeLessThanOrEqual(FORCE_ABS);
      expect(maxAbsDiff(r.virial, c.virial)).toBeLessThanOrEqual(VIRIAL_ABS);
      expect(maxAbsDiff(r.atomicVirials, c.atom_virial)).toBeLessThanOrEqual(VIRIAL_ABS);
      expect(maxAbsDiff(r.descriptors!.subarray(0, c.descriptor_atom0.length), c.descriptor_atom0)).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe('finite differences of the reference models (analytic forces and virial)', () => {
  it('deeppot_sea on a random O/H cluster and in a 7 Å triclinic box (< 2 rc: self-images)', async () => {
    const model = await refModel('deepmd/deeppot_sea.dp');
    const ev = new DpEvaluator(model);
    const E = (f: Frame) => ev.evaluate(f, { energyOnly: true }).energy;
    const cluster = randomCluster(9, 21, ['O', 'H', 'H'], 1.0, 4.0);
    const rnd = seeded(5);
    const cell = [7, 0, 0, 0.6, 6.8, 0, -0.4, 0.3, 7.1];
    const pos: number[] = [];
    for (let i = 0; i < 6; i++) pos.push(...[0, 1, 2].map(() => 1 + 5 * rnd()));
    const box = makeFrame(['O', 'H', 'H', 'O', 'H', 'H'], pos, cell, [true, true, true]);
    for (const f of [cluster, box]) {
      const r = ev.evaluate(f);
      const fd = finiteDifferenceErrors(E, f, r.forces, r.virial, 1e-5);
      expect(fd.force).toBeLessThan(1e-7);
      expect(fd.virial).toBeLessThan(1e-6);
    }
  });

  it('cu_synthetic on the periodic fcc32 case (2×2×2 cell of 7.23 Å)', async () => {
    const model = await refModel('deepmd/cu_synthetic_se_e2_a.dp');
    const ev = new DpEvaluator(model);
    const c = cuCases().find((x) => x.pbc)!;
    const f = frameOf(c.coord, c.atype, model.typeMap, c.box);
    const r = ev.evaluate(f);
    // Three atoms' coordinates keep the test fast; the virial uses all 9 strains.
    const coords = [0, 5, 17].flatMap((i) => [3 * i, 3 * i + 1, 3 * i + 2]);
    const fd = finiteDifferenceErrors((x) => ev.evaluate(x, { energyOnly: true }).energy, f, r.forces, r.virial, 1e-5, coords);
    expect(fd.force).toBeLessThan(1e-7);
    expect(fd.virial).toBeLessThan(1e-6);
  });
});
