// Model deviation on the GPU (shaders/dp-deviation.wgsl) against the CPU deviation
// (src/core/potentials/dp/deviation.ts, = dp model-devi) of the float64 ensemble, for the
// 4-model demo ensemble on a hot Cu55 cluster and a periodic fcc cell, absolute and relative.
import { describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { DpGpuEngine } from '../../src/gpu/dp-engine.ts';
import { DpDeviationGpu } from '../../src/gpu/dp-deviation.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import { refModel } from '../dp/helpers.ts';
import { fccBulk, jitteredIcosahedron } from './gpu-test-systems.ts';

const gpu = useNodeGpu();

describe('GPU model deviation vs dp model-devi formulas (CPU)', () => {
  it('demo ensemble: per-atom ε_f, max/min/avg_devi_f, devi_e, virial deviations; absolute and relative', async () => {
    const models = await Promise.all([0, 1, 2, 3].map((k) => refModel(`models/cu-eam-demo/cu_eam_demo_${k}.dp`)));
    const engine = await DpGpuEngine.create(gpu.device, models);
    for (const [label, frame] of [['Cu55 jittered 0.25 Å', jitteredIcosahedron(3, 0.25, 4)], ['fcc108 PBC', fccBulk(3, 0.15, 6)]] as const) {
      for (const opts of [{}, { relative: 1.0, relativeV: 0.5 }]) {
        const cpu = new DpEnsembleCalculator(models, { deviation: opts }).compute(frame).deviation;
        await engine.evaluate(frame);
        const dev = await DpDeviationGpu.create(gpu.device, engine, opts);
        const enc = gpu.device.createCommandEncoder();
        dev.encode(enc);
        gpu.device.queue.submit([enc.finish()]);
        const [g] = await dev.readRows(1);
        const atomic = await dev.readAtomic();
        let da = 0;
        for (let i = 0; i < atomic.length; i++) da = Math.max(da, Math.abs(atomic[i] - cpu.atomic_devi_f[i]));
        console.log(`${label} ${JSON.stringify(opts)}: max_devi_f GPU ${g.max_devi_f.toFixed(6)} CPU ${cpu.max_devi_f.toFixed(6)}, devi_e ${g.devi_e.toExponential(4)} vs ${cpu.devi_e.toExponential(4)}, max_devi_v ${g.max_devi_v.toExponential(4)} vs ${cpu.max_devi_v.toExponential(4)}, max|Δε_i| ${da.toExponential(2)}`);
        expect(da).toBeLessThanOrEqual(2e-5);
        for (const k of ['max_devi_f', 'min_devi_f', 'avg_devi_f'] as const) expect(Math.abs(g[k] - cpu[k])).toBeLessThanOrEqual(2e-5);
        expect(Math.abs(g.devi_e - cpu.devi_e)).toBeLessThanOrEqual(2e-6);
        for (const k of ['max_devi_v', 'min_devi_v', 'avg_devi_v'] as const) expect(Math.abs(g[k] - cpu[k])).toBeLessThanOrEqual(2e-6);
        dev.destroy();
      }
    }
    engine.destroy();
  });
});
