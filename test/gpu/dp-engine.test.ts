// The WGSL DP-SE engine against the float64 CPU evaluator (and through it the DeePMD-kit
// references) on every case of shared/refdata/deepmd, the demo ensemble (fused), Cu147 and a
// periodic bulk cell. Tolerances (spec §6): per-atom energy 1e-4 eV, forces 1e-4 eV/Å.
import { describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { maxAbsDiff } from '../helpers/compare.ts';
import { DpGpuEngine } from '../../src/gpu/dp-engine.ts';
import { dpLayout } from '../../src/gpu/dp-layout.ts';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import type { Frame } from '../../src/core/atoms.ts';
import { cuCases, frameOf, refModel, seaCases } from '../dp/helpers.ts';
import { fccBulk, jitteredIcosahedron } from './gpu-test-systems.ts';

const E_ATOM_TOL = 1e-4; // eV
const F_TOL = 1e-4; // eV/Å
const V_ATOM_TOL = 1e-4; // eV

const gpu = useNodeGpu();

interface Errors { eAtom: number; eTot: number; force: number; vAtom: number; virial: number }

async function compare(engine: DpGpuEngine, models: DpModel[], frame: Frame): Promise<Errors[]> {
  const res = await engine.evaluate(frame, { virials: true });
  return models.map((model, m) => {
    const ref = new DpEvaluator(model).evaluate(frame);
    const g = res.models[m];
    return {
      eAtom: maxAbsDiff(g.atomicEnergies, ref.atomicEnergies),
      eTot: Math.abs(g.energy - ref.energy),
      force: maxAbsDiff(g.forces, ref.forces),
      vAtom: maxAbsDiff(g.atomicVirials!, ref.atomicVirials),
      virial: maxAbsDiff(g.virial!, ref.virial),
    };
  });
}

function expectWithin(errs: Errors[], natoms: number, label: string): void {
  for (const e of errs) {
    console.log(`${label}: max|ΔE_i| ${e.eAtom.toExponential(2)} eV, |ΔE| ${e.eTot.toExponential(2)} eV, max|ΔF| ${e.force.toExponential(2)} eV/Å, max|ΔW_i| ${e.vAtom.toExponential(2)} eV, max|ΔW| ${e.virial.toExponential(2)} eV`);
    expect(e.eAtom).toBeLessThanOrEqual(E_ATOM_TOL);
    expect(e.eTot).toBeLessThanOrEqual(Math.max(1e-3, E_ATOM_TOL * natoms));
    expect(e.force).toBeLessThanOrEqual(F_TOL);
    expect(e.vAtom).toBeLessThanOrEqual(V_ATOM_TOL);
    expect(e.virial).toBeLessThanOrEqual(V_ATOM_TOL * natoms);
  }
}

describe('DP-SE on the GPU vs the float64 CPU evaluator', () => {
  it('deeppot_sea (O/H, type_one_side): every block of the DeePMD-kit test case, and its references', async () => {
    const model = await refModel('deepmd/deeppot_sea.dp');
    const engine = await DpGpuEngine.create(gpu.device, [model]);
    for (const [k, c] of seaCases().entries()) {
      const frame = frameOf(c.coord, c.atype, model.typeMap, c.box);
      expectWithin(await compare(engine, [model], frame), c.atype.length, `deeppot_sea block ${k}`);
      const r = (await engine.evaluate(frame)).models[0];
      expect(maxAbsDiff(r.forces, c.force)).toBeLessThanOrEqual(F_TOL);
      expect(maxAbsDiff(r.atomicEnergies, c.atomic_energy)).toBeLessThanOrEqual(E_ATOM_TOL);
    }
    engine.destroy();
  });

  it('cu_synthetic_se_e2_a (production size): Cu13, Cu55, periodic fcc32 with self-images', async () => {
    const model = await refModel('deepmd/cu_synthetic_se_e2_a.dp');
    const engine = await DpGpuEngine.create(gpu.device, [model]);
    for (const c of cuCases()) {
      const frame = frameOf(c.coord, c.atype, model.typeMap, c.box);
      expectWithin(await compare(engine, [model], frame), c.natoms, `cu_synthetic ${c.name}`);
    }
    engine.destroy();
  });

  it('demo ensemble fused (4 models, one dispatch per kernel): Cu147 cluster and periodic fcc 108, chunked over atoms', async () => {
    const models = await Promise.all([0, 1, 2, 3].map((k) => refModel(`models/cu-eam-demo/cu_eam_demo_${k}.dp`)));
    const engine = await DpGpuEngine.create(gpu.device, models, { maxChunkAtoms: 40 });
    const cluster = jitteredIcosahedron(4, 0.05);
    expectWithin(await compare(engine, models, cluster), 147, 'demo ensemble Cu147 (chunks of 40 atoms)');
    const bulk = fccBulk(3, 0.08);
    expectWithin(await compare(engine, models, bulk), 108, 'demo ensemble fcc108 PBC');
    engine.destroy();
  });

  it('reports sel truncation (v3 semantics) and matches the CPU evaluator when lists are truncated', async () => {
    const base = await refModel('models/cu-eam-demo/cu_eam_demo_0.dp');
    const d = base.descriptor;
    const sel = 40;
    const model: DpModel = {
      ...base,
      descriptor: {
        ...d, sel: [sel], nnei: sel, sec: [0, sel],
        davg: d.davg.slice(0, sel * 4), dstd: d.dstd.slice(0, sel * 4),
      },
    };
    const engine = await DpGpuEngine.create(gpu.device, [model]);
    const frame = fccBulk(3, 0.08, 9);
    const res = await engine.evaluate(frame);
    expect(res.truncatedAtoms).toBe(108);
    expectWithin(await compare(engine, [model], frame), 108, 'demo model with sel 40 on fcc108 (truncated)');
    engine.destroy();
  });

  it('buffer plan: Cu3535 with 4 production-size models fits the WebGPU default binding limit, and chunks under a smaller one', async () => {
    const model = await refModel('deepmd/cu_synthetic_se_e2_a.dp');
    const L = dpLayout([model, model, model, model]);
    const cap = L.nnei + 32;
    const p128 = DpGpuEngine.plan(L, 4, 3535, cap, 128 * 2 ** 20);
    expect(p128.maxBinding).toBeLessThanOrEqual(128 * 2 ** 20);
    const p32 = DpGpuEngine.plan(L, 4, 3535, cap, 32 * 2 ** 20);
    expect(p32.nchunks).toBeGreaterThan(1);
    expect(p32.maxBinding).toBeLessThanOrEqual(32 * 2 ** 20);
    expect(p32.chunk * p32.nchunks).toBeGreaterThanOrEqual(3535);
  });
});

