/**
 * The teaching mode's worker: owns one TeachSimulation and runs it continuously while playing,
 * sending a snapshot every few steps; steering and heat/cool act at once (between steps).
 */
/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { makeFrame } from '../core/atoms.ts';
import { Eam } from '../core/potentials/eam.ts';
import { LennardJones } from '../core/potentials/lj.ts';
import { DpCalculator } from '../core/potentials/dp/evaluator.ts';
import { loadDpModel } from '../core/potentials/dp/load.ts';
import type { Calculator } from '../core/potentials/calculator.ts';
import { TeachSimulation, type TeachSnapshot } from './teach-simulation.ts';

/** The potentials a teacher can pick: EAM (file text), LJ (ε eV, σ Å), or a DP model (file bytes). */
export type TeachPotential =
  | { kind: 'eam'; name: string; text: string }
  | { kind: 'lj'; epsilon: number; sigma: number }
  | { kind: 'dp'; name: string; bytes: Uint8Array };

let sim: TeachSimulation | null = null;
let playing = false;
let generation = 0;

async function calculator(p: TeachPotential): Promise<Calculator> {
  if (p.kind === 'eam') return Eam.fromText(p.text, p.name);
  if (p.kind === 'lj') return new LennardJones({ epsilon: p.epsilon, sigma: p.sigma });
  return new DpCalculator(await loadDpModel(p.bytes, p.name, { onWarning: () => {} }), { onWarning: () => {} });
}

const api = {
  /** Set up a new simulation (stops the old one). Positions Å. */
  async load(structure: { symbols: string[]; positions: Float64Array }, potential: TeachPotential, temperatureK: number): Promise<TeachSnapshot> {
    generation++;
    playing = false;
    sim = new TeachSimulation(makeFrame(structure.symbols, structure.positions), await calculator(potential), { temperatureK, seed: 1 });
    return sim.snapshot();
  },
  /**
   * Play: steps continuously in batches of `every` steps, sending one snapshot per ~30 ms of
   * work (a screen frame or two), so a small cluster does not flood the page with messages.
   */
  play(every: number, onSnapshot: (s: TeachSnapshot) => void, onError: (m: string) => void): void {
    if (!sim) throw new Error('load a structure first');
    playing = true;
    const gen = ++generation;
    const loop = () => {
      if (gen !== generation || !playing || !sim) return;
      try {
        const t0 = performance.now();
        let snap = sim.advance(every);
        while (performance.now() - t0 < 30) snap = sim.advance(every);
        onSnapshot(snap);
      } catch (e) {
        playing = false;
        onError(e instanceof Error ? e.message : String(e));
        return;
      }
      setTimeout(loop, 0); // let steering/heat messages in between batches
    };
    loop();
  },
  pause(): void { playing = false; },
  setTemperature(t: number): void { sim?.setTemperature(t); },
  steer(atom: number, target: [number, number, number], k = 2): void { sim?.steer({ atom, target, k }); },
  release(): void { sim?.steer(null); },
};
export type TeachWorkerApi = typeof api;
Comlink.expose(api);
