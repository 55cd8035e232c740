// Tabulated embedding (quintic polynomials per channel, as `dp compress`): accuracy against the
// untabulated GPU path and the float64 CPU evaluator, on the production-size synthetic Cu model
// (Cu55) and the demo ensemble (Cu147). The measured errors are printed.
import { describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { maxAbsDiff } from '../helpers/compare.ts';
import { DpGpuEngine } from '../../src/gpu/dp-engine.ts';
import { quinticHermite } from '../../src/gpu/dp-tabulate.ts';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import type { Frame } from '../../src/core/atoms.ts';
import { cuCases, frameOf, refModel } from '../dp/helpers.ts';
import { jitteredIcosahedron } from './gpu-test-systems.ts';

const gpu = useNodeGpu();

async function check(models: DpModel[], frames: [string, Frame][]): Promise<void> {
  const tab = await DpGpuEngine.create(gpu.device, models, { tabulate: { step: 0.01 } });
  const plain = await DpGpuEngine.create(gpu.device, models);
  console.log(`table: ${tab.tables!.nint} intervals of ${tab.tables!.step} over s ≥ ${tab.tables!.lower.toFixed(3)}; max fit error at midpoints (f64) ${tab.tables!.maxFitError.toExponential(2)}`);
  expect(tab.tables!.maxFitError).toBeLessThan(1e-7);
  for (const [label, frame] of frames) {
    const rt = await tab.evaluate(frame);
    const rp = await plain.evaluate(frame);
    models.forEach((model, m) => {
      const ref = new DpEvaluator(model).evaluate(frame);
      const eT = maxAbsDiff(rt.models[m].atomicEnergies, ref.atomicEnergies), fT = maxAbsDiff(rt.models[m].forces, ref.forces);
      const eTP = maxAbsDiff(rt.models[m].atomicEnergies, rp.models[m].atomicEnergies), fTP = maxAbsDiff(rt.models[m].forces, rp.models[m].forces);
      console.log(`${label} model ${m}: tabulated vs CPU f64 max|ΔE_i| ${eT.toExponential(2)} eV, max|ΔF| ${fT.toExponential(2)} eV/Å; vs untabulated GPU ${eTP.toExponential(2)} eV, ${fTP.toExponential(2)} eV/Å`);
      expect(eT).toBeLessThanOrEqual(1e-4);
      expect(fT).toBeLessThanOrEqual(1e-4);
    });
  }
  tab.destroy();
  plain.destroy();
}

describe('tabulated embedding', () => {
  it('quintic Hermite reproduces value, slope and curvature at both ends', () => {
    const h = 0.3;
    const c = quinticHermite(1.2, -0.4, 2.0, 0.7, 0.9, -1.5, h);
    const at = (t: number) => [
      c[0] + t * (c[1] + t * (c[2] + t * (c[3] + t * (c[4] + t * c[5])))),
      c[1] + t * (2 * c[2] + t * (3 * c[3] + t * (4 * c[4] + 5 * t * c[5]))),
      2 * c[2] + t * (6 * c[3] + t * (12 * c[4] + 20 * t * c[5])),
    ];
    expect(at(0).map((x) => +x.toFixed(10))).toEqual([1.2, -0.4, 2.0]);
    expect(at(h).map((x) => +x.toFixed(10))).toEqual([0.7, 0.9, -1.5]);
  });

  it('production-size synthetic Cu model: Cu55', async () => {
    const model = await refModel('deepmd/cu_synthetic_se_e2_a.dp');
    const frames = cuCases().filter((c) => c.name === 'cu55_cluster_nopbc').map((c) => [c.name, frameOf(c.coord, c.atype, model.typeMap, c.box)] as [string, Frame]);
    await check([model], frames);
  });

  it('demo ensemble (4 models fused): Cu147', async () => {
    const models = await Promise.all([0, 1, 2, 3].map((k) => refModel(`models/cu-eam-demo/cu_eam_demo_${k}.dp`)));
    await check(models, [['Cu147', jitteredIcosahedron(4, 0.05, 21)]]);
  });
});
