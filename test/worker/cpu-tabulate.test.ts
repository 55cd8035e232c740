/**
 * The studio's CPU engine (sim.worker.ts booted in Node, no WebGPU) evaluates the ensemble with the
 * tabulated embedding by default and says so (run record, engine choice); `cpuTabulate: false`
 * runs the exact nets. The observable: the run's first potential energy is exactly the tabulated
 * (resp. exact) library ensemble's on a frame where the two differ, and within 1e-8 eV of each other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { bootSimWorker } from '../bad-input/worker-host.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import type { EngineChoice, MdRunListener, RunInfo, SimSnapshot, StructureInput } from '../../src/worker/api.ts';
import { ROOT } from '../helpers/refdata.ts';
import { demoModels } from './demo-ensemble.ts';

const files = () => [0, 1, 2, 3].map((k) => ({ name: `cu_eam_demo_${k}.dp`, bytes: new Uint8Array(readFileSync(join(ROOT, `public/models/cu_eam_demo_${k}.dp`))) }));
const cu55 = icosahedron('Cu', 3);
const positions = Float64Array.from(cu55.positions, (x, k) => x + 0.1 * Math.sin(7 * k));
const structure: StructureInput = { symbols: cu55.symbols, positions, title: 'rattled Cu55' };

/** One 1-step CPU MD run: its record, engine choice and first snapshot. */
async function runOnce(cpuTabulate: boolean | undefined): Promise<{ info: RunInfo; choice: EngineChoice; first: SimSnapshot }> {
  const { api } = await bootSimWorker();
  const seen: { info?: RunInfo; choice?: EngineChoice; snaps: SimSnapshot[] } = { snaps: [] };
  let ended: () => void = () => {};
  const done = new Promise<void>((r) => { ended = r; });
  const listener: MdRunListener = {
    onRun(info, choice) { seen.info = info; seen.choice = choice; },
    onSnapshot(s) { seen.snaps.push(s); },
    onFrames() {},
    onEnd() { ended(); },
  };
  await api.startMd(structure, { params: { ensemble: 'nve', temperatureK: 300 }, steps: 1, saveEvery: 1, engine: 'cpu', cpuTabulate }, Comlink.proxy(listener));
  await done;
  return { info: seen.info!, choice: seen.choice!, first: seen.snaps.find((s) => s.step === 0)! };
}

describe('studio CPU engine: tabulated embedding by default', () => {
  afterAll(async () => { (await bootSimWorker()).close(); });

  it('MD and BHMC use the tables unless cpuTabulate is false, and say which', async () => {
    const { api } = await bootSimWorker();
    await api.loadModels(files());
    const models = await demoModels();
    const frame = makeFrame(structure.symbols, positions);
    const tabE = new DpEnsembleCalculator(models, { tabulate: {}, onWarning: () => {} }).compute(frame).energy;
    const exactE = new DpEnsembleCalculator(models, { onWarning: () => {} }).compute(frame).energy;
    expect(tabE).not.toBe(exactE); // the frame tells the two paths apart
    expect(Math.abs(tabE - exactE)).toBeLessThan(1e-8);

    const byDefault = await runOnce(undefined);
    expect(byDefault.choice.engine).toBe('cpu');
    expect(byDefault.choice.cpuEmbedding).toBe('tabulated embedding');
    expect(byDefault.info.engine).toBe('cpu: CPU float64 ensemble of 4 · tabulated embedding');
    expect(byDefault.first.potentialEnergy).toBe(tabE);

    const exact = await runOnce(false);
    expect(exact.choice.cpuEmbedding).toBe('exact embedding nets');
    expect(exact.info.engine).toBe('cpu: CPU float64 ensemble of 4 · exact embedding nets');
    expect(exact.first.potentialEnergy).toBe(exactE);

    const bhmcListener = Comlink.proxy({ onRun() {}, onTrial() {}, onFrames() {}, onEnd() {} });
    const params = { element: 'Cu', natoms: 7, trials: 1, temperatureK: 1000, stepSize: 0.4, fmax: 0.05, seed: 3 };
    const bhmc = await api.startBhmc({ params, engine: 'cpu', trustLo: 0.05, trustHi: 0.15 }, bhmcListener);
    expect(bhmc.cpuEmbedding).toBe('tabulated embedding');
    await api.stop();
    const bhmcExact = await api.startBhmc({ params, engine: 'cpu', cpuTabulate: false, trustLo: 0.05, trustHi: 0.15 }, bhmcListener);
    expect(bhmcExact.cpuEmbedding).toBe('exact embedding nets');
    await api.stop();
  }, 120_000);
});
