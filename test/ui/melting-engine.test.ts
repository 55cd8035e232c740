import { describe, expect, it } from 'vitest';
import { meltingEngine } from '../../src/ui/analysis/melting-engine.ts';
import type { EngineStatus } from '../../src/worker/api.ts';

const gpu: EngineStatus = { kind: 'webgpu', adapter: 'SwiftShader', software: true, selfTest: { kernel: 'lj', natoms: 8, maxForceError: 1e-6, energyErrorPerAtom: 1e-7, passed: true, gpuMs: 1 }, dpCheck: null };
const cpu: EngineStatus = { kind: 'cpu', reason: 'this browser has no WebGPU (navigator.gpu is missing)' };

describe('melting ladder engine choice', () => {
  it('DP on WebGPU when usable (auto or chosen); the CPU when chosen', () => {
    expect(meltingEngine('auto', gpu, 'dp').engine).toBe('webgpu');
    expect(meltingEngine('webgpu', gpu, 'dp')).toEqual({ engine: 'webgpu', why: 'WebGPU chosen by the user' });
    expect(meltingEngine('cpu', gpu, 'dp').engine).toBe('cpu');
  });

  it('EAM/LJ and no WebGPU run on the CPU, saying why', () => {
    expect(meltingEngine('webgpu', gpu, 'eam')).toEqual({ engine: 'cpu', why: 'EAM has no WebGPU engine: runs on the CPU (float64)' });
    expect(meltingEngine('auto', gpu, 'lj').why).toMatch(/^LJ has no WebGPU engine/);
    expect(meltingEngine('webgpu', cpu, 'dp').why).toMatch(/WebGPU requested but unusable \(this browser has no WebGPU/);
    expect(meltingEngine('auto', null, 'dp')).toMatchObject({ engine: 'cpu', why: expect.stringMatching(/still probing/) });
  });
});
