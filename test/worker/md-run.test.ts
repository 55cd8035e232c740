// The studio's MD run loop on the CPU path: frames on the save interval with the run's
// classes, pause holds the step, a single step while paused, stop ends the run, errors end it
// with the message and keep the frames already emitted.
import { describe, expect, it } from 'vitest';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { Simulation } from '../../src/worker/simulation.ts';
import { MdRun, frameClass } from '../../src/worker/md-run.ts';
import type { RunInfo, SavedFrame } from '../../src/worker/frames.ts';
import type { SimSnapshot } from '../../src/worker/simulation.ts';
import { demoEnsemble } from './demo-ensemble.ts';

function runInfo(): RunInfo {
  return {
    id: 'md-test-1', kind: 'md', ensemble: 'langevin', structure: 'Cu13', temperatureK: 600, dtFs: 1, engine: 'cpu', models: ['m0'],
    trustLo: 0.05, trustHi: 0.15, seed: 1, startedAt: new Date(0).toISOString(),
  };
}

function recorder() {
  const frames: SavedFrame[] = [];
  const snaps: SimSnapshot[] = [];
  let end: unknown = null;
  let resolveEnd: () => void = () => {};
  const ended = new Promise<void>((r) => (resolveEnd = r));
  return {
    frames, snaps, ended, get end() { return end; },
    listener: {
      onSnapshot: (s: SimSnapshot) => snaps.push(s),
      onFrames: (f: SavedFrame[]) => frames.push(...f),
      onEnd: (how: unknown) => { end = how; resolveEnd(); },
    },
  };
}

describe('MD run loop (CPU path)', () => {
  it('saves a frame every saveEvery steps to the end, classified with the run trust levels', async () => {
    const sim = new Simulation(icosahedron('Cu', 2), await demoEnsemble(), { temperatureK: 600, seed: 2 });
    const rec = recorder();
    const run = new MdRun(sim, runInfo(), Array(13).fill('Cu'), undefined, { steps: 23, saveEvery: 5 }, rec.listener);
    run.emit([await sim.snapshot()]);
    await run.loop();
    expect(rec.end).toEqual({ kind: 'finished' });
    expect(rec.frames.map((f) => f.step)).toEqual([0, 5, 10, 15, 20, 23]);
    for (const f of rec.frames) {
      expect(f.runId).toBe('md-test-1');
      expect(f.positions.length).toBe(39);
      expect(f.atomicDeviF.length).toBe(13);
      expect(f.maxDeviF).toBe(Math.max(...f.atomicDeviF));
      expect(f.frameClass).toBe(frameClass(f.maxDeviF, 0.05, 0.15));
      expect(f.timeFs).toBeCloseTo(f.step * 1, 12);
    }
    expect(new Set(rec.frames.map((f) => f.potentialEnergy)).size).toBe(6);
    expect(run.stepsPerSecond).toBeGreaterThan(0);
  });

  it('pause holds the step, step() advances exactly one, resume continues, stop ends the run', async () => {
    const sim = new Simulation(icosahedron('Cu', 2), await demoEnsemble(), { temperatureK: 600, seed: 3 });
    const rec = recorder();
    const run = new MdRun(sim, runInfo(), Array(13).fill('Cu'), undefined, { steps: 100000, saveEvery: 4 }, rec.listener);
    const loop = run.loop();
    while (sim.step < 6) await new Promise((r) => setTimeout(r, 5));
    await run.pause();
    const held = sim.step;
    expect(rec.snaps[rec.snaps.length - 1].step).toBe(held); // the paused state is shown at once
    await new Promise((r) => setTimeout(r, 120));
    expect(sim.step).toBe(held);
    await run.step();
    expect(sim.step).toBe(held + 1);
    expect(rec.snaps[rec.snaps.length - 1].step).toBe(held + 1);
    run.resume();
    while (sim.step < held + 10) await new Promise((r) => setTimeout(r, 5));
    run.stop();
    await loop;
    expect(rec.end).toEqual({ kind: 'stopped' });
    expect(rec.frames.every((f) => f.step % 4 === 0)).toBe(true);
  });

  it('an exploding run ends with the error named and keeps the frames already saved', async () => {
    const calc = await demoEnsemble();
    let calls = 0;
    const faulty = { name: 'faulty', implementedProperties: calc.implementedProperties, compute: (f: Parameters<typeof calc.compute>[0]) => { const r = calc.compute(f); if (++calls > 12) r.forces[0] = NaN; return r; } };
    const sim = new Simulation(icosahedron('Cu', 2), faulty, { temperatureK: 300 });
    const rec = recorder();
    const run = new MdRun(sim, runInfo(), Array(13).fill('Cu'), undefined, { steps: 50, saveEvery: 5 }, rec.listener);
    await run.loop();
    expect(rec.end).toEqual({ kind: 'error', message: expect.stringMatching(/MD stopped at step 12: atom 0 has a non-finite velocity/) });
    expect(rec.frames.map((f) => f.step)).toEqual([5, 10]);
    expect(() => new MdRun(sim, runInfo(), [], undefined, { steps: 0, saveEvery: 1 }, rec.listener)).toThrow(/steps must be a positive integer/);
  });
});
