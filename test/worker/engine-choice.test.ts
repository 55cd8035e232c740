import { describe, expect, it } from 'vitest';
import { engineDecision, fasterEngine } from '../../src/worker/engine-choice.ts';

describe('engine choice', () => {
  it('auto with a usable GPU measures; otherwise the preference or the reason decides', () => {
    expect(engineDecision('auto', null)).toBe('measure');
    expect(engineDecision('webgpu', null)).toEqual({ engine: 'webgpu', why: 'WebGPU chosen by the user' });
    expect(engineDecision('cpu', null)).toEqual({ engine: 'cpu', why: 'CPU (float64) chosen by the user' });
    const fallback = engineDecision('webgpu', 'no WebGPU adapter available');
    expect(fallback).toMatchObject({ engine: 'cpu' });
    expect((fallback as { why: string }).why).toContain('WebGPU requested but unusable (no WebGPU adapter available)');
    expect(engineDecision('auto', 'DP kernel check failed')).toMatchObject({ engine: 'cpu', why: expect.stringContaining('DP kernel check failed') });
    expect(engineDecision('webgpu', null, 'NPT (the GPU integrator has no barostat)')).toMatchObject({ engine: 'cpu', why: expect.stringContaining('NPT') });
  });

  it('the faster measured engine wins, with both rates in the reason', () => {
    const a = fasterEngine(12.5, 80, 'steps/s');
    expect(a.engine).toBe('cpu');
    expect(a.why).toContain('WebGPU 12.5 vs CPU 80.0 steps/s');
    expect(fasterEngine(300, 80, 'steps/s').engine).toBe('webgpu');
    expect(fasterEngine(5, 5, 'steps/s').engine).toBe('cpu');
  });
});
