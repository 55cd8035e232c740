// The WGSL harness end to end in Node: load shaders/lj-gather.wgsl through Dawn on the
// machine's Vulkan adapter (SwiftShader in CI), dispatch, read back, compare with float64 CPU.
import { describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { ljSelfTest, SELF_TEST_ENERGY_TOL, SELF_TEST_FORCE_TOL } from '../../src/gpu/self-test.ts';
import { computePipeline } from '../../src/gpu/pipeline.ts';
import { currentShaderSource, setShaderSource } from '../../src/gpu/shader-registry.ts';

const gpu = useNodeGpu();

describe('WGSL harness through Dawn', () => {
  it('finds an adapter and reports it', () => {
    expect(gpu.info.description + gpu.info.device + gpu.info.architecture).not.toBe('');
    expect(gpu.info.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
  });

  it('lj-gather.wgsl matches the float64 CPU Lennard-Jones on Cu55 and Cu147', async () => {
    for (const shells of [3, 4]) {
      const r = await ljSelfTest(gpu.device, shells);
      expect(r.maxForceError).toBeLessThan(SELF_TEST_FORCE_TOL);
      expect(r.energyErrorPerAtom).toBeLessThan(SELF_TEST_ENERGY_TOL);
      expect(r.passed).toBe(true);
    }
  });

  it('reports WGSL compile errors with the shader name and line', async () => {
    const prev = currentShaderSource()!;
    setShaderSource((name) => (name === 'broken' ? '@compute @workgroup_size(1) fn main() {\n  let x: f32 = undefined_thing;\n}' : prev(name)));
    try {
      await expect(computePipeline(gpu.device, 'broken')).rejects.toThrow(/shaders\/broken\.wgsl:\n\s+2:\d+/);
    } finally {
      setShaderSource(prev);
    }
  });
});
