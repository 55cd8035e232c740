/**
 * The float64 CPU evaluator against every case of shared/refdata/deepmd (DeePMD-kit's own test
 * case for deeppot_sea in its three encodings, and the synthetic production-size Cu model).
 * Tolerances (spec §9): energies 1e-10 relative, forces 1e-9 eV/Å, virials 1e-9 eV.
 */
import { describe, expect, it } from 'vitest';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import { cuCases, frameOf, maxAbsDiff, refModel, seaCases } from './helpers.ts';

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
