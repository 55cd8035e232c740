/**
 * The training-time estimate behind `nanostudio train`: a short measurement of real optimiser
 * steps (no timing assertions: only its bookkeeping and the arithmetic of the estimate).
 */
import { describe, expect, it } from 'vitest';
import { eamFrames } from './data.ts';
import { formatDuration, measureTrainSpeed } from '../../src/core/train/speed.ts';
import { estimateEnsembleTime } from '../../src/backend/train/train-models.ts';
import { TrainJobSettingsSchema } from '../../src/backend/schemas.ts';

describe('training speed estimate', () => {
  it('measures at least minSteps real steps of the described model', async () => {
    const data = await eamFrames(6, 1);
    const arch = { typeMap: ['Cu'], rcut: 4.5, rcutSmth: 1.0, sel: [24], embedding: [4, 8], axisNeuron: 2, fitting: [8, 8] };
    const m = measureTrainSpeed(data, { arch, numSteps: 400_000 }, { budgetSeconds: 0, minSteps: 5 });
    expect(m.steps).toBe(5);
    expect(m.stepsPerSecond).toBeCloseTo(m.steps / m.seconds, 9);
    // embedding 1×4+4, 4×8+8; fitting 16×8+8, 8×8+8+8 (idt on the active skip), 8×1+1
    expect(m.parameters).toBe(8 + 40 + 136 + 80 + 9);
    expect(() => measureTrainSpeed([], { arch, numSteps: 1 })).toThrow(/no frames/);
  });

  it('estimates ⌈models/threads⌉ rounds of steps at the measured speed', async () => {
    const frames = (await eamFrames(4, 2)).map((d, k) => ({ ...d, id: k + 1, virial: null, calculator: 'eam' }));
    const settings = TrainJobSettingsSchema.parse({ models: 3, steps: 1000, rcut: 4.5, rcutSmth: 1, embedding: [4, 8], fitting: [8, 8], axisNeuron: 2 });
    const e = estimateEnsembleTime(frames, settings, 2, 0);
    expect(e.threads).toBe(2);
    expect(e.estimatedSeconds).toBeCloseTo((2 * 1000) / e.stepsPerSecond, 9);
  });

  it('formats durations for people', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(3 * 3600 + 12 * 60 + 10)).toBe('3 h 12 min');
    expect(formatDuration(5 * 86400)).toBe('5.0 days');
  });
});
