// DpGpuCalculator (the AsyncCalculator of the WebGPU engine) against the float64 CPU
// calculators: one model (deeppot_sea test case) and the 4-model demo ensemble with deviation.
import { describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { maxAbsDiff } from '../helpers/compare.ts';
import { DpGpuCalculator } from '../../src/gpu/dp-gpu-calculator.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import type { AsyncCalculator } from '../../src/core/potentials/calculator.ts';
import { frameOf, refModel, seaCases } from '../dp/helpers.ts';
import { jitteredIcosahedron } from './gpu-test-systems.ts';

const gpu = useNodeGpu();

describe('DpGpuCalculator', () => {
  it('one model: the DeePMD-kit deeppot_sea references through the AsyncCalculator protocol', async () => {
    const model = await refModel('deepmd/deeppot_sea.dp');
    const calc: AsyncCalculator = await DpGpuCalculator.create(gpu.device, [model]);
    const c = seaCases()[0];
    const r = await calc.compute(frameOf(c.coord, c.atype, model.typeMap, c.box));
    expect(Math.abs(r.energy - c.energy)).toBeLessThan(1e-3);
    expect(maxAbsDiff(r.forces, c.force)).toBeLessThan(1e-4);
    expect(maxAbsDiff(r.virial!, c.virial)).toBeLessThan(1e-4 * c.atype.length);
    expect(calc.name).toMatch(/WebGPU/);
    (calc as DpGpuCalculator).destroy();
  });

  it('ensemble: model-0 and mean results and the deviation equal the CPU ensemble', async () => {
    const models = await Promise.all([0, 1, 2, 3].map((k) => refModel(`models/cu-eam-demo/cu_eam_demo_${k}.dp`)));
    const frame = jitteredIcosahedron(3, 0.1, 12);
    for (const reduce of ['model0', 'mean'] as const) {
      const gpuCalc = await DpGpuCalculator.create(gpu.device, models, { reduce, trust: { lo: 0.05, hi: 0.15 } });
      const cpu = new DpEnsembleCalculator(models, { reduce, trust: { lo: 0.05, hi: 0.15 } }).compute(frame);
      const r = await gpuCalc.compute(frame);
      expect(Math.abs(r.energy - cpu.energy)).toBeLessThan(1e-3);
      expect(maxAbsDiff(r.forces, cpu.forces)).toBeLessThan(1e-4);
      expect(r.models).toHaveLength(4);
      expect(Math.abs(r.deviation!.max_devi_f - cpu.deviation.max_devi_f)).toBeLessThan(2e-5);
      expect(Math.abs(r.deviation!.devi_e - cpu.deviation.devi_e)).toBeLessThan(2e-6);
      expect(r.deviation!.class).toBe(cpu.deviation.class);
      gpuCalc.destroy();
    }
  });
});
